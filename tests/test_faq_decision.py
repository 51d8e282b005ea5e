"""Three outcomes from fused scores, and the settings file that holds the calibrated numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from knowledge_base.catalog import FaqEntry
from knowledge_base.retrieval.base import Candidate
from knowledge_base.retrieval.decision import Outcome, decide
from knowledge_base.retrieval.settings import (
    DEFAULT_CONFIG,
    SettingsError,
    Thresholds,
    load_settings,
    parse_settings,
    query_group,
)

THRESHOLDS = Thresholds(answer=0.6, margin=0.05, suggest=0.4)


def candidates(*scores: float) -> list[Candidate]:
    def entry(number: int) -> FaqEntry:
        return FaqEntry(
            id=f"e{number}",
            question=f"q{number}",
            paraphrases=(),
            answer="a",
            department="d",
            phone="p",
            hours="h",
            url=None,
            updated=dt.date(2026, 1, 1),
            review_by=None,
        )

    return [Candidate(entry(i), score, f"q{i}", "ja") for i, score in enumerate(scores)]


@pytest.mark.parametrize(
    ("scores", "outcome", "offered"),
    [
        ((0.8, 0.5, 0.3), Outcome.ANSWER, ["e0"]),  # high and clear
        ((0.6, 0.55, 0.1), Outcome.ANSWER, ["e0"]),  # exactly at both thresholds
        ((0.8, 0.78, 0.45, 0.41), Outcome.SUGGEST, ["e0", "e1", "e2"]),  # close candidates: at most three
        ((0.5, 0.3, 0.2), Outcome.SUGGEST, ["e0"]),  # middling: only those above the suggest threshold
        ((0.59, 0.45, 0.41), Outcome.SUGGEST, ["e0", "e1", "e2"]),
        ((0.39, 0.1), Outcome.NO_ANSWER, []),
        ((0.9,), Outcome.ANSWER, ["e0"]),  # one entry only
    ],
)
def test_outcomes(scores: tuple[float, ...], outcome: Outcome, offered: list[str]) -> None:
    decision = decide(candidates(*scores), THRESHOLDS)
    assert decision.outcome is outcome
    assert [c.entry.id for c in decision.candidates] == offered
    assert decision.best is not None and decision.best.entry.id == "e0"


def test_a_clear_lead_adds_to_the_confidence() -> None:
    """The same best score gives a card when it stands far ahead, "did you mean" in a crowd."""
    leading = Thresholds(answer=0.7, margin=0.05, suggest=0.4, lead_weight=0.5)
    assert decide(candidates(0.6, 0.35), leading).outcome is Outcome.ANSWER  # 0.6 + 0.5 x 0.25 = 0.725
    assert decide(candidates(0.6, 0.5), leading).outcome is Outcome.SUGGEST  # 0.6 + 0.5 x 0.10 = 0.65
    assert decide(candidates(0.6, 0.35), THRESHOLDS).outcome is Outcome.ANSWER  # no lead weight: score alone
    assert decide(candidates(0.55, 0.1), THRESHOLDS).outcome is Outcome.SUGGEST


def test_no_candidates_is_no_answer() -> None:
    decision = decide([], THRESHOLDS)
    assert (decision.outcome, decision.candidates, decision.best) == (Outcome.NO_ANSWER, (), None)


def test_query_groups() -> None:
    assert query_group("住民票がほしい", "ja") == "ja"
    assert query_group("じゅうみんひょう", "ja") == "kana"
    assert query_group("ｼﾞｭｳﾐﾝﾋｮｳ", "ja") == "kana"
    assert query_group("residence certificate", "en") == "other"
    # Languages the sentence encoder was not trained on have their own weights and thresholds.
    assert query_group("giấy chứng nhận cư trú", "vi") == "uncovered"
    assert query_group("katibayan ng paninirahan", "tl") == "uncovered"


def test_a_file_calibrated_before_the_uncovered_group_still_loads() -> None:
    fusion = {
        "ja": {"dense_weight": 0.3, "answer": 0.6, "margin": 0.05, "suggest": 0.4},
        "kana": {"dense_weight": 0.2, "answer": 0.6, "margin": 0.05, "suggest": 0.4},
        "other": {"dense_weight": 0.7, "answer": 0.65, "margin": 0.05, "suggest": 0.45, "lead_weight": 0.5},
    }
    settings = parse_settings({"fusion": fusion})
    assert settings.fusion["uncovered"] == settings.fusion["other"]
    assert settings.fusion["other"].thresholds.lead_weight == 0.5
    assert settings.fusion["ja"].thresholds.lead_weight == 0.0


def test_the_committed_settings_load() -> None:
    settings = load_settings(DEFAULT_CONFIG)
    for group in ("ja", "kana", "other", "uncovered"):
        params = settings.fusion[group]
        assert 0 <= params.dense_weight <= 1
        assert params.thresholds.suggest <= params.thresholds.answer
    assert settings.params_for("じゅうみんひょう", "ja") is settings.fusion["kana"]


def test_index_fingerprint_ignores_thresholds_but_not_index_shape() -> None:
    raw = {
        "fusion": {
            g: {"dense_weight": 0.5, "answer": 0.6, "margin": 0.05, "suggest": 0.4} for g in ("ja", "kana", "other")
        },
        "lexical": {"spelling_ngrams": [2, 3], "reading_ngrams": [2, 3], "reading_weight": 0.4},
    }
    base = parse_settings(raw)
    raw["fusion"]["ja"]["answer"] = 0.7
    assert parse_settings(raw).index_fingerprint() == base.index_fingerprint()
    raw["lexical"]["spelling_ngrams"] = [1, 3]
    assert parse_settings(raw).index_fingerprint() != base.index_fingerprint()


@pytest.mark.parametrize(
    "broken",
    [
        "fusion: {}",
        "fusion: {ja: {dense_weight: 2, answer: 0.5, margin: 0, suggest: 0.4}}",
        "fusion: {"
        + ", ".join(
            f"{g}: {{dense_weight: 0.5, answer: 0.5, margin: 0, suggest: 0.4, lead_weight: -1}}"
            for g in ("ja", "kana", "other")
        )
        + "}",
        "not: [valid",
    ],
)
def test_broken_settings_raise_a_clear_error(tmp_path: Path, broken: str) -> None:
    path = tmp_path / "calibration.yml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(SettingsError, match=r"calibration\.yml"):
        load_settings(path)
