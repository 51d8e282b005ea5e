"""Rasa's replies (docs/message-contract.md) rendered as LINE messages.

One resident turn becomes a list of LINE message objects (wire format, camelCase), in order, with the
turn's buttons as a quick reply on the last one (LINE only shows the quick reply of the latest message).
When a turn needs more than the 5 messages one call may carry, adjacent texts are combined first;
whatever still does not fit is sent by push afterwards (see delivery.py): nothing is dropped.
"""

from __future__ import annotations

import logging
from typing import Any

from connectors.line import limits, texts
from connectors.line.flex import choices_bubble, shelter_messages
from connectors.line.split import LineMessage, text_messages
from connectors.replies import declared_language
from knowledge_base.texts import LANGUAGES, text

logger = logging.getLogger(__name__)


def postback_action(title: str, payload: str) -> dict[str, Any] | None:
    """A button as a postback action carrying its Rasa payload; None when LINE cannot carry the payload."""
    if not payload or limits.length(payload) > limits.POSTBACK_DATA:
        # An action built a payload LINE cannot carry: a bug to fix in the action, logged loudly.
        logger.error("a button payload of %d characters cannot go to LINE (max %d)", len(payload), limits.POSTBACK_DATA)
        return None
    title = title.strip() or payload
    return {
        "type": "postback",
        "label": limits.clip(title, limits.ACTION_LABEL),
        "data": payload,
        # What appears in the chat as the resident's own message when they tap it.
        "displayText": limits.clip(title, limits.DISPLAY_TEXT),
    }


def location_action(label: str | None = None) -> dict[str, Any]:
    return {"type": "location", "label": limits.clip(label or text("line.send_location", "ja"), limits.ACTION_LABEL)}


def quick_reply(actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"items": [{"type": "action", "action": action} for action in actions[: limits.QUICK_REPLY_ITEMS]]}


def menu_actions(language: str = "ja") -> list[dict[str, Any]]:
    """The default menu: after the welcome, and whenever a resident sends something we cannot read."""
    return [
        location_action(text("line.menu_nearest_shelter", language)),
        {
            "type": "postback",
            "label": limits.clip(text("line.menu_alert_level", language), limits.ACTION_LABEL),
            "data": "/alert_level",
            "displayText": limits.clip(text("line.menu_alert_level_said", language), limits.DISPLAY_TEXT),
        },
    ]


