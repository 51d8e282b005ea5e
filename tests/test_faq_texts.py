"""What residents read from the FAQ actions: every fixed sentence exists in every supported language."""

from __future__ import annotations

import datetime as dt

import pytest

from actions import texts
from knowledge_base.catalog import FaqEntry
from knowledge_base.language import SUPPORTED

FOREIGN = [lang for lang in SUPPORTED if lang != "ja"]


@pytest.mark.parametrize(
    "table",
    [
        texts._LABELS,
        texts._FOLLOW_UP,
        texts._FOLLOW_UP_RELATED,
        texts._HELPFUL,
        texts._DID_YOU_MEAN,
        texts._NO_ANSWER,
        texts._ENTRY_GONE,
        texts._EMERGENCY_LINE,
    ],
)
def test_every_supported_language_has_its_sentence(table: dict) -> None:
    assert set(table) == set(SUPPORTED)


def test_the_japanese_only_notice_exists_for_every_other_language() -> None:
    assert set(texts.JAPANESE_ONLY) == set(FOREIGN)
    assert texts.japanese_only_notice("ja") is None


@pytest.mark.parametrize("language", SUPPORTED)
def test_no_answer_always_gives_the_city_number(language: str) -> None:
    assert "0297-23-2111" in texts.no_answer_text(language)
    assert texts.no_answer_text(language, emergency=True).startswith(texts._EMERGENCY_LINE[language])


@pytest.mark.parametrize("language", SUPPORTED)
def test_the_emergency_line_names_119_and_110_in_every_language(language: str) -> None:
    line = texts.emergency_line(language)
    assert "119" in line and "110" in line and "\n" not in line
    assert texts.did_you_mean_text(language, emergency=True).startswith(line)


def test_the_faq_texts_have_no_emergency_words_of_their_own() -> None:
    # One detector, in the engine (bot/components/emergency_classifier.py): the actions read its verdict.
    assert not hasattr(texts, "sounds_like_emergency")


def test_the_card_text_has_every_field_of_the_card() -> None:
    entry = FaqEntry(
        id="x",
        question="質問",
        paraphrases=(),
        answer="答えです。",
        department="市民課",
        phone="0297-23-2111",
        hours="平日 8:30〜17:15",
        url="https://www.city.joso.lg.jp/",
        updated=dt.date(2026, 11, 24),
        review_by=None,
    )
    assert texts.answer_card_text(entry) == (
        "答えです。\n\n担当：市民課\n電話：0297-23-2111\n受付：平日 8:30〜17:15\n"
        "くわしく：https://www.city.joso.lg.jp/\n（2026年11月24日 更新）"
    )
    english = texts.answer_card_text(entry, "en", "The answer.")
    assert english.endswith("More: https://www.city.joso.lg.jp/\n(Updated: 2026-11-24)")
