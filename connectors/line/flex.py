"""Flex messages: shelter cards (a carousel) and a card of buttons when a quick reply cannot hold them all."""

from __future__ import annotations

import math
from typing import Any

from connectors.line import limits, texts
from connectors.line.split import LineMessage, text_messages
from knowledge_base.texts import text

# Dark text on white for contrast (many readers are elderly); green is LINE's own button colour.
_MAIN = "#111111"
_SUB = "#333333"
_BUTTON = limits.FLEX_BUTTON_LABEL


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "text", "text": text, "wrap": True, "color": _MAIN, **style}


def _is_link(uri: Any) -> bool:
    return isinstance(uri, str) and uri.startswith(("https://", "http://")) and len(uri) <= limits.URI_LENGTH


def _distance(site: dict[str, Any], language: str) -> str | None:
    metres = site.get("distance_m")
    if isinstance(metres, int | float) and not isinstance(metres, bool) and math.isfinite(metres) and metres >= 0:
        return texts.distance_label(float(metres), language)
    return None


def _status(site: dict[str, Any], language: str) -> str | None:
    """The site's status in the resident's language: the action's label, else the contract's word translated."""
    label = site.get("status_label")
    if isinstance(label, str) and label.strip():
        return label.strip()
    for field in ("status_code", "status"):
        value = site.get(field)
        if isinstance(value, str) and value.strip():
            return texts.shelter_status(value.strip(), language)
    return None


def site_bubble(rank: int, site: dict[str, Any], language: str = "ja") -> dict[str, Any]:
    name = str(site.get("name") or "").strip() or text("line.shelter_no_name", language)
    body: list[dict[str, Any]] = [_text(f"{rank}. {name}", weight="bold", size="lg")]
    if distance := _distance(site, language):
        body.append(_text(distance, size="md"))
    if address := str(site.get("address") or "").strip():
        body.append(_text(address, size="md", color=_SUB))
    if status := _status(site, language):
        body.append(_text(status, size="md", weight="bold"))
    if site.get("welfare") is True:
        body.append(_text(text("line.shelter_welfare", language), size="sm", color=_SUB))
    bubble: dict[str, Any] = {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
    }
    if _is_link(site.get("map_url")):
        bubble["footer"] = {
            "type": "box",
            "layout": "vertical",
            "contents": [
                {
                    "type": "button",
                    "style": "primary",
                    "action": {"type": "uri", "label": text("line.shelter_map", language), "uri": site["map_url"]},
                }
            ],
        }
    return bubble


def _site_line(rank: int, site: dict[str, Any]) -> str:
    parts = [f"{rank}. {site.get('name') or ''}"]
    if address := site.get("address"):
        parts.append(str(address))
    if _is_link(site.get("map_url")):
        parts.append(str(site["map_url"]))
    return " ".join(parts)


def shelter_messages(custom: dict[str, Any], language: str = "ja") -> list[LineMessage]:
    """A `shelter_list` as a carousel (best first), preceded by its notes; sites past 12 follow as text."""
    fallback = str(custom.get("text") or text("line.shelter_list_title", language))
    sites = [site for site in custom.get("sites") or [] if isinstance(site, dict)]
    if not sites:
        return text_messages(fallback)
    messages: list[LineMessage] = []
    notes = [text("line.shelter_demo", language)] if custom.get("demo") else []
    if isinstance(custom.get("note"), str) and custom["note"].strip():
        notes.append(custom["note"].strip())
    if notes:
        messages += text_messages("\n".join(notes))
    shown = sites[: limits.CAROUSEL_BUBBLES]
    messages.append(
        {
            "type": "flex",
            "altText": limits.clip(fallback, limits.ALT_TEXT),
            "contents": {"type": "carousel", "contents": [site_bubble(i, s, language) for i, s in enumerate(shown, 1)]},
        }
    )
    rest = sites[limits.CAROUSEL_BUBBLES :]
    if rest:
        lines = [_site_line(i, s) for i, s in enumerate(rest, len(shown) + 1)]
        messages += text_messages(text("line.shelter_more", language) + "\n" + "\n".join(lines))
    return messages


def choices_bubble(title: str, actions: list[dict[str, Any]]) -> LineMessage:
    """Every choice as a button on one card (used when there are more than a quick reply can hold)."""
    buttons = [
        {
            "type": "button",
            "style": "secondary",
            "height": "sm",
            # Card buttons have room for 40 characters: the full title where the quick reply had to cut it.
            "action": {**action, "label": limits.clip(action.get("displayText") or action["label"], _BUTTON)},
        }
        for action in actions
    ]
    return {
        "type": "flex",
        "altText": title,
        "contents": {
            "type": "bubble",
            "body": {
                "type": "box",
                "layout": "vertical",
                "spacing": "sm",
                "contents": [_text(title, weight="bold"), *buttons],
            },
        },
    }
