"""The FAQ quality benchmark and calibration code, proven on hand-made scores and on the test-only dev set
(tests/fixtures/devset.yml; the real one is knowledge_base/evaluation/devset.yml)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks import faq_quality
from knowledge_base.evaluation.devset import DevsetError, load_devset
from knowledge_base.evaluation.metrics import (
    TARGET_REJECTION,
    TARGET_WRONG,
    ScoredQuery,
    calibrate,
    calibration_pool,
    choose_thresholds,
    evaluate,
)
from knowledge_base.retrieval.settings import QUERY_GROUPS, Thresholds, load_settings
from tests.faq_support import FIXTURE_DEVSET, FIXTURE_FAQ

ENTRIES = ["a", "b", "c"]


def query(expected: str | None, dense: list[float], lexical: list[float] | None = None) -> ScoredQuery:
    lexical = lexical if lexical is not None else dense
    kind = "plain" if expected else "out_of_scope"
    return ScoredQuery("q", expected, "ja", kind, "ja", np.array(dense), np.array(lexical))


def test_metrics_on_hand_made_scores() -> None:
    queries = [
        query("a", [0.9, 0.2, 0.1]),  # clear, right: card
        query("b", [0.7, 0.68, 0.1]),  # close, right entry second: did you mean, offered
        query("c", [0.3, 0.1, 0.45]),  # middling, right: did you mean
        query("a", [0.2, 0.8, 0.1]),  # clear but wrong: a confident wrong answer
        query(None, [0.2, 0.1, 0.1]),  # out of scope, rejected
        query(None, [0.5, 0.1, 0.1]),  # out of scope, gets suggestions
    ]
    m = evaluate(
        queries, ENTRIES, {"ja": 1.0, "kana": 1.0, "other": 1.0}, Thresholds(answer=0.6, margin=0.05, suggest=0.4)
    )
    assert (m.queries, m.in_scope, m.out_of_scope) == (6, 4, 2)
    assert m.hit1 == pytest.approx(2 / 4)  # queries 1 and 3
    assert m.hit3 == pytest.approx(1.0)
    assert m.mrr == pytest.approx((1 + 1 / 2 + 1 + 1 / 2) / 4)
    assert m.answered == pytest.approx(1 / 4)
    assert m.suggested == pytest.approx(2 / 4)
    assert m.wrong == pytest.approx(1 / 6)
    assert m.rejection == pytest.approx(1 / 2)


def test_the_fusion_weight_changes_the_ranking() -> None:
    q = query("b", dense=[0.8, 0.7, 0.0], lexical=[0.0, 0.9, 0.0])
    assert evaluate([q], ENTRIES, dict.fromkeys(("ja", "kana", "other"), 1.0), None).hit1 == 0.0
    assert evaluate([q], ENTRIES, dict.fromkeys(("ja", "kana", "other"), 0.5), None).hit1 == 1.0


def test_entries_the_lexical_view_cannot_see_keep_their_dense_score() -> None:
    q = query("b", dense=[0.5, 0.75, 0.0], lexical=[0.9, 0.0, 0.0])
    weights = dict.fromkeys(("ja", "kana", "other"), 0.5)
    assert evaluate([q], ENTRIES, weights, None).hit1 == 0.0  # a: 0.7 beats b: 0.375
    # b has no text in the query's language: it keeps its dense 0.75 and comes first
    q = ScoredQuery("q", "b", "ko", "translated", "other", q.dense, q.lexical, np.array([True, False, True]))
    assert evaluate([q], ENTRIES, weights, None).hit1 == 1.0


def test_chosen_thresholds_keep_wrong_answers_and_rejection_within_the_targets() -> None:
    rng = np.random.default_rng(7)
    queries = []
    for i in range(200):
        right = i % 3
        scores = rng.uniform(0.0, 0.4, 3)
        scores[right] = rng.uniform(0.45, 0.95)
        if i % 10 == 0:  # a tenth ranks a wrong entry first
            scores[(right + 1) % 3] = scores[right] + 0.05
        queries.append(query(ENTRIES[right], scores.tolist()))
    queries += [query(None, rng.uniform(0.0, 0.5, 3).tolist()) for _ in range(30)]
    weights = {"ja": 1.0, "kana": 1.0, "other": 1.0}
    choice = choose_thresholds(queries, ENTRIES, weights)
    assert choice.feasible
    m = evaluate(queries, ENTRIES, weights, choice.thresholds)
    assert m.wrong <= 0.03 and m.rejection >= 0.90
    assert choice.thresholds.suggest <= choice.thresholds.answer
    assert m.answered > 0.5


def test_the_devset_loader_names_every_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "devset.yml"
    path.write_text(
        "queries:\n"
        "  - {text: 住民票, expected: juminhyo, lang: ja, kind: plain}\n"  # 2 fine
        "  - {text: x, expected: nowhere, lang: ja, kind: plain}\n"  # 3 unknown id
        "  - {text: y, expected: null, lang: fr, kind: out_of_scope}\n"  # 4 language
        "  - {text: z, expected: juminhyo, lang: ja, kind: out_of_scope}\n"  # 5 kind vs expected
        "  - {text: '', expected: null, lang: ja, kind: slang}\n",  # 6 text and kind
        encoding="utf-8",
    )
    with pytest.raises(DevsetError) as error:
        load_devset(path, known_ids={"juminhyo"})
    lines = str(error.value).splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [f"{path}:{n}" for n in (3, 4, 5, 6, 6, 6)]
    assert len(load_devset(FIXTURE_DEVSET)) == 36


def test_the_benchmark_runs_and_calibration_writes_a_settings_file_the_retriever_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JOSO_CACHE_DIR", str(tmp_path / "cache"))
    written = tmp_path / "calibration.yml"
    argv = ["--devset", str(FIXTURE_DEVSET), "--faq-dir", str(FIXTURE_FAQ), "--calibrate", "--write", str(written)]
    assert faq_quality.main(argv) == 0
    out = capsys.readouterr().out
    for title in ("== fused (", "== dense only (", "== lexical only (", "5-fold cross-validated", "targets (fused)"):
        assert title in out
    assert "hit@1     hit@3       MRR  answered suggested     wrong rejection" in out
    settings = load_settings(written)
    assert settings.calibrated["devset"].startswith("devset.yml sha256:")
    assert "WRITTEN BY `python -m benchmarks.faq_quality --calibrate`" in written.read_text(encoding="utf-8")
    # measuring with the written file reproduces the in-sample figures it records
    monkeypatch.setenv("FAQ_RETRIEVAL_CONFIG", str(written))
    assert faq_quality.main(["--devset", str(FIXTURE_DEVSET), "--faq-dir", str(FIXTURE_FAQ)]) == 0
    all_row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("all")).split()
    header = next(line for line in written.read_text(encoding="utf-8").splitlines() if "In-sample" in line)
    recorded = dict(part.strip().rsplit(" ", 1) for part in header.split(":", 1)[1].split(","))
    assert all_row[1] == "36"
    assert (all_row[4], all_row[7], all_row[9], all_row[10]) == (
        recorded["hit@1"],
        recorded["answered"],
        recorded["wrong"],
        recorded["rejection"],
    )


def test_each_group_is_measured_with_its_own_thresholds() -> None:
    scores = np.array([0.65, 0.1, 0.1])
    japanese = query("a", scores.tolist())
    english = ScoredQuery("q", "a", "en", "translated", "other", scores, scores)
    loose = Thresholds(answer=0.6, margin=0.05, suggest=0.4)
    strict = Thresholds(answer=0.9, margin=0.05, suggest=0.8)
    per_group = {"ja": loose, "kana": loose, "other": strict, "uncovered": strict}
    m = evaluate([japanese, english], ENTRIES, dict.fromkeys(QUERY_GROUPS, 1.0), per_group)
    assert m.counts["right_card"] == 1  # the Japanese one
    assert m.counts["none"] == 1  # the same scores in English fall below the stricter thresholds


def test_every_group_is_calibrated_against_all_off_topic_questions() -> None:
    off_topic_ja = query(None, [0.5, 0.1, 0.1])
    english = ScoredQuery("q", "b", "en", "translated", "other", np.array([0.1, 0.8, 0.1]), np.zeros(3))
    pool = calibration_pool([off_topic_ja, english, query("a", [0.9, 0.1, 0.1])], "other")
    assert [q.expected for q in pool] == ["b", None]
    assert all(q.group == "other" for q in pool)  # scored with the group's weight, as the bot would


def test_calibrated_groups_meet_the_targets_on_their_own_queries() -> None:
    rng = np.random.default_rng(11)
    queries = []
    for group, lang, low in (("ja", "ja", 0.45), ("other", "en", 0.3)):  # English scores run lower
        for i in range(120):
            right = i % 3
            scores = rng.uniform(0.0, low - 0.05, 3)
            scores[right] = rng.uniform(low, low + 0.5)
            queries.append(ScoredQuery("q", ENTRIES[right], lang, "plain", group, scores, scores))
        for _ in range(20):
            scores = rng.uniform(0.0, low, 3)
            queries.append(ScoredQuery("q", None, lang, "out_of_scope", group, scores, scores))
    calibration = calibrate(queries, ENTRIES)
    assert calibration.feasible
    weights = {group: params.dense_weight for group, params in calibration.params.items()}
    for group in ("ja", "other"):
        pool = calibration_pool(queries, group)
        m = evaluate(pool, ENTRIES, weights, calibration.params[group].thresholds)
        assert m.wrong <= TARGET_WRONG and m.rejection >= TARGET_REJECTION
        assert m.answered > 0.5


def test_when_no_setting_meets_the_targets_the_closest_is_taken_and_flagged() -> None:
    # Half the off-topic questions score higher than any threshold can refuse: no setting meets the targets.
    queries = [query(ENTRIES[i % 3], [0.8 if j == i % 3 else 0.1 for j in range(3)]) for i in range(30)]
    queries += [query(None, [0.1, 0.99, 0.1]) for _ in range(10)]
    queries += [query(None, [0.1, 0.5, 0.1]) for _ in range(10)]
    weights = dict.fromkeys(QUERY_GROUPS, 1.0)
    choice = choose_thresholds(queries, ENTRIES, weights)
    assert not choice.feasible
    m = evaluate(queries, ENTRIES, weights, choice.thresholds)
    # the closest: no confident wrong answer, then as many off-topic questions refused as can be
    assert m.wrong == 0.0 and m.rejection == 0.5
