// The one call the widget makes: POST {apiBase}/api/chat (contract in the README, "Interfaces").

// The gateway gives up on the engine after RASA_TIMEOUT (15 s by default); wait a little longer than that.
const TIMEOUT_MS = 30000;

/**
 * Send one turn; never throws. Resolves to one of:
 *   {kind: "ok", messages, language} the bot's reply (language: the conversation's, when the turn shows one)
 *   {kind: "unavailable", messages}  503: the engine is down; messages hold the apology to show
 *   {kind: "rejected", message}      4xx: the gateway refused this input (message in Japanese)
 *   {kind: "unreachable"}            no answer from the gateway (network down, timeout, a proxy's error page)
 */
export async function postChat(apiBase, body) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(`${apiBase}/api/chat`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: controller.signal,
      credentials: "omit",
      cache: "no-store",
    });
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    const messages = data && Array.isArray(data.messages) ? data.messages : null;
    const language = data && typeof data.language === "string" ? data.language : null;
    if (response.ok && messages) return { kind: "ok", messages, language };
    if (response.status === 503 && messages) return { kind: "unavailable", messages, language };
    if (response.status >= 400 && response.status < 500 && data && data.error) {
      return { kind: "rejected", message: String(data.error.message_ja || data.error.message || "") };
    }
    return { kind: "unreachable" };
  } catch {
    return { kind: "unreachable" };
  } finally {
    clearTimeout(timer);
  }
}
