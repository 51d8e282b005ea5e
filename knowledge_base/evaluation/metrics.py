"""Metrics of the FAQ retriever on a development set, and the calibration that chooses its numbers.

Every query is scored once against every entry in both views (dense, lexical); fusion weights and
thresholds are then pure arithmetic on those matrices, so the calibration can try thousands of settings.

Outcomes follow decision.py exactly: answer card, "did you mean" (suggest), no answer.
- hit@1, hit@3, MRR: ranking of the expected entry, in-scope queries only;
- answered: in-scope queries that get the right card; suggested: in-scope queries whose "did you mean"
  buttons include the right entry;
- wrong: queries (in-scope or not) that get a card for a wrong entry, over all queries: the "confident
  wrong answer" rate;
- rejection: out-of-scope queries that get "no answer" (not a card, not suggestions).

Calibration (calibrate()):
1. per query group (settings.QUERY_GROUPS), the dense weight that maximises hit@1, then MRR, over a grid of
   0.00..1.00 step 0.05 (a group with fewer than MIN_GROUP in-scope queries takes the weight of all queries);
2. with those weights, per group, the thresholds (answer, margin, suggest, lead weight) that maximise
   answered + 0.5 x suggested on that group's queries (calibration_pool: with every group's out-of-scope
   queries), subject to wrong <= TARGET_WRONG and rejection >= TARGET_REJECTION,
   set inside the targets (MAX_WRONG, MIN_REJECTION) so that unseen questions stay within them; ties go to
   the higher suggest threshold and the larger margin (fewer, surer buttons). A group with fewer than
   MIN_GROUP in-scope queries takes the thresholds fitted on all queries. If no setting meets both
   constraints, the one that comes closest (least wrong, then most rejection) is taken and flagged.
cross_validate() repeats the calibration on k-1 folds and measures on the held-out fold, to show how
much of the fitted figures is overfitting.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

import numpy as np

from knowledge_base.retrieval.settings import QUERY_GROUPS, FusionParams, Thresholds

MAX_WRONG = 0.03
MIN_REJECTION = 0.90
MIN_GROUP = 10
# The calibration aims inside the targets, so that questions it has not seen stay within them. Aiming at 2%
# wrong answers on the dev set gave 6% on the held-out test set (testset.yml, 2026-11-24): questions written
# apart from the FAQ go wrong more often than the dev set shows, so a wrong card, the worst outcome for a
# resident, is held to a third of its limit, and middling cases become "did you mean" buttons instead.
TARGET_WRONG = 0.01
TARGET_REJECTION = 0.92
LEAD_GRID = (0.0, 0.5, 1.0)
WEIGHT_GRID = tuple(round(float(w), 2) for w in np.arange(0.0, 1.0001, 0.05))
# confidence = score + lead_weight x lead can pass 1, hence an answer threshold up to 1.3.
ANSWER_GRID = tuple(round(float(a), 3) for a in np.arange(0.20, 1.301, 0.01))
MARGIN_GRID = tuple(round(float(m), 3) for m in np.arange(0.0, 0.1501, 0.01))
SUGGEST_GRID = np.round(np.arange(0.10, 0.951, 0.01), 3)


@dataclass(frozen=True)
class ScoredQuery:
    """One dev-set query scored against every entry (index order of `entry_ids`)."""

    text: str
    expected: str | None
    lang: str
    kind: str
    group: str  # query group the bot would use (from the detected language)
    dense: np.ndarray
    lexical: np.ndarray
    comparable: np.ndarray | bool = True  # per entry: has a text in the query's language (FusionParams.fuse)


@dataclass
class Metrics:
    queries: int = 0
    in_scope: int = 0
    out_of_scope: int = 0
    hit1: float | None = None
    hit3: float | None = None
    mrr: float | None = None
    answered: float | None = None
    suggested: float | None = None
    wrong: float | None = None
    rejection: float | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _fused(query: ScoredQuery, weight: float) -> np.ndarray:
    fused = weight * query.dense + (1.0 - weight) * query.lexical
    return np.where(query.comparable, fused, query.dense)


@dataclass(frozen=True)
class _Prepared:
    """Per query, what the outcome rules need: top scores and where the expected entry is."""

    top: np.ndarray  # (n, 3) best three fused scores (0 where the FAQ has fewer entries, as decision.py)
    correct_at: np.ndarray  # (n,) position 0..2 of the expected entry among the best three, else -1
    rank: np.ndarray  # (n,) 1-based rank of the expected entry (0 for out-of-scope)
    in_scope: np.ndarray  # (n,) bool
    groups: np.ndarray  # (n,) query group of each query


def _prepare(queries: list[ScoredQuery], entry_ids: list[str], weights: dict[str, float]) -> _Prepared:
    position = {entry_id: i for i, entry_id in enumerate(entry_ids)}
    n = len(queries)
    top = np.zeros((n, 3))
    correct_at = np.full(n, -1)
    rank = np.zeros(n, dtype=int)
    in_scope = np.array([q.expected is not None for q in queries], dtype=bool)
    for i, query in enumerate(queries):
        fused = _fused(query, weights[query.group])
        order = np.argsort(-fused, kind="stable")
        best = order[:3]
        top[i, : len(best)] = fused[best]
        if query.expected is not None:
            target = position[query.expected]
            rank[i] = int(np.nonzero(order == target)[0][0]) + 1
            if rank[i] <= 3:
                correct_at[i] = rank[i] - 1
    groups = np.array([q.group for q in queries], dtype=object)
    return _Prepared(top, correct_at, rank, in_scope, groups)


Thresholding = Thresholds | dict[str, Thresholds]


def _per_query(p: _Prepared, thresholds: Thresholding) -> tuple[np.ndarray, ...]:
    """(answer, margin, suggest, lead_weight) per query, from one set of thresholds or one per group."""
    if isinstance(thresholds, Thresholds):
        thresholds = dict.fromkeys(QUERY_GROUPS, thresholds)
    fields = ("answer", "margin", "suggest", "lead_weight")
    return tuple(np.array([getattr(thresholds[g], f) for g in p.groups], dtype=float) for f in fields)


def _outcomes(p: _Prepared, thresholds: Thresholding) -> dict[str, np.ndarray]:
    answer_t, margin, suggest_t, lead_weight = _per_query(p, thresholds)
    top1, second = p.top[:, 0], p.top[:, 1]
    lead = top1 - second
    answer = (top1 + lead_weight * lead >= answer_t - 1e-9) & (lead >= margin - 1e-9)
    suggest = ~answer & (top1 >= suggest_t - 1e-9)
    offered_right = np.zeros(len(p.rank), dtype=bool)
    has = p.correct_at >= 0
    offered_right[has] = p.top[has, p.correct_at[has]] >= suggest_t[has] - 1e-9
    return {
        "answer": answer,
        "suggest": suggest,
        "none": ~answer & ~suggest,
        "right_card": answer & (p.correct_at == 0),
        "right_offered": suggest & offered_right,
    }


def evaluate(
    queries: list[ScoredQuery],
    entry_ids: list[str],
    weights: dict[str, float],
    thresholds: Thresholding | None,
) -> Metrics:
    """Ranking metrics, and outcome metrics when `thresholds` (one set, or one per group) is given."""
    metrics = Metrics(queries=len(queries))
    if not queries:
        return metrics
    p = _prepare(queries, entry_ids, weights)
    metrics.in_scope = int(p.in_scope.sum())
    metrics.out_of_scope = len(queries) - metrics.in_scope
    if metrics.in_scope:
        ranks = p.rank[p.in_scope]
        metrics.hit1 = float(np.mean(ranks == 1))
        metrics.hit3 = float(np.mean(ranks <= 3))
        metrics.mrr = float(np.mean(1.0 / ranks))
    if thresholds is not None:
        o = _outcomes(p, thresholds)
        if metrics.in_scope:
            metrics.answered = float(np.mean(o["right_card"][p.in_scope]))
            metrics.suggested = float(np.mean(o["right_offered"][p.in_scope]))
        metrics.wrong = float(np.mean(o["answer"] & ~o["right_card"]))
        if metrics.out_of_scope:
            metrics.rejection = float(np.mean(o["none"][~p.in_scope]))
        metrics.counts = {k: int(v.sum()) for k, v in o.items()}
    return metrics


def choose_weight(queries: list[ScoredQuery], entry_ids: list[str]) -> float:
    """The dense weight with the best hit@1, then MRR, on the in-scope queries given (ties: nearest 0.5)."""

    def merit(weight: float) -> tuple[float, float, float]:
        m = evaluate(queries, entry_ids, dict.fromkeys(QUERY_GROUPS, weight), None)
        return (m.hit1 or 0.0, m.mrr or 0.0, -abs(weight - 0.5))

    return max(WEIGHT_GRID, key=merit)


def choose_weights(queries: list[ScoredQuery], entry_ids: list[str]) -> dict[str, float]:
    in_scope = [q for q in queries if q.expected]
    overall = choose_weight(in_scope, entry_ids)
    weights = {}
    for group in QUERY_GROUPS:
        members = [q for q in in_scope if q.group == group]
        weights[group] = choose_weight(members, entry_ids) if len(members) >= MIN_GROUP else overall
    return weights


@dataclass(frozen=True)
class ThresholdChoice:
    thresholds: Thresholds
    feasible: bool  # both constraints met


def choose_thresholds(
    queries: list[ScoredQuery],
    entry_ids: list[str],
    weights: dict[str, float],
    max_wrong: float = MAX_WRONG,
    min_rejection: float = MIN_REJECTION,
) -> ThresholdChoice:
    """One set of thresholds for all `queries` (see the module's docstring for the rule)."""
    p = _prepare(queries, entry_ids, weights)
    n = len(queries)
    in_scope_n = max(1, int(p.in_scope.sum()))
    oos = ~p.in_scope
    oos_n = int(oos.sum())
    top1, second = p.top[:, 0], p.top[:, 1]
    lead = top1 - second
    has = p.correct_at >= 0
    right_score = np.full(n, -np.inf)
    right_score[has] = p.top[has, p.correct_at[has]]
    suggest_grid = SUGGEST_GRID[:, None]  # (s, 1) against (n,)
    # Outcomes that do not depend on the answer threshold, per suggest threshold.
    reaches_suggest = top1 >= suggest_grid - 1e-9  # (s, n)
    right_reaches = reaches_suggest & (right_score >= suggest_grid - 1e-9)
    best_key: tuple | None = None
    best: Thresholds | None = None
    feasible_found = False
    for lead_weight in LEAD_GRID:
        confidence = top1 + lead_weight * lead
        for margin in MARGIN_GRID:
            clear = lead >= margin - 1e-9
            for answer in ANSWER_GRID:
                valid = answer + 1e-9 >= SUGGEST_GRID
                is_answer = (confidence >= answer - 1e-9) & clear
                right_card = is_answer & (p.correct_at == 0)
                wrong = float(np.sum(is_answer & ~right_card)) / n
                offered = (right_reaches & ~is_answer).sum(axis=1) / in_scope_n
                none = ~reaches_suggest & ~is_answer
                rejection = none[:, oos].sum(axis=1) / oos_n if oos_n else np.ones(len(SUGGEST_GRID))
                gain = right_card.sum() / in_scope_n + 0.5 * offered
                ok = (wrong <= max_wrong + 1e-12) & (rejection >= min_rejection - 1e-12) & valid
                # Feasible: most gain, then the higher suggest threshold; across settings then the larger
                # margin, the higher answer threshold, the smaller lead weight (fewer, surer cards and
                # buttons). Infeasible: the closest, least wrong then most rejection.
                if ok.any():
                    k = _last_best(gain, ok)
                    key = (1, round(float(gain[k]), 9), float(SUGGEST_GRID[k]), margin, -answer, -lead_weight)
                else:
                    # most rejection, then most gain, then the higher suggest threshold
                    k = int([i for i in np.lexsort((SUGGEST_GRID, gain, rejection)) if valid[i]][-1])
                    key = (0, -wrong, float(rejection[k]), float(gain[k]), float(SUGGEST_GRID[k]))
                if best_key is None or key > best_key:
                    best_key = key
                    best = Thresholds(
                        answer=float(answer),
                        margin=float(margin),
                        suggest=float(SUGGEST_GRID[k]),
                        lead_weight=float(lead_weight),
                    )
                    feasible_found = bool(ok[k])
    assert best is not None
    return ThresholdChoice(best, feasible_found)


def _last_best(merit: np.ndarray, allowed: np.ndarray) -> int:
    """The allowed position with the highest merit; ties go to the last (the highest suggest threshold)."""
    candidates = np.nonzero(allowed)[0]
    top = merit[candidates].max()
    return int(candidates[merit[candidates] >= top - 1e-12][-1])


@dataclass(frozen=True)
class Calibration:
    params: dict[str, FusionParams]
    feasible: bool


def calibration_pool(queries: list[ScoredQuery], group: str) -> list[ScoredQuery]:
    """What a group's thresholds are fitted on: its own queries and the out-of-scope queries of every
    group, seen as this group's. An off-topic question must be refused whatever language it comes in, and
    each group alone has too few of them for a stable rejection rate."""
    own = [q for q in queries if q.group == group]
    foreign_oos = [replace(q, group=group) for q in queries if q.expected is None and q.group != group]
    return own + foreign_oos


def calibrate(queries: list[ScoredQuery], entry_ids: list[str]) -> Calibration:
    """Weights, then thresholds for each group that has enough queries (else those fitted on all)."""
    weights = choose_weights(queries, entry_ids)
    overall = choose_thresholds(queries, entry_ids, weights, TARGET_WRONG, TARGET_REJECTION)
    params: dict[str, FusionParams] = {}
    feasible = overall.feasible
    for group in QUERY_GROUPS:
        choice = overall
        pool = calibration_pool(queries, group)
        if sum(q.expected is not None for q in pool) >= MIN_GROUP:
            choice = choose_thresholds(pool, entry_ids, weights, TARGET_WRONG, TARGET_REJECTION)
            feasible = feasible and choice.feasible
        params[group] = FusionParams(dense_weight=weights[group], thresholds=choice.thresholds)
    return Calibration(params, feasible)


def weights_of(params: dict[str, FusionParams]) -> dict[str, float]:
    return {group: p.dense_weight for group, p in params.items()}


def thresholds_of(params: dict[str, FusionParams]) -> dict[str, Thresholds]:
    return {group: p.thresholds for group, p in params.items()}


def cross_validate(
    queries: list[ScoredQuery], entry_ids: list[str], folds: int = 5, seed: int = 13
) -> tuple[Metrics, list[Calibration]]:
    """Out-of-fold metrics: each query measured with numbers calibrated without it."""
    order = list(range(len(queries)))
    random.Random(seed).shuffle(order)
    fold_of = {index: k % folds for k, index in enumerate(order)}
    outcome_queries: list[ScoredQuery] = []
    per_fold: list[Calibration] = []
    totals = {"right_card": 0, "right_offered": 0, "wrong": 0, "none_oos": 0, "ranks": []}
    for k in range(folds):
        train = [q for i, q in enumerate(queries) if fold_of[i] != k]
        test = [q for i, q in enumerate(queries) if fold_of[i] == k]
        if not train or not test:
            continue
        calibration = calibrate(train, entry_ids)
        per_fold.append(calibration)
        p = _prepare(test, entry_ids, weights_of(calibration.params))
        o = _outcomes(p, thresholds_of(calibration.params))
        totals["right_card"] += int(o["right_card"][p.in_scope].sum())
        totals["right_offered"] += int(o["right_offered"][p.in_scope].sum())
        totals["wrong"] += int((o["answer"] & ~o["right_card"]).sum())
        totals["none_oos"] += int(o["none"][~p.in_scope].sum())
        totals["ranks"] += p.rank[p.in_scope].tolist()
        outcome_queries += test
    metrics = Metrics(queries=len(outcome_queries))
    metrics.in_scope = sum(q.expected is not None for q in outcome_queries)
    metrics.out_of_scope = metrics.queries - metrics.in_scope
    ranks = np.array(totals["ranks"])
    if metrics.in_scope:
        metrics.hit1 = float(np.mean(ranks == 1))
        metrics.hit3 = float(np.mean(ranks <= 3))
        metrics.mrr = float(np.mean(1.0 / ranks))
        metrics.answered = totals["right_card"] / metrics.in_scope
        metrics.suggested = totals["right_offered"] / metrics.in_scope
    if metrics.queries:
        metrics.wrong = totals["wrong"] / metrics.queries
    if metrics.out_of_scope:
        metrics.rejection = totals["none_oos"] / metrics.out_of_scope
    return metrics, per_fold
