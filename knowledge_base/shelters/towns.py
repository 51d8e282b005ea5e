"""Town names (町名) a resident may type, and where they are, taken only from the official data.

The addresses in the GSI files name the town of every designated place (茨城県常総市水海道天満町2516-1 → 水海道天満町).
A town's position is the centre of the designated places in it: no coordinate is invented, and a town without
any designated place is simply not known (the bot then asks for the resident's location instead).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from knowledge_base.shelters.places import Place

_LOT = re.compile(r"[0-9]")
_TRAILING = re.compile(r"(?:[甲乙丙丁]|字.*|大字.*|番地.*)$")


@dataclass(frozen=True)
class Town:
    name: str  # as in the addresses, e.g. 水海道天満町
    municipality: str  # e.g. 茨城県常総市
    latitude: float
    longitude: float
    places: int  # designated places whose address is in this town


def town_of(place: Place) -> str | None:
    address = unicodedata.normalize("NFKC", place.address).strip()
    municipality = unicodedata.normalize("NFKC", place.municipality)
    if not municipality or not address.startswith(municipality):
        return None
    rest = address[len(municipality) :].removeprefix("大字")
    digit = _LOT.search(rest)
    town = rest[: digit.start()] if digit else rest
    town = _TRAILING.sub("", town).strip(" 　-")
    return town or None


def _shared_prefixes(names: list[str]) -> set[str]:
    """Leading parts (3+ characters) several town names share, like 水海道 in 水海道天満町 and 水海道亀岡町."""
    prefixes = set()
    for a, b in combinations(names, 2):
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        if n >= 3 and n < len(a) and n < len(b):
            prefixes.add(a[:n])
    return prefixes


def _aliases(name: str, prefixes: set[str]) -> set[str]:
    """What a resident may type for a town: 水海道天満町, 水海道天満, 天満町, 天満."""
    forms = {name}
    for prefix in prefixes:
        if name.startswith(prefix) and len(name) - len(prefix) >= 2:
            forms.add(name[len(prefix) :])
    for form in list(forms):
        if form[-1] in "町村" and len(form) >= 3:
            forms.add(form[:-1])
    return {f for f in forms if len(f) >= 2}


class Gazetteer:
    def __init__(self, places: list[Place]) -> None:
        members: dict[tuple[str, str], list[Place]] = defaultdict(list)
        for place in places:
            name = town_of(place)
            if name:
                members[(place.municipality, name)].append(place)
        self.towns = [
            Town(
                name=name,
                municipality=municipality,
                latitude=sum(p.latitude for p in group) / len(group),
                longitude=sum(p.longitude for p in group) / len(group),
                places=len(group),
            )
            for (municipality, name), group in sorted(members.items())
        ]
        by_municipality: dict[str, list[str]] = defaultdict(list)
        for town in self.towns:
            by_municipality[town.municipality].append(town.name)
        prefixes = {m: _shared_prefixes(names) for m, names in by_municipality.items()}
        candidates: dict[str, set[int]] = defaultdict(set)
        for i, town in enumerate(self.towns):
            for alias in _aliases(town.name, prefixes[town.municipality]):
                candidates[alias].add(i)
        # An alias two towns share (e.g. in two municipalities of a national file) names neither.
        self._aliases = {alias: next(iter(ids)) for alias, ids in candidates.items() if len(ids) == 1}
        self._longest = max(map(len, self._aliases), default=0)

    def __len__(self) -> int:
        return len(self.towns)

    def find(self, text: str) -> Town | None:
        """The town a message names (the longest name found wins), or None."""
        text = re.sub(r"\s", "", unicodedata.normalize("NFKC", text))
        # Look substrings up, longest first: fast even with every town of Japan loaded.
        for length in range(min(self._longest, len(text)), 1, -1):
            for start in range(len(text) - length + 1):
                index = self._aliases.get(text[start : start + length])
                if index is not None:
                    return self.towns[index]
        return None
