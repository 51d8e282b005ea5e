"""Rasa's REST replies, reduced to the channel-neutral messages every channel renders."""

from __future__ import annotations

from typing import Any

from connectors.texts import ENGINE_UNAVAILABLE

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


def unavailable_reply() -> list[dict[str, Any]]:
    return [{"text": ENGINE_UNAVAILABLE}]
