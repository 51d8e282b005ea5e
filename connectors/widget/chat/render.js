// One transcript entry -> DOM. Everything from the server goes in as text (textContent, text nodes),
// never as HTML; links are made only from http(s)/tel URLs (links.js). Contract: docs/message-contract.md.

import { appendLinkedText, safeWebUrl, telLink, telUrl, webLink } from "./links.js";
import { ALERT_LEVEL_NAMES, HAZARD_NAMES, STATUS_NAMES, TEXTS, currentLanguage, format } from "./i18n.js";

// Languages written with full-width punctuation and Japanese-style dates (年月日).
const CJK_DATES = new Set(["ja", "zh"]);

/** A string field of a payload, or "" when missing or not a string/number. */
function field(object, name) {
  const value = object == null ? undefined : object[name];
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return "";
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function speaker(name) {
  // Read by screen readers before each message, so the log says who is speaking.
  return el("span", "visually-hidden", `${name}：`);
}

function textBubble(text) {
  const bubble = el("p", "bubble");
  appendLinkedText(bubble, text);
  return bubble;
}

/** "2024-04-01" -> "2024年4月1日" in Japanese and Chinese, the ISO date otherwise (anything else as it is). */
export function formatDate(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return iso;
  if (!CJK_DATES.has(currentLanguage())) return match[0];
  return `${Number(match[1])}年${Number(match[2])}月${Number(match[3])}日`;
}

/** An ISO date-time in Japan time, e.g. "9月10日 6時15分" (the city's times are Japan times). */
export function formatJapanTime(iso) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return iso;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("ja-JP", {
      timeZone: "Asia/Tokyo",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  if (!CJK_DATES.has(currentLanguage())) return `${parts.month}/${parts.day} ${parts.hour}:${parts.minute} (JST)`;
  return `${parts.month}月${parts.day}日 ${parts.hour}時${parts.minute}分`;
}

/** 350 -> "約350m", 1234 -> "約1.2km" (in the widget's language). */
export function formatDistance(meters) {
  const value = Number(meters);
  if (!Number.isFinite(value) || value < 0) return "";
  const distance = value < 1000 ? `${Math.max(10, Math.round(value / 10) * 10)}m` : `${(value / 1000).toFixed(1)}km`;
  return format(TEXTS.distanceValue, { distance });
}

function facts(rows) {
  const list = el("dl", "facts");
  for (const [label, content] of rows) {
    if (!content) continue;
    const row = el("div", "fact");
    row.append(el("dt", "", label));
    const value = el("dd");
    value.append(content);
    row.append(value);
    list.append(row);
  }
  return list;
}

function phoneContent(phone) {
  if (!phone) return "";
  const href = telUrl(phone);
  return href ? telLink(href, phone) : phone;
}

/** Mark the button the resident pressed (in place: the live region does not read the message again). */
export function markChosen(button) {
  button.classList.add("chosen");
  button.append(el("span", "chosen-mark", TEXTS.chosen));
}

/** Buttons that send their payload as the resident's next turn. */
function choices(buttons, ctx) {
  const group = el("div", "choices");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", TEXTS.choicesLabel);
  for (const button of buttons) {
    const title = field(button, "title");
    const payload = field(button, "payload");
    if (!title || !payload) continue;
    const node = el("button", "choice", title);
    node.type = "button";
    if (ctx.chosen && ctx.chosen.title === title && ctx.chosen.payload === payload) markChosen(node);
    node.disabled = !ctx.interactive;
    node.addEventListener("click", () => ctx.onButton({ title, payload }, node));
    group.append(node);
  }
  return group.childElementCount ? group : null;
}

function faqAnswer(custom) {
  const card = el("article", "card faq");
  const language = field(custom, "language");
  const question = el("h3", "card-title", field(custom, "question"));
  const answer = el("p", "answer");
  appendLinkedText(answer, field(custom, "answer") || field(custom, "text"));
  if (language) {
    question.lang = language;
    answer.lang = language;
  }
  if (question.textContent) card.append(question);
  card.append(answer);
  if (custom.translated_from_ja === true) card.append(el("p", "card-note", TEXTS.translated));
  const updated = field(custom, "updated");
  card.append(
    facts([
      [TEXTS.department, field(custom, "department")],
      [TEXTS.phone, phoneContent(field(custom, "phone"))],
      [TEXTS.hours, field(custom, "hours")],
      [TEXTS.updated, updated ? formatDate(updated) : ""],
    ]),
  );
  const url = safeWebUrl(field(custom, "url"));
  if (url) {
    const more = el("p", "more");
    more.append(webLink(url, TEXTS.moreInfo));
    card.append(more);
  }
  return card;
}

function locationRequest(custom, ctx) {
  const card = el("div", "card location");
  const prompt = field(custom, "text");
  if (prompt) card.append(textBubble(prompt));
  const actions = el("div", "location-actions");
  const locate = el("button", "choice primary", `📍 ${TEXTS.useLocation}`);
  locate.type = "button";
  locate.dataset.action = "locate";
  locate.disabled = !ctx.interactive;
  locate.addEventListener("click", () => ctx.onLocate(locate));
  const typePlace = el("button", "choice", `✏️ ${TEXTS.typePlace}`);
  typePlace.type = "button";
  typePlace.dataset.action = "type-place";
  typePlace.disabled = !ctx.interactive;
  typePlace.addEventListener("click", () => ctx.onTypePlace());
  actions.append(locate, typePlace);
  card.append(actions);
  const extra = Array.isArray(custom.buttons) ? choices(custom.buttons, ctx) : null;
  if (extra) card.append(extra);
  return card;
}

function hazardName(code) {
  return HAZARD_NAMES[code] || code;
}

/** A site's status in the widget's language: from its code (closed/open/full), else as the payload says it. */
function statusName(site) {
  const code = field(site, "status_code");
  if (code && STATUS_NAMES[code]) return STATUS_NAMES[code];
  const status = field(site, "status");
  return STATUS_NAMES[status] || field(site, "status_label") || status;
}

function shelterSite(site) {
  const item = el("li", "site");
  const heading = el("h4", "site-name", field(site, "name"));
  item.append(heading);
  if (site.welfare === true) item.append(el("p", "badge", TEXTS.welfare));
  item.append(
    facts([
      [TEXTS.distance, formatDistance(site.distance_m)],
      [TEXTS.address, field(site, "address")],
      [TEXTS.status, statusName(site)],
    ]),
  );
  const map = safeWebUrl(field(site, "map_url"));
  if (map) {
    const line = el("p", "more");
    line.append(webLink(map, `${TEXTS.map}（${field(site, "name")}）`));
    item.append(line);
  }
  return item;
}

function shelterList(custom) {
  const card = el("section", "card shelters");
  const hazard = field(custom, "hazard");
  card.append(el("h3", "card-title", hazard ? `${TEXTS.sheltersTitle}（${hazardName(hazard)}）` : TEXTS.sheltersTitle));
  if (custom.demo === true) card.append(el("p", "warning", TEXTS.sheltersDemo));
  const note = field(custom, "note");
  if (note) card.append(textBubble(note));
  const sites = Array.isArray(custom.sites) ? custom.sites.filter((site) => site && typeof site === "object") : [];
  if (sites.length === 0) {
    card.append(el("p", "", TEXTS.noSites));
    return card;
  }
  const list = el("ol", "sites");
  for (const site of sites) list.append(shelterSite(site));
  card.append(list);
  return card;
}

function alertBanner(custom, ctx) {
  const level = Number(custom.level);
  const known = Number.isInteger(level) && level >= 1 && level <= 5;
  const banner = el("div", known ? `alert level-${level}` : "alert");
  // Announced at once when it arrives; not again when the transcript is shown after a reload.
  if (ctx.fresh) banner.setAttribute("role", "alert");
  const title = known ? format(TEXTS.alertTitle, { level, name: ALERT_LEVEL_NAMES[level] }) : field(custom, "text");
  banner.append(el("p", "alert-title", `⚠ ${title}`));
  const hazard = field(custom, "hazard");
  if (hazard) banner.append(el("p", "alert-hazard", hazardName(hazard)));
  const message = field(custom, "message") || (known ? field(custom, "text") : "");
  if (message) {
    const body = el("p", "alert-message");
    appendLinkedText(body, message);
    banner.append(body);
  }
  const issued = field(custom, "issued_at");
  const colon = CJK_DATES.has(currentLanguage()) ? "：" : ": ";
  if (issued) banner.append(el("p", "alert-time", `${TEXTS.issuedAt}${colon}${formatJapanTime(issued)}`));
  return banner;
}

const CUSTOM_RENDERERS = {
  faq_answer: faqAnswer,
  location_request: locationRequest,
  shelter_list: shelterList,
  alert: alertBanner,
};

/** A `custom` payload: by kind, or its `text` fallback for a kind this widget does not know. */
function customContent(custom, ctx) {
  const renderer = CUSTOM_RENDERERS[custom.kind];
  if (renderer) {
    try {
      return renderer(custom, ctx);
    } catch (error) {
      // A malformed payload must still leave the resident something to read.
      console.warn("joso-chat: could not render", custom.kind, error);
    }
  }
  const fallback = field(custom, "text");
  return fallback ? textBubble(fallback) : null;
}

function botEntry(message, ctx) {
  const item = el("div", "entry entry-bot");
  item.append(speaker(TEXTS.bot));
  const custom = message.custom && typeof message.custom === "object" ? message.custom : null;
  const text = field(message, "text");
  // A message may carry the same words as text and as the custom payload's fallback: show them once.
  const shownByCustom = custom && CUSTOM_RENDERERS[custom.kind] && text === field(custom, "text");
  if (text && !shownByCustom) item.append(textBubble(text));
  if (custom) {
    const content = customContent(custom, ctx);
    if (content) item.append(content);
  }
  const image = safeWebUrl(field(message, "image"));
  if (image) {
    const line = el("p", "bubble");
    line.append(webLink(image, "画像を開く"));
    item.append(line);
  }
  const buttons = Array.isArray(message.buttons) ? choices(message.buttons, ctx) : null;
  if (buttons) item.append(buttons);
  return item.childElementCount > 1 ? item : null;
}

function residentEntry(entry) {
  const item = el("div", "entry entry-resident");
  item.append(speaker(TEXTS.you));
  item.append(el("p", "bubble", entry.text));
  showResidentStatus(item, entry);
  return item;
}

/**
 * Mark a resident's message as not sent, or clear the mark, in place: replacing the element would make
 * screen readers read the message out again.
 */
export function showResidentStatus(item, entry) {
  const notSent = entry.status === "failed" || entry.status === "rejected";
  item.classList.toggle("not-sent", notSent);
  const status = item.querySelector(".entry-status");
  if (notSent && !status) item.append(el("p", "entry-status", TEXTS.notSent));
  if (!notSent && status) status.remove();
}

/**
 * The element for one transcript entry, or null when there is nothing to show.
 * ctx: {interactive, fresh, chosen, onButton({title, payload}), onLocate(button), onTypePlace()}
 */
export function renderEntry(entry, ctx) {
  if (entry.who === "resident") return residentEntry(entry);
  if (entry.who === "notice") return el("p", "entry notice", entry.text);
  if (entry.who === "bot" && entry.message && typeof entry.message === "object") {
    return botEntry(entry.message, { ...ctx, chosen: entry.chosen });
  }
  return null;
}
