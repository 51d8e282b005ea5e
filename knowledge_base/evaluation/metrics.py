"""What the FAQ decision does with scored questions: outcomes, their figures, and their cost.

Every query is scored once against every entry in both views (dense, lexical; see scoring.py); fusion
weights, thresholds and the department route are then pure arithmetic on those matrices, so the
calibration (calibration.py) can try thousands of settings.

Outcomes follow decision.py exactly: answer card, "did you mean" (up to three buttons), or no answer (with
the department route, departments.py). Figures, per set of queries:
- hit@1, hit@3, MRR: ranking of the (best-ranked) expected entry, in-scope queries only;
- right card: in-scope queries that get the card of an expected entry;
- right within: a right card, or a "did you mean" whose buttons include an expected entry;
- no answer: in-scope queries that get neither a card nor buttons (a dead end but for the department route);
- wrong card: in-scope queries that get the card of another entry (the confident wrong answer);
- off-topic card: out-of-scope queries (and questions whose entry was removed) that get a card;
- route: among in-scope queries that get no answer, the share whose reply names their department.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from knowledge_base.retrieval.departments import RouteParams
from knowledge_base.retrieval.settings import QUERY_GROUPS, Thresholds

# How a query was put to the retriever (calibration and the entry-held-out check use the last two):
ASKED = "asked"  # as written
UNSEEN_WORDING = "unseen_wording"  # the expected entry's closest text removed: a wording the FAQ does not have
ENTRY_REMOVED = "entry_removed"  # every text of the expected entry removed: the FAQ cannot answer it
VARIANTS = (ASKED, UNSEEN_WORDING, ENTRY_REMOVED)
# Candidates the department route looks at (as the retriever does: settings.DEPARTMENT_ROUTE_DEPTH).
ROUTE_DEPTH = 10
_EPS = 1e-9


@dataclass(frozen=True)
class ScoredQuery:
    """One query scored against every entry (index order of `entry_ids`)."""

    text: str
    expected: tuple[str, ...]  # entries that answer it; empty: the FAQ has no answer
    lang: str
    kind: str
    group: str  # query group the bot would use (from the detected language)
    dense: np.ndarray
    lexical: np.ndarray
    comparable: np.ndarray | bool = True  # per entry: has a text in the query's language (FusionParams.fuse)
    # The department whose reply is right for it (departments.routable name), None: the city's main number.
    department: str | None = None
    variant: str = ASKED

    @property
    def in_scope(self) -> bool:
        return bool(self.expected)


@dataclass
class Metrics:
    queries: int = 0
    in_scope: int = 0
    out_of_scope: int = 0
    hit1: float | None = None
    hit3: float | None = None
    mrr: float | None = None
    right_card: float | None = None
    right_within: float | None = None
    no_answer: float | None = None
    wrong_card: float | None = None
    off_topic_card: float | None = None
    route: float | None = None  # None when no in-scope query got "no answer"
    routed: int = 0  # in-scope queries that got "no answer" (the route's denominator)
    # Every reply without a card (no answer, or "did you mean" naming whom to ask): the share that names the
    # right department, or gives the main number where no department is right.
    route_no_card: float | None = None
    no_card: int = 0
    cost: float | None = None
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class OutcomeCosts:
    """What each outcome costs a resident, in "one more tap" units. The calibration minimises the mean.

    A wrong card is the worst: the resident acts on an answer to another question. A dead end when the FAQ
    has the answer is next: they must phone or come to the counter although the answer was there. A card
    for a question the FAQ cannot answer misleads as much as a wrong card. "Did you mean" costs a tap when
    it holds the answer, and little when it is offered for an off-topic question: the resident ignores it.
    """

    right_card: float = 0.0
    right_offered: float = 1.0
    dead_end: float = 4.0  # in scope: no card, the right entry not among the buttons
    wrong_card: float = 10.0  # in scope: the card of another entry
    off_topic_card: float = 8.0
    unanswerable_card: float = 10.0  # entry removed: any card is a wrong answer to a real question
    off_topic_offer: float = 0.5
    off_topic_none: float = 0.0


COSTS = OutcomeCosts()


def fused_scores(query: ScoredQuery, weight: float) -> np.ndarray:
    fused = weight * query.dense + (1.0 - weight) * query.lexical
    return np.where(query.comparable, fused, query.dense)


@dataclass(frozen=True)
class Prepared:
    """Per query, what the outcome rules need: top scores, where an expected entry is, route candidates."""

    top: np.ndarray  # (n, 3) best three fused scores (0 where the FAQ has fewer entries, as decision.py)
    correct_at: np.ndarray  # (n,) first position 0..2 of an expected entry among the best three, else -1
    rank: np.ndarray  # (n,) 1-based rank of the best-ranked expected entry (0 for out-of-scope)
    in_scope: np.ndarray  # (n,) bool
    unanswerable: np.ndarray  # (n,) bool: entry-removed variants
    groups: np.ndarray  # (n,) query group of each query
    route_ids: np.ndarray  # (n, ROUTE_DEPTH) entry numbers of the best candidates
    route_scores: np.ndarray  # (n, ROUTE_DEPTH) their fused scores
    labels: np.ndarray  # (n,) department label (object; None: the main number)


def prepare(queries: list[ScoredQuery], entry_ids: list[str], weights: dict[str, float]) -> Prepared:
    position = {entry_id: i for i, entry_id in enumerate(entry_ids)}
    n = len(queries)
    depth = min(ROUTE_DEPTH, len(entry_ids))
    top = np.zeros((n, 3))
    correct_at = np.full(n, -1)
    rank = np.zeros(n, dtype=int)
    route_ids = np.zeros((n, depth), dtype=int)
    route_scores = np.zeros((n, depth))
    for i, query in enumerate(queries):
        fused = fused_scores(query, weights[query.group])
        order = np.argsort(-fused, kind="stable")
        best = order[:3]
        top[i, : len(best)] = fused[best]
        route_ids[i] = order[:depth]
        route_scores[i] = fused[order[:depth]]
        if query.expected:
            targets = [position[e] for e in query.expected]
            where = np.nonzero(np.isin(order, targets))[0]
            rank[i] = int(where[0]) + 1
            if rank[i] <= 3:
                correct_at[i] = rank[i] - 1
    return Prepared(
        top=top,
        correct_at=correct_at,
        rank=rank,
        in_scope=np.array([q.in_scope for q in queries], dtype=bool),
        unanswerable=np.array([q.variant == ENTRY_REMOVED for q in queries], dtype=bool),
        groups=np.array([q.group for q in queries], dtype=object),
        route_ids=route_ids,
        route_scores=route_scores,
        labels=np.array([q.department for q in queries], dtype=object),
    )


Thresholding = Thresholds | dict[str, Thresholds]


def _per_query(p: Prepared, thresholds: Thresholding) -> tuple[np.ndarray, ...]:
    """(answer, margin, suggest, lead_weight) per query, from one set of thresholds or one per group."""
    if isinstance(thresholds, Thresholds):
        thresholds = dict.fromkeys(QUERY_GROUPS, thresholds)
    names = ("answer", "margin", "suggest", "lead_weight")
    return tuple(np.array([getattr(thresholds[g], f) for g in p.groups], dtype=float) for f in names)


def outcomes(p: Prepared, thresholds: Thresholding) -> dict[str, np.ndarray]:
    answer_t, margin, suggest_t, lead_weight = _per_query(p, thresholds)
    top1, second = p.top[:, 0], p.top[:, 1]
    lead = top1 - second
    answer = (top1 + lead_weight * lead >= answer_t - _EPS) & (lead >= margin - _EPS)
    suggest = ~answer & (top1 >= suggest_t - _EPS)
    offered_right = np.zeros(len(p.rank), dtype=bool)
    has = p.correct_at >= 0
    offered_right[has] = p.top[has, p.correct_at[has]] >= suggest_t[has] - _EPS
    right_card = answer & (p.correct_at == 0)
    return {
        "answer": answer,
        "suggest": suggest,
        "none": ~answer & ~suggest,
        "right_card": right_card,
        "right_offered": suggest & offered_right,
        "wrong_card": answer & ~right_card,
    }


def mean_cost(p: Prepared, o: dict[str, np.ndarray], costs: OutcomeCosts = COSTS) -> float:
    inside, outside = p.in_scope, ~p.in_scope
    dead_end = ~o["right_card"] & ~o["right_offered"] & ~o["wrong_card"]
    card_cost = np.where(p.unanswerable, costs.unanswerable_card, costs.off_topic_card)
    total = (
        np.sum(o["right_offered"][inside]) * costs.right_offered
        + np.sum(dead_end[inside]) * costs.dead_end
        + np.sum(o["wrong_card"][inside]) * costs.wrong_card
        + np.sum((o["answer"] * card_cost)[outside])
        + np.sum(o["suggest"][outside]) * costs.off_topic_offer
    )
    return float(total) / max(1, len(p.rank))


def routes(p: Prepared, departments: list[str | None], params: RouteParams) -> np.ndarray:
    """The department each query's no-answer reply would name (None: the main number), as
    DepartmentDirectory.route decides. `departments`: the routable department of each entry (index order)."""
    names = sorted({d for d in departments if d is not None})
    if not names:
        return np.full(len(p.rank), None, dtype=object)
    code = np.array([names.index(d) if d is not None else len(names) for d in departments])
    weights = np.exp((p.route_scores - p.route_scores[:, :1]) / params.temperature)
    weights /= weights.sum(axis=1, keepdims=True)
    share = np.zeros((len(p.rank), len(names) + 1))  # the last column: entries that are no route
    np.add.at(share, (np.arange(len(p.rank))[:, None], code[p.route_ids]), weights)
    best = np.argmax(share[:, :-1], axis=1)
    named = (share[np.arange(len(p.rank)), best] >= params.min_share - _EPS) & (
        p.route_scores[:, 0] >= params.min_score - _EPS
    )
    return np.array([names[b] if ok else None for b, ok in zip(best, named, strict=True)], dtype=object)


def evaluate(
    queries: list[ScoredQuery],
    entry_ids: list[str],
    weights: dict[str, float],
    thresholds: Thresholding | None,
    departments: list[str | None] | None = None,
    route: RouteParams | None = None,
) -> Metrics:
    """Ranking figures; outcome figures when `thresholds` are given; the route's when it is given too."""
    m = Metrics(queries=len(queries))
    if not queries:
        return m
    p = prepare(queries, entry_ids, weights)
    inside = p.in_scope
    m.in_scope = int(inside.sum())
    m.out_of_scope = len(queries) - m.in_scope
    if m.in_scope:
        ranks = p.rank[inside]
        m.hit1 = float(np.mean(ranks == 1))
        m.hit3 = float(np.mean(ranks <= 3))
        m.mrr = float(np.mean(1.0 / ranks))
    if thresholds is None:
        return m
    o = outcomes(p, thresholds)
    if m.in_scope:
        m.right_card = float(np.mean(o["right_card"][inside]))
        m.right_within = float(np.mean((o["right_card"] | o["right_offered"])[inside]))
        m.no_answer = float(np.mean(o["none"][inside]))
        m.wrong_card = float(np.mean(o["wrong_card"][inside]))
    if m.out_of_scope:
        m.off_topic_card = float(np.mean(o["answer"][~inside]))
    m.cost = mean_cost(p, o)
    m.counts = {k: int(v.sum()) for k, v in o.items()}
    if departments is not None and route is not None:
        chosen = routes(p, departments, route)
        right = chosen == p.labels
        asked_none = o["none"] & inside
        m.routed = int(asked_none.sum())
        if m.routed:
            m.route = float(np.mean(right[asked_none]))
        no_card = ~o["answer"]
        m.no_card = int(no_card.sum())
        if m.no_card:
            m.route_no_card = float(np.mean(right[no_card]))
    return m
