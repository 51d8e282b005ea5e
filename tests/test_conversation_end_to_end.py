"""The conversation flows through the real gateway, Rasa server, action server, Redis and PostgreSQL.

Nothing here depends on a particular FAQ answer (the FAQ content is curated separately).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import urllib.error
import urllib.request
from typing import Any

import psycopg
import pytest

from actions.conversation.office_hours import load_office_hours
from knowledge_base.texts import text
from scripts.stack import Stack

pytestmark = pytest.mark.slow

MAIN_MENU = ["手続き", "避難・防災", "職員に相談"]


class Resident:
    """One resident's conversation through /api/chat."""

    def __init__(self, stack: Stack, name: str) -> None:
        self.stack = stack
        self.session_id = f"{name}-{secrets.token_hex(4)}"

    def _post(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        request = urllib.request.Request(
            f"{self.stack.config.gateway_url}/api/chat",
            data=json.dumps({"session_id": self.session_id} | body).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.status == 200
                return json.load(response)["messages"]
        except urllib.error.HTTPError as error:
            raise AssertionError(f"HTTP {error.code}: {error.read()!r}") from error

    def says(self, text: str) -> list[dict[str, Any]]:
        return self._post({"text": text})

    def presses(self, payload: str) -> list[dict[str, Any]]:
        return self._post({"payload": payload})


def titles(message: dict[str, Any]) -> list[str]:
    return [b["title"] for b in message.get("buttons") or []]


def feedback_rows(stack: Stack) -> list[tuple]:
    """Every feedback row so far (none before the first one creates the table)."""
    with psycopg.connect(stack.config.database_url) as conn:
        if conn.execute("SELECT to_regclass('conversation_feedback')").fetchone()[0] is None:
            return []
        return conn.execute(
            "SELECT rating, entry_id, channel, language FROM conversation_feedback ORDER BY id"
        ).fetchall()


def test_a_greeting_offers_the_main_menu_and_a_returning_resident_is_not_welcomed_as_new(stack: Stack) -> None:
    resident = Resident(stack, "greet")
    first = resident.says("こんにちは")
    assert first[0]["text"] == text("greeting.new", "ja")
    assert titles(first[0]) == MAIN_MENU

    procedures = resident.presses(first[0]["buttons"][0]["payload"])
    assert "住民票" in titles(procedures[0])
    disaster = resident.presses(first[0]["buttons"][1]["payload"])
    assert titles(disaster[0])[:2] == ["避難場所をさがす", "警戒レベル"]

    again = resident.says("こんにちは")
    assert again[0]["text"] == text("greeting.again", "ja")
    assert titles(again[0]) == MAIN_MENU


def test_a_japanese_emergency_gets_119_and_110_first(stack: Stack) -> None:
    replies = Resident(stack, "emergency-ja").says("たすけて、家に水が入ってきた")
    assert replies[0]["text"] == text("emergency.guidance", "ja")


def test_an_english_emergency_gets_the_guidance_in_english(stack: Stack) -> None:
    replies = Resident(stack, "emergency-en").says("Help! My neighbour's house is on fire")
    assert replies[0]["text"] == text("emergency.guidance", "en")


def test_an_emergency_typed_without_accents_is_answered_in_its_language(stack: Stack) -> None:
    # "cuu toi voi" (cứu tôi với): the language detector alone cannot tell; the NLU's emergency words can.
    replies = Resident(stack, "emergency-vi").says("cuu toi voi, nuoc vao nha")
    assert replies[0]["text"] == text("emergency.guidance", "vi")


def test_the_rest_of_an_emergency_message_is_handled_after_the_guidance(stack: Stack) -> None:
    replies = Resident(stack, "emergency-follow-up").says("火事です！市役所の職員に電話したい")
    assert replies[0]["text"] == text("emergency.guidance", "ja")
    assert any("0297-23-2111" in m.get("text", "") for m in replies[1:]), replies


def test_a_question_in_the_middle_of_an_emergency_conversation_still_gets_the_guidance_first(stack: Stack) -> None:
    resident = Resident(stack, "emergency-later")
    resident.says("住民票がほしいです")
    replies = resident.says("Socorro! Estou preso em casa")
    assert replies[0]["text"] == text("emergency.guidance", "pt")


def test_human_handoff_gives_the_phone_the_hours_and_whether_the_office_is_open_now(stack: Stack) -> None:
    before = dt.datetime.now(dt.UTC)
    replies = Resident(stack, "handoff").says("職員と話したい")
    after = dt.datetime.now(dt.UTC)
    text = replies[0]["text"]
    assert "常総市役所（代表）" in text and "0297-23-2111" in text
    assert "受付：平日 8:30〜17:15" in text
    hours = load_office_hours()
    if hours.is_open(before) == hours.is_open(after):  # not at the very minute the office opens or closes
        expected = "いまは受付時間内です。" if hours.is_open(after) else "いまは受付時間外です。"
        assert expected in text


def test_feedback_is_recorded_in_postgresql_and_thumbs_down_offers_a_person(stack: Stack) -> None:
    resident = Resident(stack, "feedback")
    resident.says("マイナンバーカードをなくしました")
    rows_before = len(feedback_rows(stack))

    thanks = resident.presses("/feedback_good")
    assert thanks[0]["text"] == text("feedback.thanks", "ja")
    offer = resident.presses("/feedback_bad")
    assert offer[0]["text"] == text("feedback.sorry", "ja")
    assert "職員に相談" in titles(offer[0])
    contact = resident.says("はい")
    assert "0297-" in contact[0]["text"] and "受付" in contact[0]["text"]

    new_rows = feedback_rows(stack)[rows_before:]
    assert [(rating, channel, language) for rating, _, channel, language in new_rows] == [
        ("good", "web", "ja"),
        ("bad", "web", "ja"),
    ]
    # The entry id is the FAQ entry just answered (slot faq_id, set by the FAQ action) or none.
    assert new_rows[0][1] == new_rows[1][1]


def test_out_of_scope_says_what_the_bot_can_do_and_gives_no_faq_answer(stack: Stack) -> None:
    replies = Resident(stack, "out-of-scope").says("明日の天気を教えて")
    assert len(replies) == 1
    assert replies[0]["text"] == text("chat.out_of_scope", "ja")
    assert titles(replies[0]) == MAIN_MENU


def test_bot_challenge_says_it_is_an_automated_assistant(stack: Stack) -> None:
    replies = Resident(stack, "bot-challenge").says("あなたはロボットですか？")
    assert replies[0]["text"] == text("chat.bot_challenge", "ja")
