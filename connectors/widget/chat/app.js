// The widget: a launcher button and a chat panel inside a shadow root (the city's CSS cannot reach in,
// ours cannot leak out). Turns go out one at a time, in order; a turn that could not be delivered stays
// in the transcript, marked, until the resident presses "もう一度送る".

import { postChat } from "./api.js";
import { markChosen, renderEntry, showResidentStatus } from "./render.js";
import { Store } from "./store.js";
import { TEXTS, currentLanguage, setLanguage } from "./i18n.js";

const HOST_TAG = "joso-chat";
// About 10 m: enough to find the nearest shelter, no more precise than that needs.
const LOCATION_DECIMALS = 4;

function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function round(value) {
  const factor = 10 ** LOCATION_DECIMALS;
  return Math.round(value * factor) / factor;
}

class ChatWidget {
  constructor(options) {
    this.options = options;
    this.store = new Store();
    this.sessionId = this.store.sessionId();
    this.entries = this.store.entries();
    this.queue = Promise.resolve();
    this.nextId = this.entries.reduce((max, entry) => Math.max(max, Number(entry.id) || 0), 0) + 1;
    // A turn still "sending" when the page went away may not have arrived: offer to send it again.
    for (const entry of this.entries) if (entry.status === "sending") entry.status = "failed";
    setLanguage(this.store.language() || document.documentElement.lang);
  }

  mount() {
    this.host = document.createElement(HOST_TAG);
    const shadow = this.host.attachShadow({ mode: "open" });
    const stylesheet = el("link", { rel: "stylesheet", href: new URL("chat/widget.css", this.options.assetBase).href });
    // The widget's language, whatever the page's: screen readers pick the voice from it.
    this.root = el("div", { className: "root", lang: currentLanguage(), "data-loading": "" });
    // Nothing shows until our stylesheet is in, so the resident never sees an unstyled flash.
    stylesheet.addEventListener("load", () => this.root.removeAttribute("data-loading"));
    stylesheet.addEventListener("error", () => this.root.removeAttribute("data-loading"));
    shadow.append(stylesheet, this.root);
    this.build();
    document.body.append(this.host);
    this.renderAll();
    this.setOpen(this.options.open || this.store.isOpen(), { focus: false });
    window.addEventListener("online", () => this.refreshConnection());
    window.addEventListener("offline", () => this.refreshConnection());
  }

