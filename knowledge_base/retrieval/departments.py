"""The department route: when no FAQ entry fits, which department should the resident call?

The departments are those the FAQ files already name (a file's `department:` block, or an entry's own
`department`), with their phone and hours. The question's best candidates from the same retrieval (same
encoder, same fused scores) vote for their entries' departments, each with a softmax weight of its score;
the route names a department when its share of the vote reaches `min_share` and the best candidate scores
at least `min_score` (else the question is off-topic or spread over many departments: the reply gives the
city's main number). Not every department is a route: the main line itself (代表) is the fallback, and a
contact without an ordinary phone number (119/110) is not where a question without an answer goes.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knowledge_base.catalog import FaqEntry

# An ordinary Japanese phone number (0297-23-2111), as opposed to 119 or 110.
_PHONE = re.compile(r"0\d{1,4}-\d{1,4}-\d{3,4}")
MAIN_LINE_MARK = "代表"


@dataclass(frozen=True)
class RouteParams:
    temperature: float = 0.05  # softmax temperature over the candidates' fused scores
    min_share: float = 0.5  # the department's share of the vote needed to name it
    min_score: float = 0.0  # the best candidate's fused score needed to name any department
    depth: int = 10  # candidates that vote


@dataclass(frozen=True)
class Department:
    name: str
    phone: str
    hours: str


def routable(name: str, phone: str) -> bool:
    return MAIN_LINE_MARK not in name and bool(_PHONE.search(phone))


class DepartmentDirectory:
    """The routable departments of one FAQ, each with the phone and hours most of its entries give."""

    def __init__(self, entries: Iterable[FaqEntry]) -> None:
        phones: dict[str, Counter[str]] = {}
        hours: dict[str, Counter[str]] = {}
        self._of_entry: dict[str, str | None] = {}
        for entry in entries:
            ok = routable(entry.department, entry.phone)
            self._of_entry[entry.id] = entry.department if ok else None
            if ok:
                phones.setdefault(entry.department, Counter())[entry.phone] += 1
                hours.setdefault(entry.department, Counter())[entry.hours] += 1
        self.departments = {
            name: Department(name, phones[name].most_common(1)[0][0], hours[name].most_common(1)[0][0])
            for name in phones
        }

    def of_entry(self, entry_id: str) -> str | None:
        """The routable department of an entry; None when its contact is the main line or an emergency one."""
        return self._of_entry.get(entry_id)

    def route(self, ranked: Sequence[tuple[str, float]], params: RouteParams) -> Department | None:
        """`ranked`: (entry id, fused score) of the best candidates, best first."""
        voters = list(ranked[: params.depth])
        if not voters or voters[0][1] < params.min_score - 1e-9:
            return None
        top = voters[0][1]
        weights = [math.exp((score - top) / params.temperature) for _, score in voters]
        total = sum(weights)
        share: dict[str, float] = {}
        for (entry_id, _), weight in zip(voters, weights, strict=True):
            name = self.of_entry(entry_id)
            if name is not None:
                share[name] = share.get(name, 0.0) + weight / total
        if not share:
            return None
        best = max(share, key=share.__getitem__)
        return self.departments[best] if share[best] >= params.min_share - 1e-9 else None
