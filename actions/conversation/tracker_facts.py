"""What the conversation actions read from Rasa's tracker (rasa-sdk's Tracker or its events)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from knowledge_base.language import answer_language


def current_session_events(tracker: Tracker) -> list[dict[str, Any]]:
    """Events since the latest session start (all events when the tracker has no session yet)."""
    events = list(tracker.events or [])
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "session_started":
            return events[index + 1 :]
    return events


def _typed_text(event: dict[str, Any]) -> str | None:
    """The resident's own words in a user event; None for button payloads ("/intent{...}")."""
    text = (event.get("text") or "").strip()
    return text if text and not text.startswith("/") else None


def resident_language(tracker: Tracker) -> str:
    """The language to answer in (knowledge_base.language.answer_language over what the resident typed).

    Newest first over the whole conversation, so a button, a location or a bare number keeps the language
    the resident wrote in before, and a returning resident is answered in their language from the start.
    """
    typed = (
        text
        for event in reversed(tracker.events or [])
        if event.get("event") == "user" and (text := _typed_text(event))
    )
    return answer_language(typed)


def user_turns_in_session(tracker: Tracker) -> int:
    return sum(1 for event in current_session_events(tracker) if event.get("event") == "user")


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    for found in (tracker.latest_message or {}).get("entities") or []:
        if found.get("entity") == entity and found.get("value") not in (None, ""):
            return str(found["value"])
    return None


def channel(tracker: Tracker) -> str | None:
    """The channel the gateway named in the message metadata (web, line); never anything personal."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    value = metadata.get("channel")
    return str(value)[:32] if value else None
