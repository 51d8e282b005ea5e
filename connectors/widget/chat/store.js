// What survives a page reload: the session id, the transcript and whether the panel was open.
//
// Kept in sessionStorage (this tab only, gone when the tab is closed): a resident on a shared computer
// (a library, the city hall's lobby) does not leave the conversation to the next person, while a reload or
// a move to another page of the city's site in the same tab continues it.

const PREFIX = "joso-chat:v1:";
const MAX_ENTRIES = 200;

function pickStorage() {
  try {
    const storage = window.sessionStorage;
    storage.setItem(`${PREFIX}probe`, "1");
    storage.removeItem(`${PREFIX}probe`);
    return storage;
  } catch {
    // Storage switched off (privacy settings, a sandboxed frame): keep it for this page view only.
    const memory = new Map();
    return {
      getItem: (key) => (memory.has(key) ? memory.get(key) : null),
      setItem: (key, value) => memory.set(key, String(value)),
      removeItem: (key) => memory.delete(key),
    };
  }
}

/** 32 random hex characters; fits the API's session_id rule ([A-Za-z0-9_-], 1-128). */
export function newSessionId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export class Store {
  constructor() {
    this.storage = pickStorage();
  }

  read(name) {
    try {
      const raw = this.storage.getItem(PREFIX + name);
      return raw === null ? null : JSON.parse(raw);
    } catch {
      return null;
    }
  }

  write(name, value) {
    try {
      this.storage.setItem(PREFIX + name, JSON.stringify(value));
    } catch {
      // Quota exceeded: the conversation goes on, it just will not survive a reload.
    }
  }

  sessionId() {
    let id = this.read("session");
    if (typeof id !== "string" || !SESSION_ID_PATTERN.test(id)) {
      id = newSessionId();
      this.write("session", id);
    }
    return id;
  }

  entries() {
    const entries = this.read("transcript");
    return Array.isArray(entries) ? entries.filter((entry) => entry && typeof entry === "object") : [];
  }

  saveEntries(entries) {
    this.write("transcript", entries.slice(-MAX_ENTRIES));
  }

  isOpen() {
    return this.read("open") === true;
  }

  saveOpen(open) {
    this.write("open", open);
  }

  /** The language the conversation is in (as the gateway last said), or null. */
  language() {
    const language = this.read("language");
    return typeof language === "string" ? language : null;
  }

  saveLanguage(language) {
    this.write("language", language);
  }

  /** Forget the conversation: a new session id, an empty transcript, no language. */
  reset() {
    this.write("session", newSessionId());
    this.write("transcript", []);
    this.write("language", null);
  }
}
