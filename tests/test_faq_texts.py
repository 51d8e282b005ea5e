"""What residents read from the FAQ actions: every fixed sentence exists in every supported language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from actions import texts
from actions.faq_answer import in_fallback_language
from knowledge_base.catalog import FaqEntry
from knowledge_base.catalog.model import Translation
from knowledge_base.language import SUPPORTED
from knowledge_base.retrieval.departments import Department

FOREIGN = [lang for lang in SUPPORTED if lang != "ja"]


def test_the_japanese_only_notice_is_in_the_residents_language_and_absent_for_japanese() -> None:
    assert texts.japanese_only_notice("ja") is None
    notices = {language: texts.japanese_only_notice(language) for language in FOREIGN}
    assert all(notices.values()) and len(set(notices.values())) == len(FOREIGN)


@pytest.mark.parametrize("language", SUPPORTED)
def test_no_answer_always_gives_the_city_number(language: str) -> None:
    assert "0297-23-2111" in texts.no_answer_text(language)
    assert texts.no_answer_text(language, emergency=True).startswith(texts.emergency_line(language))
    assert "119" in texts.emergency_line(language) and "110" in texts.emergency_line(language)


@pytest.mark.parametrize("language", SUPPORTED)
def test_the_department_route_names_the_department_its_phone_and_hours(language: str) -> None:
    department = Department("市民課", "0297-23-1111", "平日 8:30〜17:15")
    route = texts.no_answer_text(language, department=department)
    assert "市民課" in route and "0297-23-1111" in route and "平日 8:30〜17:15" in route
    assert "0297-23-2111" not in route  # the department's own number instead of the main one
    assert route.startswith(texts.no_answer_text(language).split("\n")[0][:6])  # the same apology first
    not_listed = texts.did_you_mean_text(language, department=department)
    assert not_listed.startswith(texts.did_you_mean_text(language)) and "0297-23-1111" in not_listed


@pytest.mark.parametrize("language", SUPPORTED)
def test_the_emergency_line_names_119_and_110_in_every_language(language: str) -> None:
    line = texts.emergency_line(language)
    assert "119" in line and "110" in line and "\n" not in line
    assert texts.did_you_mean_text(language, emergency=True).startswith(line)


def test_the_faq_texts_have_no_emergency_words_of_their_own() -> None:
    # One detector, in the engine (bot/components/emergency_classifier.py): the actions read its verdict.
    assert not hasattr(texts, "sounds_like_emergency")


def _entry(**fields: Any) -> FaqEntry:
    base: dict[str, Any] = {
        "id": "x",
        "question": "質問",
        "paraphrases": (),
        "answer": "答えです。",
        "department": "市民課",
        "phone": "0297-23-2111",
        "hours": "平日 8:30〜17:15",
        "url": "https://www.city.joso.lg.jp/",
        "updated": dt.date(2026, 11, 24),
        "review_by": None,
    }
    return FaqEntry(**(base | fields))


def test_the_card_text_has_every_field_of_the_card() -> None:
    entry = _entry()
    assert texts.answer_card_text(entry) == (
        "答えです。\n\n担当：市民課\n電話：0297-23-2111\n受付：平日 8:30〜17:15\n"
        "くわしく：https://www.city.joso.lg.jp/\n（2026年11月24日 更新）"
    )
    english = texts.answer_card_text(entry, "en", "The answer.")
    assert english.endswith("More: https://www.city.joso.lg.jp/\n(Updated: 2026-11-24)")


@pytest.mark.parametrize(
    ("resident", "translated", "shown"),
    [("vi", {"en"}, "en"), ("vi", {"vi", "en"}, "vi"), ("zh", {"en"}, "ja"), ("pt", set(), "ja"), ("ja", {"en"}, "ja")],
)
def test_an_entry_staff_have_not_translated_follows_the_residents_fallback_chain(
    resident: str, translated: set[str], shown: str
) -> None:
    entry = _entry(translations={lang: Translation(f"question {lang}", f"answer {lang}") for lang in translated})
    language, _question, answer = in_fallback_language(entry, resident)
    assert language == shown and answer == ("答えです。" if shown == "ja" else f"answer {shown}")
