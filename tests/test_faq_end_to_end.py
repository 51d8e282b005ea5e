"""The FAQ outcomes through the real gateway, Rasa and action server (the shared `stack` fixture), on the
shipped FAQ (knowledge_base/faq)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from knowledge_base import FAQ_DIR
from knowledge_base.catalog import FaqEntry
from knowledge_base.catalog.validator import validate_directory
from scripts.stack import Stack
from tests.test_end_to_end import post

pytestmark = pytest.mark.slow


def shipped(entry_id: str) -> FaqEntry:
    """An entry of the FAQ the stack serves: expectations follow the content, whoever edits it."""
    return next(e for e in validate_directory(FAQ_DIR).entries if e.id == entry_id)


def related_buttons(entry: FaqEntry) -> list[str]:
    return [f'/select_faq{{"faq_id": "{r}"}}' for r in entry.related[:3]] + ["/feedback_good", "/feedback_bad"]


def cards(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [m["custom"] for m in body["messages"] if (m.get("custom") or {}).get("kind") == "faq_answer"]


def buttons(body: dict[str, Any]) -> list[str]:
    return [b["payload"] for m in body["messages"] for b in m.get("buttons", [])]


# A question the shipped calibration answers with a card (the benchmark measures how often that happens).
CLEAR_QUESTION = "マイナンバーカードをなくした"
CLEAR_ENTRY = "mynumber-card-lost"


def test_a_clear_question_gets_the_card_then_related_and_feedback_buttons(stack: Stack) -> None:
    status, body = post(stack, "/api/chat", {"session_id": "faq-card", "text": CLEAR_QUESTION})
    assert status == 200
    (card,) = cards(body)
    entry = shipped(CLEAR_ENTRY)
    assert (card["entry_id"], card["department"], card["language"]) == (CLEAR_ENTRY, entry.department, "ja")
    assert card["answer"] == entry.answer
    assert entry.answer in card["text"] and entry.phone in card["text"]
    assert buttons(body) == related_buttons(entry)


def test_a_related_question_button_shows_that_entry(stack: Stack) -> None:
    _, first = post(stack, "/api/chat", {"session_id": "faq-button", "text": CLEAR_QUESTION})
    payload = buttons(first)[0]
    chosen = shipped(shipped(CLEAR_ENTRY).related[0])
    assert payload == f'/select_faq{{"faq_id": "{chosen.id}"}}'
    status, body = post(stack, "/api/chat", {"session_id": "faq-button", "payload": payload})
    assert status == 200
    (card,) = cards(body)
    assert (card["entry_id"], card["answer"]) == (chosen.id, chosen.answer)


def test_an_english_question_is_answered_in_english(stack: Stack) -> None:
    text = "Where can I get a copy of my residence certificate?"
    status, body = post(stack, "/api/chat", {"session_id": "faq-english", "text": text})
    assert status == 200
    (card,) = cards(body)
    assert (card["entry_id"], card["language"], card["translated_from_ja"]) == ("juminhyo-copy", "en", True)
    assert card["answer"] == shipped("juminhyo-copy").translations["en"].answer
    assert "Contact: 市民課" in card["text"]


def test_an_unanswerable_question_gets_the_city_number_and_is_recorded_redacted(stack: Stack) -> None:
    # A city question the FAQ does not cover (a weather question would be out_of_scope for the NLU already).
    text = "私は山田です。市営プールの営業時間を教えてください"
    status, body = post(stack, "/api/chat", {"session_id": "faq-miss", "text": text})
    assert status == 200
    assert cards(body) == []
    reply = "\n".join(m.get("text", "") for m in body["messages"])
    assert "常総市役所（代表 0297-23-2111）" in reply
    with psycopg.connect(stack.config.database_url) as conn:
        questions = [row[0] for row in conn.execute("SELECT question FROM faq_misses")]
    assert "私は［名前］です。市営プールの営業時間を教えてください" in questions
    assert not any("山田" in q for q in questions)


# Questions that should between them take all three outcomes with the shipped FAQ and calibration.
OUTCOME_PROBES = (
    CLEAR_QUESTION,
    "住民票の写しがほしいです",
    "公民館の会議室を借りたい",
    "引っ越しの手続き",
    "転入と転出",
    "証明書がほしい",
    "手続きについて",
    "図書館の本の返し方を教えて",
)


def test_each_outcome_comes_through_the_stack_as_the_retriever_decides(stack: Stack) -> None:
    """The retriever in this process (same FAQ, same calibration) says what each probe should get; the stack
    must deliver exactly that: a card, the "did you mean" buttons, or the no-answer reply."""
    from knowledge_base.language import detect_language
    from knowledge_base.retrieval.decision import Outcome
    from knowledge_base.retrieval.encoder import load_encoder
    from knowledge_base.retrieval.hybrid import HybridRetriever
    from knowledge_base.retrieval.index import build_index
    from knowledge_base.retrieval.settings import load_settings

    settings = load_settings()
    model = load_encoder()
    retriever = HybridRetriever(build_index(validate_directory(FAQ_DIR).entries, model, settings), model, settings)
    decisions = {text: retriever.answer(text, detect_language(text)) for text in OUTCOME_PROBES}
    assert {d.outcome for d in decisions.values()} == set(Outcome), "the probes no longer cover all three outcomes"
    for number, (text, decision) in enumerate(decisions.items()):
        status, body = post(stack, "/api/chat", {"session_id": f"faq-outcome-{number}", "text": text})
        assert status == 200
        if decision.outcome is Outcome.ANSWER:
            assert [c["entry_id"] for c in cards(body)] == [decision.candidates[0].entry.id], text
        elif decision.outcome is Outcome.SUGGEST:
            assert cards(body) == []
            expected = [f'/select_faq{{"faq_id": "{c.entry.id}"}}' for c in decision.candidates]
            assert buttons(body) == expected, text
            assert body["messages"][0]["text"].startswith("もしかして")
        else:
            # no entry offered: only the menus and the staff button
            assert cards(body) == [] and not any(b.startswith("/select_faq") for b in buttons(body)), text
            assert buttons(body)[-1] == "/human_handoff"
            assert "0297-23-2111" in body["messages"][0]["text"], text
