"""The FAQ outcomes through the real gateway, Rasa and action server (the shared `stack` fixture), on the
shipped FAQ (knowledge_base/faq)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from scripts.stack import Stack
from tests.test_end_to_end import post

pytestmark = pytest.mark.slow


def cards(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [m["custom"] for m in body["messages"] if (m.get("custom") or {}).get("kind") == "faq_answer"]


def buttons(body: dict[str, Any]) -> list[str]:
    return [b["payload"] for m in body["messages"] for b in m.get("buttons", [])]


def test_a_clear_question_gets_the_card_then_related_and_feedback_buttons(stack: Stack) -> None:
    status, body = post(stack, "/api/chat", {"session_id": "faq-card", "text": "住民票の写しがほしいです"})
    assert status == 200
    (card,) = cards(body)
    assert (card["entry_id"], card["department"], card["language"]) == ("juminhyo-copy", "市民課", "ja")
    assert "本人確認書類" in card["text"] and "0297-23-2111" in card["text"]
    assert buttons(body) == ['/select_faq{"faq_id": "tennyu"}', "/feedback_good", "/feedback_bad"]


def test_a_related_question_button_shows_that_entry(stack: Stack) -> None:
    post(stack, "/api/chat", {"session_id": "faq-button", "text": "住民票の写しがほしいです"})
    status, body = post(stack, "/api/chat", {"session_id": "faq-button", "payload": '/select_faq{"faq_id": "tennyu"}'})
    assert status == 200
    (card,) = cards(body)
    assert card["entry_id"] == "tennyu"
    assert "転入届" in card["answer"]


def test_an_english_question_is_answered_in_english(stack: Stack) -> None:
    text = "Where can I get a copy of my residence certificate?"
    status, body = post(stack, "/api/chat", {"session_id": "faq-english", "text": text})
    assert status == 200
    (card,) = cards(body)
    assert (card["entry_id"], card["language"], card["translated_from_ja"]) == ("juminhyo-copy", "en", True)
    assert "Contact: 市民課" in card["text"]


def test_an_unanswerable_question_gets_the_city_number_and_is_recorded_redacted(stack: Stack) -> None:
    text = "私は山田です。明日の天気を教えてください"
    status, body = post(stack, "/api/chat", {"session_id": "faq-miss", "text": text})
    assert status == 200
    assert cards(body) == []
    reply = "\n".join(m.get("text", "") for m in body["messages"])
    assert "常総市役所（代表 0297-23-2111）" in reply
    with psycopg.connect(stack.config.database_url) as conn:
        questions = [row[0] for row in conn.execute("SELECT question FROM faq_misses")]
    assert "私は［名前］です。明日の天気を教えてください" in questions
    assert not any("山田" in q for q in questions)
