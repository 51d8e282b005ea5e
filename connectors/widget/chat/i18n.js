// The widget's own texts in the resident's language. The texts come from the gateway (texts.js, generated
// from the same catalogue as the bot's); this picks the language and fills the objects the widget reads.
//
// Which language: the one the conversation is in (the gateway says so with each reply, and the tab keeps
// it), else the language of the page the widget is on (the city's English pages say lang="en"), else
// Japanese. Not the browser's language: a shared or borrowed computer's setting says little about its user.

import { CATALOGUE } from "./texts.js";

export const TEXTS = {};
export const ALERT_LEVEL_NAMES = {};
export const HAZARD_NAMES = {};
export const STATUS_NAMES = {};

let current = "";

/** "pt-BR" -> "pt", "fil" -> "tl"; null when the widget has no texts in that language. */
export function supportedLanguage(tag) {
  const code = String(tag || "").trim().toLowerCase().split(/[-_]/)[0];
  const known = code === "fil" ? "tl" : code;
  return Object.hasOwn(CATALOGUE, known) ? known : null;
}

export function currentLanguage() {
  return current;
}

/** Switch the texts to `tag` (Japanese when unsupported); true when the language changed. */
export function setLanguage(tag) {
  const language = supportedLanguage(tag) || "ja";
  if (language === current) return false;
  current = language;
  const entry = CATALOGUE[language];
  for (const [target, source] of [
    [TEXTS, entry.texts],
    [ALERT_LEVEL_NAMES, entry.levels],
    [HAZARD_NAMES, entry.hazards],
    [STATUS_NAMES, entry.statuses],
  ]) {
    for (const key of Object.keys(target)) delete target[key];
    Object.assign(target, source);
  }
  return true;
}

/** "約{distance}" + {distance: "850m"} -> "約850m" (a placeholder without a value stays as it is). */
export function format(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

setLanguage("ja");
