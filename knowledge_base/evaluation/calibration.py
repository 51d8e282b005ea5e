"""The calibration: the numbers of the FAQ decision, chosen on the development set by what outcomes cost.

1. Fusion weight, per query group (settings.QUERY_GROUPS): the dense weight that maximises hit@1, then MRR,
   on the group's in-scope dev queries (grid 0.00..1.00 step 0.05; a group with fewer than MIN_GROUP
   in-scope queries takes the weight of all queries).
2. Thresholds, per group: the (answer, margin, suggest, lead weight) of least mean cost (metrics.COSTS),
   subject to hard limits set inside the targets, so that questions nobody wrote stay within them:
   - confident wrong cards <= TARGET_WRONG of in-scope queries;
   - cards for off-topic or unanswerable questions <= TARGET_OFF_TOPIC_CARDS;
   - right cards >= MIN_RIGHT_CARDS of the group's in-scope questions as asked: every group keeps
     giving cards (a group that could only suggest would turn every answer into one more tap).
   Ties go to the higher suggest threshold, the larger margin, the higher answer threshold.
   If no setting meets the limits, the one with the fewest wrong and off-topic cards is taken and flagged.
3. The department route (departments.py): the temperature, share and score floor of least routing cost on
   the pool's questions that get no card with those thresholds (the ones the route serves: a no-answer
   reply names the department, and so does a "did you mean", for when none of its buttons fits).

The pool each group is fitted on holds, besides its dev queries as asked, two variants of each in-scope
one (scoring.py): the query scored with the expected entry's closest text removed (a wording the FAQ does
not have: the dev set was written by the hands that wrote the paraphrases, so as asked it is easier than a
resident's question), and with the whole entry removed (the FAQ cannot answer: any card is wrong, and the
reply should name the entry's department); and every group's off-topic queries, seen as this group's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

import numpy as np

from knowledge_base.evaluation.metrics import (
    ASKED,
    COSTS,
    Metrics,
    OutcomeCosts,
    ScoredQuery,
    evaluate,
    outcomes,
    prepare,
    routes,
)
from knowledge_base.retrieval.departments import RouteParams
from knowledge_base.retrieval.settings import QUERY_GROUPS, FusionParams, Thresholds

# The targets on questions nobody here wrote (issue: answers residents can use), and the hard limits the
# calibration holds on the dev set, inside them.
MAX_WRONG = 0.02
MAX_OFF_TOPIC_CARDS = 0.05
TARGET_WRONG = 0.01
TARGET_OFF_TOPIC_CARDS = 0.02
MIN_RIGHT_CARDS = 0.30
MIN_GROUP = 10
LEAD_GRID = (0.0, 0.5, 1.0)
WEIGHT_GRID = tuple(round(float(w), 2) for w in np.arange(0.0, 1.0001, 0.05))
# confidence = score + lead_weight x lead can pass 1, hence an answer threshold up to 1.3.
ANSWER_GRID = tuple(round(float(a), 3) for a in np.arange(0.20, 1.301, 0.01))
MARGIN_GRID = tuple(round(float(m), 3) for m in np.arange(0.0, 0.1501, 0.01))
SUGGEST_GRID = np.round(np.arange(0.10, 0.951, 0.01), 3)
# The department route's grid, and what a routing mistake costs: the main number costs the resident one
# transfer; the wrong department one transfer too, and a little more (they may first be told it is not
# theirs); naming a department for an off-topic question wastes part of a call.
TEMPERATURE_GRID = (0.02, 0.05, 0.1)
SHARE_GRID = tuple(round(float(s), 2) for s in np.arange(0.3, 0.951, 0.05))
ROUTE_FLOOR_GRID = tuple(round(float(s), 2) for s in np.arange(0.0, 0.61, 0.05))
ROUTE_COSTS = {"right": 0.0, "main_instead": 1.0, "wrong": 1.5, "off_topic_named": 0.5}


def choose_weight(queries: list[ScoredQuery], entry_ids: list[str]) -> float:
    """The dense weight with the best hit@1, then MRR, on the in-scope queries given (ties: nearest 0.5)."""

    def merit(weight: float) -> tuple[float, float, float]:
        m = evaluate(queries, entry_ids, dict.fromkeys(QUERY_GROUPS, weight), None)
        return (m.hit1 or 0.0, m.mrr or 0.0, -abs(weight - 0.5))

    return max(WEIGHT_GRID, key=merit)


def choose_weights(queries: list[ScoredQuery], entry_ids: list[str]) -> dict[str, float]:
    in_scope = [q for q in queries if q.in_scope and q.variant == ASKED]
    overall = choose_weight(in_scope, entry_ids)
    weights = {}
    for group in QUERY_GROUPS:
        members = [q for q in in_scope if q.group == group]
        weights[group] = choose_weight(members, entry_ids) if len(members) >= MIN_GROUP else overall
    return weights


@dataclass(frozen=True)
class ThresholdChoice:
    thresholds: Thresholds
    feasible: bool  # every hard limit met


def choose_thresholds(
    queries: list[ScoredQuery],
    entry_ids: list[str],
    weights: dict[str, float],
    costs: OutcomeCosts = COSTS,
    max_wrong: float = TARGET_WRONG,
    max_off_topic_cards: float = TARGET_OFF_TOPIC_CARDS,
    min_right_cards: float = MIN_RIGHT_CARDS,
) -> ThresholdChoice:
    """One set of thresholds for all `queries`, of least mean cost within the limits (module docstring)."""
    p = prepare(queries, entry_ids, weights)
    n = len(queries)
    inside = p.in_scope
    outside = ~inside
    asked_inside = inside & np.array([q.variant == ASKED for q in queries], dtype=bool)
    n_in, n_out, n_asked = max(1, int(inside.sum())), max(1, int(outside.sum())), max(1, int(asked_inside.sum()))
    top1, lead = p.top[:, 0], p.top[:, 0] - p.top[:, 1]
    has = p.correct_at >= 0
    right_score = np.full(n, -np.inf)
    right_score[has] = p.top[has, p.correct_at[has]]
    grid = SUGGEST_GRID[:, None]  # (s, 1) against (n,)
    reaches = top1 >= grid - 1e-9  # (s, n)
    right_reaches = reaches & (right_score >= grid - 1e-9)
    card_cost = np.where(p.unanswerable, costs.unanswerable_card, costs.off_topic_card)
    best_key: tuple | None = None
    best: ThresholdChoice | None = None
    for lead_weight in LEAD_GRID:
        confidence = top1 + lead_weight * lead
        for margin in MARGIN_GRID:
            clear = lead >= margin - 1e-9
            for answer in ANSWER_GRID:
                valid = answer + 1e-9 >= SUGGEST_GRID
                card = (confidence >= answer - 1e-9) & clear
                right_card = card & (p.correct_at == 0)
                wrong = card & inside & ~right_card
                offered = right_reaches & ~card & inside  # (s, n)
                dead = inside & ~card & ~offered
                off_offer = reaches & ~card & outside
                total = (
                    offered.sum(axis=1) * costs.right_offered
                    + dead.sum(axis=1) * costs.dead_end
                    + wrong.sum() * costs.wrong_card
                    + np.sum((card * card_cost)[outside])
                    + off_offer.sum(axis=1) * costs.off_topic_offer
                ) / n
                wrong_rate = wrong.sum() / n_in
                off_cards = (card & outside).sum() / n_out
                right_share = (right_card & asked_inside).sum() / n_asked
                within = wrong_rate <= max_wrong + 1e-12 and off_cards <= max_off_topic_cards + 1e-12
                ok = valid & within & (right_share >= min_right_cards - 1e-12)
                if ok.any():
                    k = _last_min(total, ok)
                    key = (1, -round(float(total[k]), 9), float(SUGGEST_GRID[k]), margin, answer, -lead_weight)
                else:
                    k = _last_min(total, valid)
                    key = (0, -round(float(wrong_rate + off_cards), 9), -round(float(total[k]), 9))
                if best_key is None or key > best_key:
                    best_key = key
                    thresholds = Thresholds(float(answer), float(margin), float(SUGGEST_GRID[k]), float(lead_weight))
                    best = ThresholdChoice(thresholds, bool(ok[k]))
    assert best is not None
    return best


def _last_min(cost: np.ndarray, allowed: np.ndarray) -> int:
    """The allowed position of least cost; ties go to the last (the highest suggest threshold)."""
    candidates = np.nonzero(allowed)[0]
    low = cost[candidates].min()
    return int(candidates[cost[candidates] <= low + 1e-12][-1])


def calibration_pool(queries: list[ScoredQuery], group: str) -> list[ScoredQuery]:
    """What a group's thresholds are fitted on: its own queries (all variants) and the off-topic queries of
    every group, seen as this group's: an off-topic question must not get a card whatever its language, and
    each group alone has too few of them for a stable rate."""
    own = [q for q in queries if q.group == group]
    foreign = [replace(q, group=group) for q in queries if q.group != group and not q.expected and q.variant == ASKED]
    return own + foreign


def choose_route(
    queries: list[ScoredQuery], entry_ids: list[str], weights: dict[str, float], departments: list[str | None]
) -> RouteParams:
    """The route parameters of least routing cost (ROUTE_COSTS) on `queries`, each labelled with the
    department its reply should name (None: the main number)."""
    p = prepare(queries, entry_ids, weights)
    best: tuple[float, RouteParams] | None = None
    for temperature in TEMPERATURE_GRID:
        for share in SHARE_GRID:
            for floor in ROUTE_FLOOR_GRID:
                params = RouteParams(temperature=temperature, min_share=share, min_score=floor)
                chosen = routes(p, departments, params)
                cost = _route_cost(chosen, p.labels, p.in_scope | p.unanswerable)
                # ties: the lower share and floor (name a department more often rather than less)
                if best is None or cost < best[0] - 1e-12:
                    best = (cost, params)
    assert best is not None
    return best[1]


def _route_cost(chosen: np.ndarray, labels: np.ndarray, answerable_topic: np.ndarray) -> float:
    cost = 0.0
    for named, label, topical in zip(chosen.tolist(), labels.tolist(), answerable_topic.tolist(), strict=True):
        if named == label:
            continue
        if not topical:
            cost += ROUTE_COSTS["off_topic_named"]
        elif named is None:
            cost += ROUTE_COSTS["main_instead"]
        else:
            cost += ROUTE_COSTS["wrong"]
    return cost / max(1, len(chosen))


@dataclass(frozen=True)
class Calibration:
    params: dict[str, FusionParams]
    route: RouteParams
    feasible: bool


def calibrate(queries: list[ScoredQuery], entry_ids: list[str], departments: list[str | None]) -> Calibration:
    """Weights, thresholds for each group with enough queries (else those fitted on all), the route."""
    weights = choose_weights(queries, entry_ids)
    overall = choose_thresholds(queries, entry_ids, weights)
    params: dict[str, FusionParams] = {}
    feasible = overall.feasible
    for group in QUERY_GROUPS:
        choice = overall
        pool = calibration_pool(queries, group)
        if sum(q.in_scope and q.variant == ASKED for q in pool) >= MIN_GROUP:
            choice = choose_thresholds(pool, entry_ids, weights)
            feasible = feasible and choice.feasible
        params[group] = FusionParams(dense_weight=weights[group], thresholds=choice.thresholds)
    # The route is fitted on the questions that get no card with these thresholds: those it serves (a
    # "did you mean" also names the department, for when none of the buttons fits).
    p = prepare(queries, entry_ids, weights)
    no_card = ~outcomes(p, thresholds_of(params))["answer"]
    pool = [q for q, served in zip(queries, no_card.tolist(), strict=True) if served]
    route = choose_route(pool, entry_ids, weights, departments) if pool else RouteParams()
    return Calibration(params, route, feasible)


def weights_of(params: dict[str, FusionParams]) -> dict[str, float]:
    return {group: p.dense_weight for group, p in params.items()}


def thresholds_of(params: dict[str, FusionParams]) -> dict[str, Thresholds]:
    return {group: p.thresholds for group, p in params.items()}


def cross_validate(
    queries: list[ScoredQuery],
    entry_ids: list[str],
    departments: list[str | None],
    folds: int = 5,
    seed: int = 13,
) -> Metrics:
    """Out-of-fold figures on the queries as asked: each measured with numbers calibrated without it (and
    without its variants, which share its wording)."""
    texts = sorted({q.text for q in queries})
    random.Random(seed).shuffle(texts)
    fold_of = {text: k % folds for k, text in enumerate(texts)}
    measured: list[tuple[ScoredQuery, Calibration]] = []
    for k in range(folds):
        train = [q for q in queries if fold_of[q.text] != k]
        test = [q for q in queries if fold_of[q.text] == k and q.variant == ASKED]
        if train and test:
            calibration = calibrate(train, entry_ids, departments)
            measured += [(q, calibration) for q in test]
    return _pooled(measured, entry_ids, departments)


# Figures that add up across parts of a set, each with the count it is a share of.
_SHARES = (
    ("hit1", "in_scope"),
    ("hit3", "in_scope"),
    ("mrr", "in_scope"),
    ("right_card", "in_scope"),
    ("right_within", "in_scope"),
    ("no_answer", "in_scope"),
    ("wrong_card", "in_scope"),
    ("off_topic_card", "out_of_scope"),
    ("route", "routed"),
    ("route_no_card", "no_card"),
    ("cost", "queries"),
)


def _pooled(measured: list[tuple[ScoredQuery, Calibration]], entry_ids: list[str], departments: list) -> Metrics:
    """Figures of queries each measured with its own calibration, added up as one set."""
    parts: dict[int, tuple[Calibration, list[ScoredQuery]]] = {}
    for query, calibration in measured:
        parts.setdefault(id(calibration), (calibration, []))[1].append(query)
    total = Metrics()
    sums: dict[str, float] = {}
    for calibration, members in parts.values():
        params = calibration.params
        m = evaluate(members, entry_ids, weights_of(params), thresholds_of(params), departments, calibration.route)
        for count in ("queries", "in_scope", "out_of_scope", "routed", "no_card"):
            setattr(total, count, getattr(total, count) + getattr(m, count))
        for name, count in _SHARES:
            value = getattr(m, name)
            if value is not None:
                sums[name] = sums.get(name, 0.0) + value * getattr(m, count)
    for name, count in _SHARES:
        if getattr(total, count) and name in sums:
            setattr(total, name, sums[name] / getattr(total, count))
    return total
