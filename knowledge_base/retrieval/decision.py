"""From fused scores to one of three outcomes, by calibrated thresholds (settings.Thresholds).

- answer: the best entry's confidence (its score plus a share of its lead over the runner-up) reaches
  `answer` and it leads the runner-up by at least `margin`;
- suggest ("did you mean"): the best scores at least `suggest` but is not a clear answer (middling, or
  close to another entry); up to three entries scoring at least `suggest` are offered;
- no answer: nothing scores `suggest`: the bot names the department that handles the topic (departments.py),
  or gives the city's main number when even that is unclear, and records the miss. A "did you mean" names
  that department too, for when none of its buttons fits.

Why these outcomes and where their thresholds come from: the cost model of knowledge_base/evaluation/
calibration.py (a wrong card costs most, a dead end next, a "did you mean" for an off-topic question little).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from knowledge_base.retrieval.base import Candidate
from knowledge_base.retrieval.departments import Department
from knowledge_base.retrieval.settings import Thresholds

MAX_SUGGESTIONS = 3


class Outcome(StrEnum):
    ANSWER = "answer"
    SUGGEST = "suggest"
    NO_ANSWER = "no_answer"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    # answer: the one entry; suggest: up to three, best first; no answer: none.
    candidates: tuple[Candidate, ...]
    # The best guess whatever the outcome (kept with a miss, so staff see what the bot almost said).
    best: Candidate | None
    # No card: the department that handles the topic, when clear (named by a no-answer reply, and by a
    # "did you mean" for when none of its buttons fits; else the reply gives the main number).
    department: Department | None = None


# Scores at a threshold count as reaching it, whatever the float rounding of a subtraction.
_EPSILON = 1e-9


def classify(best: float, runner_up: float | None, thresholds: Thresholds) -> Outcome:
    # With no runner-up (a one-entry FAQ) the whole score counts as lead.
    second = 0.0 if runner_up is None else runner_up
    clear = best - second >= thresholds.margin - _EPSILON
    if thresholds.confidence(best, second) >= thresholds.answer - _EPSILON and clear:
        return Outcome.ANSWER
    if best >= thresholds.suggest - _EPSILON:
        return Outcome.SUGGEST
    return Outcome.NO_ANSWER


def decide(ranked: list[Candidate], thresholds: Thresholds) -> Decision:
    """`ranked`: one candidate per entry, best first."""
    if not ranked:
        return Decision(Outcome.NO_ANSWER, (), None)
    best = ranked[0]
    outcome = classify(best.score, ranked[1].score if len(ranked) > 1 else None, thresholds)
    if outcome is Outcome.ANSWER:
        return Decision(outcome, (best,), best)
    if outcome is Outcome.SUGGEST:
        offered = tuple(c for c in ranked[:MAX_SUGGESTIONS] if c.score >= thresholds.suggest)
        return Decision(outcome, offered, best)
    return Decision(outcome, (), best)