class _Turn:
    """Collects one turn's messages, buttons and location request while the replies are walked."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.messages: list[LineMessage] = []
        self.buttons: list[dict[str, str]] = []
        self.ask_location = False

    def add_buttons(self, buttons: Any) -> None:
        for button in buttons if isinstance(buttons, list) else []:
            if isinstance(button, dict) and button.get("payload"):
                self.buttons.append({"title": str(button.get("title") or ""), "payload": str(button["payload"])})

    def add_custom(self, custom: dict[str, Any]) -> None:
        kind = custom.get("kind")
        fallback = str(custom.get("text") or "")
        if kind == "shelter_list":
            self.messages += shelter_messages(custom, self.language)
        elif kind == "location_request":
            self.messages += text_messages(fallback or text("line.send_location", self.language))
            self.ask_location = True
            self.add_buttons(custom.get("buttons"))
        elif kind == "alert":
            self.messages += text_messages(fallback or _alert_text(custom, self.language))
        elif kind == "faq_answer":
            # Plain text on purpose: it is never cut short, the phone number and the page link are tappable,
            # it can be copied, and it reads well at any font size (docs: README, "LINE").
            self.messages += text_messages(fallback or _faq_text(custom))
        else:
            if not fallback:
                logger.warning("custom message of kind %r without a text fallback: nothing to show", kind)
            self.messages += text_messages(fallback)

    def add(self, reply: dict[str, Any]) -> None:
        custom = reply.get("custom")
        text = reply.get("text")
        # Rasa may repeat a custom message's fallback as text: show it once.
        repeated = isinstance(custom, dict) and custom.get("text") == text
        if isinstance(text, str) and text.strip() and not repeated:
            self.messages += text_messages(text)
        if isinstance(custom, dict):
            self.add_custom(custom)
        elif isinstance(custom, str) and custom.strip():
            self.messages += text_messages(custom)
        image = reply.get("image")
        if isinstance(image, str) and image:
            self.messages.append(_image(image))
        self.add_buttons(reply.get("buttons"))


def _image(url: str) -> LineMessage:
    if url.startswith("https://") and len(url) <= 2000:
        return {"type": "image", "originalContentUrl": url, "previewImageUrl": url}
    return {"type": "text", "text": url}  # LINE only shows images served over https


def _alert_text(custom: dict[str, Any], language: str) -> str:
    return texts.alert_heading(custom.get("level"), language) + str(custom.get("message") or "")


def _faq_text(custom: dict[str, Any]) -> str:
    # The card's labels are in the language of its answer (which may be a fallback language).
    language = str(custom.get("language") or "ja")
    language = language if language in LANGUAGES else "ja"
    lines = [str(custom.get("answer") or "")]
    if custom.get("department"):
        lines.append(f"{text('card.department', language)}: {custom['department']} ({custom.get('phone') or ''})")
    if custom.get("url"):
        lines.append(f"{text('card.more', language)}: {custom['url']}")
    return "\n".join(line for line in lines if line)


def combine_texts(messages: list[LineMessage], target: int = limits.MESSAGES_PER_CALL) -> list[LineMessage]:
    """Join adjacent text messages (within LINE's text limit) until the turn fits `target` messages.

    Only used when a turn is too long for one call: separate bubbles read better when they fit.
    """
    if len(messages) <= target:
        return messages
    combined: list[LineMessage] = []
    for message in messages:
        previous = combined[-1] if combined else None
        if (
            previous is not None
            and previous["type"] == "text"
            and message["type"] == "text"
            and limits.length(previous["text"]) + 2 + limits.length(message["text"]) <= limits.TEXT_LENGTH
        ):
            combined[-1] = {"type": "text", "text": previous["text"] + "\n\n" + message["text"]}
        else:
            combined.append(dict(message))
    return combined


def _unique(buttons: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: set[str] = set()
    unique = []
    for button in buttons:
        if button["payload"] not in seen:
            seen.add(button["payload"])
            unique.append(button)
    return unique


def render(
    replies: list[dict[str, Any]], extra_actions: list[dict[str, Any]] | None = None, language: str | None = None
) -> list[LineMessage]:
    """LINE messages for one turn of Rasa replies, the turn's choices as a quick reply on the last one.

    `extra_actions` (e.g. the default menu) are offered when the replies bring no buttons of their own.
    LINE's own labels are in `language`, else in the language the replies declare (Japanese when none).
    """
    turn = _Turn(language or declared_language(replies) or "ja")
    for reply in replies:
        if isinstance(reply, dict):
            turn.add(reply)
    messages = combine_texts(turn.messages)

    actions = [location_action(text("line.send_location", turn.language))] if turn.ask_location else []
    buttons_actions = [a for b in _unique(turn.buttons) if (a := postback_action(b["title"], b["payload"]))]
    if len(actions) + len(buttons_actions) > limits.QUICK_REPLY_ITEMS:
        # Too many for a quick reply: all of them go in a card of buttons that stays in the chat.
        messages.append(choices_bubble(text("line.more_choices", turn.language), buttons_actions))
    else:
        actions += buttons_actions
    if not actions and not turn.buttons and extra_actions:
        actions = list(extra_actions)
    if actions:
        if not messages:
            messages = text_messages(text("line.more_choices", turn.language))
        messages[-1] = {**messages[-1], "quickReply": quick_reply(actions)}
    return messages


def batches(messages: list[LineMessage], size: int = limits.MESSAGES_PER_CALL) -> list[list[LineMessage]]:
    """Consecutive groups of at most `size` messages: the first goes by reply, the rest by push."""
    return [messages[start : start + size] for start in range(0, len(messages), size)]
