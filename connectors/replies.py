"""Rasa's REST replies, reduced to the channel-neutral messages every channel renders."""

from __future__ import annotations

from typing import Any

from connectors.texts import engine_unavailable
from knowledge_base.language import answer_language
from knowledge_base.texts import LANGUAGES

# Fields of a Rasa REST reply that reach the channels; recipient_id is the pseudonym and stays here.
_KEPT = ("text", "buttons", "image", "custom", "attachment")


def from_rasa(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    messages = []
    for reply in replies:
        message = {key: reply[key] for key in _KEPT if reply.get(key) is not None}
        if "buttons" in message:
            message["buttons"] = [
                {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))} for b in message["buttons"]
            ]
        if message:
            messages.append(message)
    return messages


def declared_language(replies: list[dict[str, Any]]) -> str | None:
    """The resident's language as the actions declared it in a payload of this turn (docs/message-contract.md)."""
    for reply in replies:
        custom = reply.get("custom") if isinstance(reply, dict) else None
        if isinstance(custom, dict) and custom.get("kind") != "faq_answer" and custom.get("language") in LANGUAGES:
            return str(custom["language"])
    return None


def turn_language(replies: list[dict[str, Any]], typed: str | None, remembered: str | None = None) -> str | None:
    """The language of a channel's own labels for this turn; None when nothing shows it.

    What the actions declared wins (they apply answer_language to the whole conversation); else the rule
    itself on what the resident typed this turn, then on what the channel remembers of the chat.
    """
    declared = declared_language(replies)
    if declared is not None:
        return declared
    # A button payload ("/intent...") or a shared location shows no language.
    typed_texts = [typed] if typed and not typed.startswith("/") else []
    return answer_language(typed_texts, default=remembered)


def unavailable_reply(language: str = "ja") -> list[dict[str, Any]]:
    return [{"text": engine_unavailable(language)}]
