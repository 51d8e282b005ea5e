"""The FAQ quality benchmark and calibration code, proven on hand-made scores and on the test-only dev set
(tests/fixtures/devset.yml; the real one is knowledge_base/evaluation/devset.yml)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks import faq_quality
from knowledge_base.evaluation.calibration import (
    MIN_RIGHT_CARDS,
    TARGET_OFF_TOPIC_CARDS,
    TARGET_WRONG,
    calibrate,
    calibration_pool,
    choose_route,
    choose_thresholds,
)
from knowledge_base.evaluation.devset import DevsetError, load_devset
from knowledge_base.evaluation.metrics import ENTRY_REMOVED, ScoredQuery, evaluate, mean_cost, outcomes, prepare
from knowledge_base.retrieval.departments import RouteParams
from knowledge_base.retrieval.settings import QUERY_GROUPS, Thresholds, load_settings
from tests.faq_support import FIXTURE_DEVSET, FIXTURE_FAQ

ENTRIES = ["a", "b", "c"]
ALL_DENSE = dict.fromkeys(QUERY_GROUPS, 1.0)


def query(expected: str | None, dense: list[float], lexical: list[float] | None = None, **extra) -> ScoredQuery:
    lexical = lexical if lexical is not None else dense
    kind = "plain" if expected else "out_of_scope"
    ids = (expected,) if expected else ()
    return ScoredQuery("q", ids, "ja", kind, "ja", np.array(dense), np.array(lexical), **extra)


def test_metrics_on_hand_made_scores() -> None:
    queries = [
        query("a", [0.9, 0.2, 0.1]),  # clear, right: card
        query("b", [0.7, 0.68, 0.1]),  # close, right entry second: did you mean, offered
        query("c", [0.3, 0.1, 0.45]),  # middling, right: did you mean
        query("a", [0.2, 0.8, 0.1]),  # clear but wrong: a confident wrong card
        query("b", [0.1, 0.2, 0.3]),  # below every threshold: no answer
        query(None, [0.2, 0.1, 0.1]),  # out of scope, no answer
        query(None, [0.5, 0.1, 0.1]),  # out of scope, gets suggestions
        query(None, [0.1, 0.9, 0.1]),  # out of scope, gets a card
    ]
    m = evaluate(queries, ENTRIES, ALL_DENSE, Thresholds(answer=0.6, margin=0.05, suggest=0.4))
    assert (m.queries, m.in_scope, m.out_of_scope) == (8, 5, 3)
    assert m.hit1 == pytest.approx(2 / 5)  # queries 1 and 3
    assert m.hit3 == pytest.approx(1.0)
    assert m.right_card == pytest.approx(1 / 5)
    assert m.right_within == pytest.approx(3 / 5)
    assert m.no_answer == pytest.approx(1 / 5)
    assert m.wrong_card == pytest.approx(1 / 5)
    assert m.off_topic_card == pytest.approx(1 / 3)
    # the cost model: two right buttons (1 each), a wrong card (10), a dead end (4), an off-topic
    # "did you mean" (0.5) and an off-topic card (8), over 8 questions
    assert m.cost == pytest.approx((2 * 1 + 10 + 4 + 0.5 + 8) / 8)


def test_any_of_several_expected_entries_is_right() -> None:
    q = ScoredQuery("q", ("b", "c"), "ja", "plain", "ja", np.array([0.2, 0.5, 0.9]), np.array([0.2, 0.5, 0.9]))
    m = evaluate([q], ENTRIES, ALL_DENSE, Thresholds(answer=0.6, margin=0.05, suggest=0.4))
    assert m.hit1 == 1.0 and m.right_card == 1.0


def test_the_fusion_weight_changes_the_ranking() -> None:
    q = query("b", dense=[0.8, 0.7, 0.0], lexical=[0.0, 0.9, 0.0])
    assert evaluate([q], ENTRIES, ALL_DENSE, None).hit1 == 0.0
    assert evaluate([q], ENTRIES, dict.fromkeys(QUERY_GROUPS, 0.5), None).hit1 == 1.0


def test_entries_the_lexical_view_cannot_see_keep_their_dense_score() -> None:
    q = query("b", dense=[0.5, 0.75, 0.0], lexical=[0.9, 0.0, 0.0])
    weights = dict.fromkeys(QUERY_GROUPS, 0.5)
    assert evaluate([q], ENTRIES, weights, None).hit1 == 0.0  # a: 0.7 beats b: 0.375
    # b has no text in the query's language: it keeps its dense 0.75 and comes first
    q = ScoredQuery("q", ("b",), "ko", "translated", "other", q.dense, q.lexical, np.array([True, False, True]))
    assert evaluate([q], ENTRIES, weights, None).hit1 == 1.0


def _synthetic(rng: np.random.Generator, n: int = 200, low: float = 0.45) -> list[ScoredQuery]:
    queries = []
    for i in range(n):
        right = i % 3
        scores = rng.uniform(0.0, low - 0.05, 3)
        scores[right] = rng.uniform(low, low + 0.5)
        if i % 10 == 0:  # a tenth ranks a wrong entry first
            scores[(right + 1) % 3] = scores[right] + 0.05
        queries.append(query(ENTRIES[right], scores.tolist()))
    return queries + [query(None, rng.uniform(0.0, low + 0.05, 3).tolist()) for _ in range(30)]


def test_chosen_thresholds_keep_wrong_and_off_topic_cards_within_the_limits_and_still_give_cards() -> None:
    queries = _synthetic(np.random.default_rng(7))
    choice = choose_thresholds(queries, ENTRIES, ALL_DENSE)
    assert choice.feasible
    m = evaluate(queries, ENTRIES, ALL_DENSE, choice.thresholds)
    assert m.wrong_card <= TARGET_WRONG and m.off_topic_card <= TARGET_OFF_TOPIC_CARDS
    assert m.right_card >= MIN_RIGHT_CARDS
    assert choice.thresholds.suggest <= choice.thresholds.answer
    # no other setting of the grid's kind, within the same limits, costs less: spot-check neighbours
    p = prepare(queries, ENTRIES, ALL_DENSE)
    best = mean_cost(p, outcomes(p, choice.thresholds))
    for delta in (-0.05, 0.05):
        other = Thresholds(
            choice.thresholds.answer,
            choice.thresholds.margin,
            round(choice.thresholds.suggest + delta, 3),
            choice.thresholds.lead_weight,
        )
        assert mean_cost(p, outcomes(p, other)) >= best - 1e-12


def test_an_off_topic_did_you_mean_is_cheap_so_the_suggest_threshold_goes_low() -> None:
    # Right entries score from 0.3 up; off-topic questions up to 0.4: refusing them all would leave the
    # low-scoring residents with a dead end, which costs more than buttons an off-topic asker ignores.
    rng = np.random.default_rng(3)
    queries = _synthetic(rng, low=0.3)
    choice = choose_thresholds(queries, ENTRIES, ALL_DENSE)
    m = evaluate(queries, ENTRIES, ALL_DENSE, choice.thresholds)
    assert choice.thresholds.suggest <= 0.35
    assert m.no_answer <= 0.05


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


def test_the_devset_loader_reads_lists_of_ids_departments_and_sources(tmp_path: Path) -> None:
    path = tmp_path / "external.yml"
    path.write_text(
        "queries:\n"
        "  - {text: 住民票, expected: [juminhyo, tennyu], lang: ja, department: 市民課, source: 'https://x.example/'}\n"
        "  - {text: 天気, expected: [], lang: ja, department: none}\n",
        encoding="utf-8",
    )
    first, second = load_devset(path, known_ids={"juminhyo", "tennyu"})
    assert first.expected == ("juminhyo", "tennyu") and first.department == "市民課" and first.kind == "plain"
    assert first.source == "https://x.example/"
    assert second.expected == () and second.kind == "out_of_scope" and not second.in_scope


def test_the_benchmark_runs_and_calibration_writes_a_settings_file_the_retriever_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JOSO_CACHE_DIR", str(tmp_path / "cache"))
    written = tmp_path / "calibration.yml"
    devset = ["--devset", str(FIXTURE_DEVSET), "--faq-dir", str(FIXTURE_FAQ), "--set", str(FIXTURE_DEVSET)]
    assert faq_quality.main([*devset, "--calibrate", "--write", str(written)]) == 0
    out = capsys.readouterr().out
    for title in ("== dev: per query group", "5-fold cross-validated", "entry held out (dev)"):
        assert title in out
    assert "hit@1    hit@3  card ok   within   no ans    wrong oos card     route" in out
    settings = load_settings(written)
    assert settings.calibrated["devset"].startswith("devset.yml sha256:")
    text = written.read_text(encoding="utf-8")
    assert "WRITTEN BY `python -m benchmarks.faq_quality --calibrate`" in text
    assert "Cost model" in text and "department_route:" in text
    # measuring with the written file reproduces the in-sample figures it records
    monkeypatch.setenv("FAQ_RETRIEVAL_CONFIG", str(written))
    assert faq_quality.main(devset) == 0
    all_row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("all")).split()
    header = next(line for line in text.splitlines() if "In-sample" in line)
    recorded = dict(part.strip().rsplit(" ", 1) for part in header.split(":", 1)[1].split(","))
    assert all_row[1] == "36"
    assert (all_row[4], all_row[6], all_row[7], all_row[9], all_row[10]) == (
        recorded["hit@1"],
        recorded["right cards"],
        recorded["within"],
        recorded["wrong"],
        recorded["off-topic cards"],
    )


def test_each_group_is_measured_with_its_own_thresholds() -> None:
    scores = np.array([0.65, 0.1, 0.1])
    japanese = query("a", scores.tolist())
    english = ScoredQuery("q", ("a",), "en", "translated", "other", scores, scores)
    loose = Thresholds(answer=0.6, margin=0.05, suggest=0.4)
    strict = Thresholds(answer=0.9, margin=0.05, suggest=0.8)
    per_group = {"ja": loose, "kana": loose, "other": strict, "uncovered": strict}
    m = evaluate([japanese, english], ENTRIES, ALL_DENSE, per_group)
    assert m.counts["right_card"] == 1  # the Japanese one
    assert m.counts["none"] == 1  # the same scores in English fall below the stricter thresholds


def test_every_group_is_calibrated_against_all_off_topic_questions() -> None:
    off_topic_ja = query(None, [0.5, 0.1, 0.1])
    english = ScoredQuery("q", ("b",), "en", "translated", "other", np.array([0.1, 0.8, 0.1]), np.zeros(3))
    pool = calibration_pool([off_topic_ja, english, query("a", [0.9, 0.1, 0.1])], "other")
    assert [q.expected for q in pool] == [("b",), ()]
    assert all(q.group == "other" for q in pool)  # scored with the group's weight, as the bot would


def test_a_question_whose_entry_was_removed_must_not_get_a_card() -> None:
    # Entry "a" removed from the FAQ: "b" now scores highest, clear of the rest. As an off-topic question
    # such a card would be cheap to risk; as an unanswerable one it costs as much as a wrong card.
    queries = _synthetic(np.random.default_rng(5))
    removed = [query(None, [-2.0, 0.75, 0.2], variant=ENTRY_REMOVED) for _ in range(20)]
    choice = choose_thresholds(queries + removed, ENTRIES, ALL_DENSE)
    p = prepare(removed, ENTRIES, ALL_DENSE)
    assert outcomes(p, choice.thresholds)["answer"].sum() == 0


def test_the_route_is_chosen_by_its_cost() -> None:
    departments = ["市民課", "税務課", None]  # c's contact is the main line
    # removed-entry questions of 市民課 whose best candidate is another 市民課 entry: name it
    topical = [query(None, [0.45, 0.2, 0.1], department="市民課", variant=ENTRY_REMOVED) for _ in range(10)]
    # off-topic questions spread thin over everything: the main number
    off_topic = [query(None, [0.15, 0.14, 0.15]) for _ in range(10)]
    route = choose_route(topical + off_topic, ENTRIES, ALL_DENSE, departments)
    m = evaluate(
        [query("a", [0.45, 0.2, 0.1], department="市民課")],
        ENTRIES,
        ALL_DENSE,
        Thresholds(0.9, 0.1, 0.5),
        departments,
        route,
    )
    assert m.routed == 1 and m.route == 1.0
    assert isinstance(route, RouteParams) and route.min_score > 0.15


def test_calibrated_groups_meet_the_limits_on_their_own_queries() -> None:
    rng = np.random.default_rng(11)
    queries = []
    for group, lang, low in (("ja", "ja", 0.45), ("other", "en", 0.3)):  # English scores run lower
        for i in range(120):
            right = i % 3
            scores = rng.uniform(0.0, low - 0.05, 3)
            scores[right] = rng.uniform(low, low + 0.5)
            queries.append(ScoredQuery("q", (ENTRIES[right],), lang, "plain", group, scores, scores))
        for _ in range(20):
            scores = rng.uniform(0.0, low, 3)
            queries.append(ScoredQuery("q", (), lang, "out_of_scope", group, scores, scores))
    calibration = calibrate(queries, ENTRIES, ["市民課", "税務課", None])
    assert calibration.feasible
    weights = {group: params.dense_weight for group, params in calibration.params.items()}
    for group in ("ja", "other"):
        pool = calibration_pool(queries, group)
        m = evaluate(pool, ENTRIES, weights, calibration.params[group].thresholds)
        assert m.wrong_card <= TARGET_WRONG and m.off_topic_card <= TARGET_OFF_TOPIC_CARDS
        assert m.right_card > 0.5


def test_when_no_setting_meets_the_limits_the_closest_is_taken_and_flagged() -> None:
    # Off-topic questions that score like right answers: no setting both gives cards and refuses them.
    queries = [query(ENTRIES[i % 3], [0.8 if j == i % 3 else 0.1 for j in range(3)]) for i in range(30)]
    queries += [query(None, [0.1, 0.8, 0.1]) for _ in range(30)]
    choice = choose_thresholds(queries, ENTRIES, ALL_DENSE)
    assert not choice.feasible
    m = evaluate(queries, ENTRIES, ALL_DENSE, choice.thresholds)
    # the closest: no card at all (no wrong or off-topic card), the rest as cheap as can be
    assert m.wrong_card == 0.0 and m.off_topic_card == 0.0
