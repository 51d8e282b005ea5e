"""The emergency detector's pure parts (no Rasa): the bank, the evidence by meaning and spelling, and the tiers."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from benchmarks.emergency import DEV_FILE, has_line, nlu_training_examples
from bot.components.emergency_bank import LANGUAGES, load_examples
from bot.components.emergency_patterns import find_emergency
from bot.components.emergency_semantic import (
    DANGER_WORD,
    MENTION,
    NO_WORD,
    NONE,
    POSSIBLE,
    SURE,
    EmergencyReference,
    Evidence,
    LexicalIndex,
    Thresholds,
    decide,
    encoder_knows,
    reference_lines,
    word_kind,
)

THRESHOLDS = Thresholds(
    danger_word_sure=-0.15, danger_word_possible=-1.0, mention_sure=0.2, mention_possible=0.1, sure=0.05, possible=0.0
)


def evidence(margin: float) -> Evidence:
    return Evidence(0.5 + margin, 0.5, "nearest emergency", "nearest safe line")


def test_the_bank_and_the_development_set_cover_every_language_and_share_no_line() -> None:
    bank, dev = load_examples(), load_examples(DEV_FILE)
    for examples in (bank, dev):
        assert set(Counter(e.lang for e in examples.emergencies)) == set(LANGUAGES)
        assert set(Counter(e.lang for e in examples.near_misses)) == set(LANGUAGES)
        assert all(e.label for e in examples.all)
    assert {e.text for e in bank.all} & {e.text for e in dev.all} == set()


def test_a_bad_example_file_names_the_entry(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yml"
    bad.write_text("emergencies:\n  - {text: 助けて, lang: fr}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="助けて"):
        load_examples(bad)


def test_the_reference_keeps_clear_near_misses_as_safe_lines_and_leaves_ambiguous_ones_out() -> None:
    bank = load_examples()
    texts, labels = reference_lines(bank, [("住民票がほしい", "ask_question"), ("助けて", "emergency")])
    lines = dict(zip(texts, labels, strict=True))
    assert lines["火災保険に入りたい"] is False and lines["家が燃えている"] is True
    assert "火事の時の避難場所はどこ" not in lines  # clear: false
    assert lines["住民票がほしい"] is False and lines["助けて"] is True


def test_spelling_finds_kana_only_and_typos() -> None:
    index = LexicalIndex(["いえがもえてる", "住民票がほしい", "help me please"])
    sims = index.similarities("いえがもえてるよ")
    assert int(np.argmax(sims)) == 0 and sims[0] > 0.5
    assert int(np.argmax(index.similarities("hlep me pleas"))) == 2
    assert index.similarities("zzz").max() == 0.0


def test_evidence_is_the_nearest_emergency_minus_the_nearest_safe_line_and_a_line_can_be_left_out() -> None:
    vectors = np.eye(3, dtype=np.float32)
    reference = EmergencyReference(["fire now", "fire insurance", "fire drill"], [True, False, False], vectors)
    near_emergency = reference.evidence("fire now", np.array([1.0, 0.1, 0.0]))
    assert near_emergency.nearest_emergency == "fire now" and near_emergency.margin > 0.3
    near_safe = reference.evidence("fire insurance", np.array([0.1, 1.0, 0.0]))
    assert near_safe.nearest_safe == "fire insurance" and near_safe.margin < -0.3
    left_out = reference.evidence("fire insurance", np.array([0.1, 1.0, 0.0]), exclude=1)
    assert left_out.nearest_safe == "fire drill"
    with pytest.raises(ValueError):
        EmergencyReference(["a"], [True], np.eye(1, dtype=np.float32))


def test_the_encoder_is_trusted_less_for_vietnamese_and_tagalog() -> None:
    assert encoder_knows("家が燃えている") and encoder_knows("my house is on fire")
    assert not encoder_knows("nhà tôi đang cháy") and not encoder_knows("nasusunog ang bahay namin")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("家が燃えている", DANGER_WORD),
        ("救急車って有料ですか", MENTION),
        ("去年の火事で焼けた家の補助", MENTION),  # a danger word in a story about the past
        ("my car was in an accident last month", MENTION),
        ("子供が川に落ちた", NO_WORD),
    ],
)
def test_words_are_danger_words_mentions_or_none(text: str, kind: str) -> None:
    assert word_kind(text, find_emergency(text)) == kind


@pytest.mark.parametrize(
    ("text", "margin", "tier"),
    [
        ("たすけて", -0.9, POSSIBLE),  # a danger word is a floor
        ("たすけて", -0.1, SURE),
        ("火事です！市役所の職員に電話したい", -0.3, SURE),  # a second request pulls the margin down, not safety
        ("救急車って有料ですか", 0.0, NONE),  # a mention: the meaning decides
        ("救急車って有料ですか", 0.15, POSSIBLE),
        ("救急車を呼ぶ方法", 0.3, SURE),
        ("子供が川に落ちた", 0.1, SURE),  # no word at all: the meaning alone
        ("子供が川に落ちた", 0.01, POSSIBLE),
        ("火災保険に入りたい", -0.2, NONE),
    ],
)
def test_tiers(text: str, margin: float, tier: str) -> None:
    assert decide(text, find_emergency(text), evidence(margin), THRESHOLDS) == tier


def test_without_evidence_any_emergency_word_is_sure_as_before() -> None:
    assert decide("救急車って有料ですか", find_emergency("救急車って有料ですか"), None, THRESHOLDS) == SURE
    assert decide("子供が川に落ちた", [], None, THRESHOLDS) == NONE


def test_the_benchmark_reads_the_119_110_line_and_the_training_examples() -> None:
    assert has_line("緊急のときは、すぐに 119（火事・救急）か 110（事件・事故）に電話してください。")
    assert not has_line("1190円です") and not has_line("119番に電話して")
    examples = nlu_training_examples()
    assert ("助けて", "emergency") in examples
    assert all("](" not in text for text, _ in examples)


def test_a_message_without_letters_is_no_emergency_by_meaning_alone() -> None:
    # however close its sentence vector happens to lie to an emergency line
    for text in ("👍", "👎", "!!", "🙏🙏"):
        assert decide(text, [], evidence(0.9), THRESHOLDS) == NONE
    assert decide("火事!!", find_emergency("火事!!"), evidence(0.9), THRESHOLDS) == SURE
