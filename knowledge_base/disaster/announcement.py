"""What residents read when disaster mode is on: the alert (first reply of every conversation, and the LINE
broadcast), from the resident catalogue.

The staff's own message is typed in Japanese: it is shown as it is, after a notice in the resident's language.
Before the resident has written a word (a new conversation, a broadcast to every follower) the language is not
known: the alert is in Japanese, then one line with the level and what to do in each other language.
"""

from __future__ import annotations

from knowledge_base.disaster.levels import level
from knowledge_base.disaster.state import DisasterState
from knowledge_base.texts import LANGUAGES, other_language_notice, text

# From this level on, the alert says to call 119 / 110 when a life is in danger.
CALL_NOW_FROM_LEVEL = 3


def _block(state: DisasterState, language: str) -> list[str]:
    info = level(state.level)
    lines = [
        text("alert.banner", language, level=state.level, name=info.name[language], hazard=state.hazard.label(language))
    ]
    # The staff message is Japanese (staff write it so): say so before it in any other language.
    lines += [notice] if (notice := other_language_notice(language, "ja")) else []
    lines += [state.message, info.advice(language)]
    if state.level >= CALL_NOW_FROM_LEVEL:
        lines.append(text("alert.call_now", language))
    return lines


def _summary(state: DisasterState, language: str) -> str:
    return text(
        "alert.summary",
        language,
        level=state.level,
        hazard=state.hazard.label(language),
        advice=level(state.level).advice(language),
    )


def alert_text(state: DisasterState, language: str | None = None) -> str:
    """The alert in `language`; without one, in Japanese with one line in each other language."""
    if language is not None and language != "ja":
        return "\n".join(_block(state, language))
    return "\n".join(_block(state, "ja") + [_summary(state, other) for other in LANGUAGES if other != "ja"])


def broadcast_text(state: DisasterState) -> str:
    """The text the LINE broadcast sends to followers (their languages are not known: all of them)."""
    hints = [text("alert.find_shelter_hint", language) for language in LANGUAGES]
    return "\n".join([alert_text(state), *hints])


def find_shelter_title(language: str) -> str:
    return text("menu.find_shelter", language)
