"""A conversation in each of the eight languages reads in that language end to end, through /api/chat.

A question, the shelter search with a location, the alert levels and the hand-off: through the real gateway,
Rasa server and action server. The resident types only the first message; the rest is buttons and a shared
location, which show no language of their own: the conversation keeps the one the resident wrote in.
"""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from knowledge_base.shelters.status import Status
from knowledge_base.texts import LANGUAGES, text
from scripts.stack import Stack
from tests import language_support as journey
from tests.test_end_to_end import post

pytestmark = pytest.mark.slow


class Resident:
    def __init__(self, stack: Stack, language: str) -> None:
        self.stack = stack
        self.session_id = f"lang-{language}-{secrets.token_hex(4)}"
        self.languages: list[str | None] = []

    def turn(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        status, answer = post(self.stack, "/api/chat", {"session_id": self.session_id} | body)
        assert status == 200, answer
        self.languages.append(answer.get("language"))
        return answer["messages"]


def said(messages: list[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages if m.get("text")] + [
        m["custom"]["text"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("text")
    ]


def customs(messages: list[dict[str, Any]], kind: str | None = None) -> list[dict[str, Any]]:
    found = [m["custom"] for m in messages if isinstance(m.get("custom"), dict)]
    return [c for c in found if kind is None or c.get("kind") == kind]


def titles(messages: list[dict[str, Any]]) -> list[str]:
    return [b["title"] for m in messages for b in m.get("buttons") or []]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_conversation_reads_in_the_residents_language_from_question_to_hand_off(stack: Stack, language: str) -> None:
    resident = Resident(stack, language)

    answer = resident.turn({"text": journey.QUESTIONS[language]})
    assert journey.faq_outcome_problems(language, said(answer), customs(answer)) == []
    if customs(answer, "faq_answer"):
        assert set(journey.feedback_titles(language)) <= set(titles(answer))

    [request] = customs(resident.turn({"payload": "/find_shelter"}), "location_request")
    assert request["language"] == language and request["text"].startswith(journey.location_prompt(language))

    [question] = resident.turn({"location": journey.NEAR_DEMO_G})
    assert question["text"] == journey.hazard_question(language)
    assert journey.flood_label(language) in titles([question])

    listed = resident.turn({"payload": journey.FLOOD})
    [shelters] = customs(listed, "shelter_list")
    assert shelters["language"] == language and shelters["hazard_label"] == journey.flood_label(language)
    assert {s["status_label"] for s in shelters["sites"]} == {Status.CLOSED.label(language)}
    assert text("shelter.heading", language, hazard=journey.flood_label(language)) in shelters["text"].splitlines()

    levels = resident.turn({"payload": "/alert_level"})
    assert journey.alert_levels_intro(language) in "\n".join(said(levels))
    assert titles(levels) == journey.alert_level_buttons(language)

    handoff = resident.turn({"payload": "/human_handoff"})
    assert journey.handoff_problems(language, "\n".join(said(handoff))) == []

    # The widget relabels itself from what the gateway says: never another language than the resident's.
    assert set(resident.languages) <= {language, None} and resident.languages[0] == language