  build() {
    const title = this.options.title || TEXTS.defaultTitle;
    this.launcher = el("button", {
      type: "button",
      className: "launcher",
      "aria-expanded": "false",
      "aria-controls": "joso-chat-panel",
    });
    this.launcher.append(el("span", { className: "launcher-icon", "aria-hidden": "true", text: "💬" }), TEXTS.launcher);
    this.launcher.addEventListener("click", () => this.setOpen(true, { focus: true }));

    const closeButton = el("button", { type: "button", className: "header-button", text: TEXTS.close });
    closeButton.addEventListener("click", () => this.setOpen(false, { focus: true }));
    const resetButton = el("button", { type: "button", className: "header-button", text: TEXTS.reset });
    resetButton.addEventListener("click", () => this.reset());
    const header = el("header", { className: "header" }, [
      el("div", { className: "header-text" }, [
        el("h2", { id: "joso-chat-title", className: "title", text: title }),
        el("p", { className: "subtitle", text: TEXTS.subtitle }),
      ]),
      el("div", { className: "header-actions" }, [resetButton, closeButton]),
    ]);

    this.entriesBox = el("div", { className: "entries" });
    this.thinking = el("p", { className: "thinking", text: TEXTS.thinking });
    this.thinking.hidden = true;
    this.log = el(
      "div",
      {
        className: "log",
        role: "log",
        "aria-live": "polite",
        "aria-relevant": "additions",
        "aria-label": TEXTS.logLabel,
        // Focusable, so a keyboard alone can scroll back through a long conversation.
        tabindex: "0",
      },
      [this.intro(), this.entriesBox, this.thinking],
    );

    this.connectionText = el("p", { className: "connection-text" });
    const retryButton = el("button", { type: "button", className: "retry", text: TEXTS.retry });
    retryButton.addEventListener("click", () => this.retry());
    this.connection = el("div", { className: "connection", role: "status" }, [this.connectionText, retryButton]);
    this.connection.hidden = true;

    this.input = el("input", {
      id: "joso-chat-input",
      className: "input",
      type: "text",
      maxlength: "2000",
      autocomplete: "off",
      enterkeyhint: "send",
      placeholder: TEXTS.inputPlaceholder,
    });
    const form = el("form", { className: "composer" }, [
      el("label", { for: "joso-chat-input", className: "visually-hidden", text: TEXTS.inputLabel }),
      this.input,
      el("button", { type: "submit", className: "send", text: TEXTS.send }),
    ]);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (!text) {
        this.input.focus();
        return;
      }
      this.input.value = "";
      this.input.placeholder = TEXTS.inputPlaceholder;
      this.send({ text }, text);
    });

    this.panel = el("section", { id: "joso-chat-panel", className: "panel", "aria-labelledby": "joso-chat-title" }, [
      header,
      this.log,
      this.connection,
      form,
    ]);
    this.panel.hidden = true;
    this.panel.addEventListener("keydown", (event) => {
      // Escape while composing Japanese cancels the conversion, not the chat.
      if (event.key === "Escape" && !event.isComposing) {
        event.preventDefault();
        this.setOpen(false, { focus: true });
      }
    });
    this.root.append(this.launcher, this.panel);
  }

  intro() {
    const examples = el("div", { className: "examples", role: "group", "aria-label": TEXTS.examplesLabel });
    for (const example of TEXTS.examples) {
      const button = el("button", { type: "button", className: "choice example", text: example });
      button.addEventListener("click", () => this.send({ text: example }, example));
      examples.append(button);
    }
    return el("div", { className: "intro" }, [
      el("p", { className: "bubble", text: TEXTS.intro }),
      el("p", { className: "intro-note", text: TEXTS.introPrivacy }),
      el("p", { className: "intro-note emergency", text: TEXTS.introEmergency }),
      el("p", { className: "examples-label", text: TEXTS.examplesLabel }),
      examples,
    ]);
  }

  setOpen(open, { focus }) {
    this.panel.hidden = !open;
    this.launcher.hidden = open;
    this.launcher.setAttribute("aria-expanded", String(open));
    this.store.saveOpen(open);
    if (open) {
      this.scrollToEnd();
      if (focus) this.input.focus();
    } else if (focus) {
      this.launcher.focus();
    }
  }

  // --- the transcript -------------------------------------------------------------------------

  add(entry) {
    entry.id = this.nextId++;
    this.entries.push(entry);
    this.store.saveEntries(this.entries);
    return entry;
  }

  save() {
    this.store.saveEntries(this.entries);
  }

  /** Buttons work only on the bot's latest turn: once the resident has said something, they are history. */
  isInteractive(entry) {
    const index = this.entries.indexOf(entry);
    return !this.entries.slice(index + 1).some((later) => later.who === "resident");
  }

  context(entry, fresh) {
    return {
      interactive: this.isInteractive(entry),
      fresh,
      onButton: (button, node) => this.choose(entry, button, node),
      onLocate: (button) => this.locate(button),
      onTypePlace: () => this.askForPlaceName(),
    };
  }

  renderAll() {
    this.entriesBox.replaceChildren();
    this.nodes = new Map();
    for (const entry of this.entries) this.append(entry, false);
    this.refreshConnection();
  }

  append(entry, fresh) {
    const node = renderEntry(entry, this.context(entry, fresh));
    if (node) {
      this.entriesBox.append(node);
      this.nodes.set(entry.id, node);
    }
    return node;
  }

  /** Show a resident entry's delivery status on its element. */
  showStatus(entry) {
    const node = this.nodes.get(entry.id);
    if (node) showResidentStatus(node, entry);
  }

  /** Earlier buttons stop working once the resident moves on. */
  retireButtons() {
    for (const button of this.entriesBox.querySelectorAll("button")) button.disabled = true;
  }

  notice(text) {
    this.append(this.add({ who: "notice", text }), true);
    this.scrollToEnd();
  }

  scrollToEnd() {
    this.log.scrollTop = this.log.scrollHeight;
  }

  /** Show the start of a reply (a long answer card is read from its top, not its bottom). */
  scrollToReply(first) {
    if (!first) return;
    const top = first.offsetTop; // the log is the offset parent (position: relative)
    const fitsBelow = this.log.scrollHeight - top <= this.log.clientHeight;
    this.log.scrollTop = fitsBelow ? this.log.scrollHeight : top;
  }

  // --- turns ----------------------------------------------------------------------------------

  /** The resident's turn: shown at once, delivered after the turns before it. */
  send(request, shownText) {
    this.retireButtons();
    const entry = this.add({ who: "resident", text: shownText, request, status: "sending" });
    this.append(entry, true);
    this.scrollToEnd();
    this.queue = this.queue.then(() => this.deliver(entry));
    return this.queue;
  }

  async deliver(entry) {
    entry.status = "sending";
    this.save();
    this.thinking.hidden = false;
    this.scrollToEnd();
    const outcome = await postChat(this.options.apiBase, { session_id: this.sessionId, ...entry.request });
    this.thinking.hidden = true;
    if (outcome.language) this.switchLanguage(outcome.language);
    const statuses = { ok: "sent", unavailable: "failed", rejected: "rejected", unreachable: "failed" };
    entry.status = statuses[outcome.kind];
    this.lastOutcome = outcome.kind;
    this.save();
    this.showStatus(entry);
    // The connection bar first: it takes room from the log, and the reply is scrolled into what is left.
    this.refreshConnection();
    if (outcome.messages) this.receive(outcome.messages);
    else if (outcome.kind === "rejected") this.notice(outcome.message || TEXTS.rejected);
    else this.scrollToEnd();
  }

  /** The bot's messages, as the server sent them. */
  receive(messages) {
    let first = null;
    for (const message of messages) {
      if (!message || typeof message !== "object") continue;
      const node = this.append(this.add({ who: "bot", message }), true);
      first = first || node;
    }
    this.scrollToReply(first);
  }

  choose(entry, button, node) {
    entry.chosen = { title: button.title, payload: button.payload };
    this.save();
    this.send({ payload: button.payload }, button.title);
    markChosen(node);
  }

  retry() {
    const failed = this.entries.filter((entry) => entry.who === "resident" && entry.status === "failed");
    for (const entry of failed) {
      entry.status = "sending";
      this.showStatus(entry);
      this.queue = this.queue.then(() => this.deliver(entry));
    }
    this.connection.hidden = true;
    this.input.focus();
  }

  refreshConnection() {
    const failed = this.entries.some((entry) => entry.who === "resident" && entry.status === "failed");
    if (!failed) {
      this.connection.hidden = true;
      return;
    }
    // What went wrong last, if this page saw it; after a reload or a later success, only that something is unsent.
    let text = TEXTS.pendingFailed;
    if (navigator.onLine === false) text = TEXTS.offline;
    else if (this.lastOutcome === "unavailable") text = TEXTS.unavailable;
    else if (this.lastOutcome === "unreachable") text = TEXTS.unreachable;
    this.connectionText.textContent = text;
    this.connection.hidden = false;
  }

  /** The conversation is in another language now: the widget's own texts follow (the transcript stays). */
  switchLanguage(language) {
    this.store.saveLanguage(language);
    if (!setLanguage(language)) return;
    const open = !this.panel.hidden;
    this.root.lang = currentLanguage();
    this.root.replaceChildren();
    this.build();
    this.renderAll();
    this.panel.hidden = !open;
    this.launcher.hidden = open;
    this.launcher.setAttribute("aria-expanded", String(open));
    if (open) this.input.focus();
  }

  reset() {
    if (!window.confirm(TEXTS.resetConfirm)) return;
    this.store.reset();
    if (setLanguage(document.documentElement.lang)) {
      this.root.lang = currentLanguage();
      this.root.replaceChildren();
      this.build();
      this.panel.hidden = false;
      this.launcher.hidden = true;
    }
    this.sessionId = this.store.sessionId();
    this.entries = [];
    this.lastOutcome = undefined;
    this.renderAll();
    this.notice(TEXTS.resetDone);
    this.input.focus();
  }

  // --- location -------------------------------------------------------------------------------

  locate(button) {
    const geolocation = navigator.geolocation;
    if (!geolocation || !window.isSecureContext) {
      this.notice(TEXTS.locationUnavailable);
      this.askForPlaceName();
      return;
    }
    const label = button.textContent;
    button.disabled = true;
    button.textContent = TEXTS.locating;
    geolocation.getCurrentPosition(
      (position) => {
        button.textContent = label;
        const location = { latitude: round(position.coords.latitude), longitude: round(position.coords.longitude) };
        this.send({ location }, TEXTS.locationSent);
      },
      (error) => {
        button.textContent = label;
        button.disabled = false;
        this.notice(error && error.code === 1 ? TEXTS.locationDenied : TEXTS.locationFailed);
        this.askForPlaceName();
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
    );
  }

  askForPlaceName() {
    this.input.placeholder = TEXTS.placePlaceholder;
    this.input.focus();
  }
}

/** Start the widget once per page; returns the page-facing API (window.JosoChat). */
export function mount(options) {
  if (document.querySelector(HOST_TAG)) return window.JosoChat;
  const widget = new ChatWidget(options);
  widget.mount();
  const api = {
    open: () => widget.setOpen(true, { focus: true }),
    close: () => widget.setOpen(false, { focus: true }),
  };
  if (options.testHook) {
    // Only with data-test-hook: lets the browser tests show canned messages of every kind.
    api.receive = (messages) => widget.receive(messages);
  }
  window.JosoChat = Object.freeze(api);
  document.dispatchEvent(new CustomEvent("joso-chat:ready"));
  return window.JosoChat;
}
