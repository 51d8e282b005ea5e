// Links the widget makes from what the server sends: only http, https and tel, never javascript: or data:.

import { TEXTS } from "./i18n.js";

const WEB_SCHEMES = new Set(["http:", "https:"]);

/** The normalized URL when `raw` is an absolute http(s) URL, else null. */
export function safeWebUrl(raw) {
  if (typeof raw !== "string" || raw.trim() === "") return null;
  let url;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  return WEB_SCHEMES.has(url.protocol) ? url.href : null;
}

// A Japanese phone number as staff write it: 0297-23-2111, 0297(23)2111, ０２９７－２３－２１１１.
const PHONE_PATTERN = /0\d{1,4}[-(\s]?\d{1,4}[-)\s]?\d{3,4}/;

/** `tel:` URL for the first phone number in `text` (extension notes and the like are left out), else null. */
export function telUrl(text) {
  if (typeof text !== "string") return null;
  const match = text.normalize("NFKC").replace(/[‐‑–—−ー]/g, "-").match(PHONE_PATTERN);
  if (!match) return null;
  const digits = match[0].replace(/\D/g, "");
  return digits.length >= 10 && digits.length <= 11 ? `tel:${digits}` : null;
}

/** An <a> that opens a web page in a new tab without giving that page a handle on ours. */
export function webLink(href, label) {
  const a = document.createElement("a");
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  a.append(label);
  const hint = document.createElement("span");
  hint.className = "visually-hidden";
  hint.textContent = TEXTS.newTab;
  a.append(hint);
  return a;
}

/** An <a href="tel:..."> (same tab: the phone app opens). */
export function telLink(href, label) {
  const a = document.createElement("a");
  a.href = href;
  a.textContent = label;
  return a;
}

// URLs and phone numbers inside a bot's plain text. Japanese punctuation ends a URL.
const TEXT_LINK_PATTERN = /https?:\/\/[^\s<>"'「」『』（）()、。，．！？]+|0\d{1,4}-\d{1,4}-\d{3,4}/g;

/**
 * Append `text` to `parent` as text nodes, with the URLs and phone numbers in it as links.
 * Nothing in `text` is ever parsed as HTML.
 */
export function appendLinkedText(parent, text) {
  let last = 0;
  for (const match of text.matchAll(TEXT_LINK_PATTERN)) {
    let found = match[0];
    // A sentence's full stop or closing bracket right after a URL is not part of it.
    const trailing = found.match(/[.,;:!?\]]+$/);
    if (trailing) found = found.slice(0, -trailing[0].length);
    const start = match.index;
    const href = found.startsWith("http") ? safeWebUrl(found) : telUrl(found);
    if (!href) continue;
    parent.append(text.slice(last, start));
    parent.append(href.startsWith("tel:") ? telLink(href, found) : webLink(href, found));
    last = start + found.length;
  }
  parent.append(text.slice(last));
}
