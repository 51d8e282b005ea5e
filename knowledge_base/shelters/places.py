"""One place on the map, from the rows of both official files that describe it.

A school is often both an emergency site (指定緊急避難場所: where to flee, per hazard) and a shelter (指定避難所:
where to stay), sometimes with a welfare shelter (福祉避難所) row as well, each with its own 共通ID and slightly
different coordinates. The two files are joined by place:

1. by the facility part of the 共通ID (E + municipality code + 5-digit facility number), which both files share
   for one facility, confirmed by the same name or coordinates within JOIN_DISTANCE_M;
2. failing that (IDs not in the standard form, or numbered differently by a municipality), by the same name
   within JOIN_DISTANCE_M in the same municipality.

Rows that match neither way stay places of their own. The place's position and hazards come from its emergency
site rows (the place to flee to); a place with shelter rows only has no hazard and is never offered as a place
to flee to.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from knowledge_base.shelters.geo import distance_m
from knowledge_base.shelters.gsi_csv import FileKind, Problem, SiteRow
from knowledge_base.shelters.hazards import Hazard

JOIN_DISTANCE_M = 300.0


@dataclass(frozen=True)
class Place:
    id: str  # the 共通ID of its first emergency-site row, else of its first shelter row
    name: str
    address: str
    latitude: float
    longitude: float
    hazards: frozenset[Hazard]  # designated as an emergency site for these hazards
    is_shelter: bool  # also a 指定避難所 (a place to stay)
    welfare: bool  # hosts a 福祉避難所 (for residents who need care)
    municipality_code: str | None
    municipality: str  # e.g. 茨城県常総市
    row_ids: tuple[str, ...]  # every 共通ID of the rows joined here
    sources: tuple[str, ...]  # file:line of each row

    def designated_for(self, hazard: Hazard) -> bool:
        return hazard in self.hazards


_SPACES = re.compile(r"\s")


@functools.lru_cache(maxsize=262_144)
def normalized_name(name: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", name))


_MUNICIPALITY = re.compile(r"^(北海道|東京都|大阪府|京都府|.{2,3}?県)(.+?郡)?(.+?[市町村])")


def municipality_of(row: SiteRow) -> str:
    """都道府県名及び市町村名 from the national column, else read off the address (茨城県常総市...)."""
    return row.municipality or _municipality_in_address(row.address)


@functools.lru_cache(maxsize=262_144)
def _municipality_in_address(address: str) -> str:
    match = _MUNICIPALITY.match(unicodedata.normalize("NFKC", address))
    if not match:
        return ""
    prefecture, county, city = match.groups()
    return prefecture + (county or "") + city


@dataclass
class _Group:
    rows: list[SiteRow] = field(default_factory=list)

    @property
    def anchor(self) -> SiteRow:
        return self.rows[0]

    def matches(self, row: SiteRow, need_both: bool) -> tuple[bool, float]:
        same_name = any(normalized_name(r.name) == normalized_name(row.name) for r in self.rows)
        distance = min(distance_m(r.latitude, r.longitude, row.latitude, row.longitude) for r in self.rows)
        near = distance <= JOIN_DISTANCE_M
        return ((same_name and near) if need_both else (same_name or near)), distance

    def place(self) -> Place:
        emergency = [r for r in self.rows if r.kind is FileKind.EMERGENCY_SITES]
        shelters = [r for r in self.rows if r.kind is FileKind.SHELTERS]
        general = [r for r in shelters if not r.welfare]
        main = (emergency or general or shelters)[0]
        hazards: frozenset[Hazard] = frozenset().union(*(r.hazards for r in emergency))
        return Place(
            id=main.id,
            name=main.name,
            address=main.address or next((r.address for r in self.rows if r.address), ""),
            latitude=main.latitude,
            longitude=main.longitude,
            hazards=hazards,
            is_shelter=bool(shelters),
            welfare=any(r.welfare for r in shelters),
            municipality_code=next((r.municipality_code for r in self.rows if r.municipality_code), None),
            municipality=next((m for r in self.rows if (m := municipality_of(r))), ""),
            row_ids=tuple(r.id for r in self.rows),
            sources=tuple(f"{r.file}:{r.line}" for r in self.rows),
        )


def join_rows(emergency: list[SiteRow], shelters: list[SiteRow]) -> tuple[list[Place], list[Problem]]:
    """Places from the rows of both files (see the module docstring for the rule)."""
    problems: list[Problem] = []
    groups: list[_Group] = []
    by_key: dict[str, list[_Group]] = {}
    by_name: dict[tuple[str, str], list[_Group]] = {}

    def new_group(row: SiteRow) -> None:
        group = _Group([row])
        groups.append(group)
        if row.facility_key:
            by_key.setdefault(row.facility_key, []).append(group)
        by_name.setdefault((municipality_of(row), normalized_name(row.name)), []).append(group)

    # Emergency sites first, so that a place's position and ID are those of the place to flee to.
    for row in [*emergency, *shelters]:
        same_facility = by_key.get(row.facility_key or "", [])
        target = next((g for g in same_facility if g.matches(row, need_both=False)[0]), None)
        if target is None and same_facility:
            other = same_facility[0]
            distance = other.matches(row, need_both=False)[1]
            problems.append(
                Problem(
                    row.file,
                    row.line,
                    f"共通ID {row.id} は {other.anchor.id}（{other.anchor.name}）と施設番号が同じですが、"
                    f"名前も位置（{distance:.0f} m 離れています）も違うため、別の場所として扱います",
                    "warning",
                )
            )
        if target is None:
            target = next(
                (
                    g
                    for g in by_name.get((municipality_of(row), normalized_name(row.name)), [])
                    if g.matches(row, need_both=True)[0]
                    and not any(r.kind is row.kind and r.welfare == row.welfare for r in g.rows)
                ),
                None,
            )
        if target is None:
            new_group(row)
        else:
            target.rows.append(row)
    return [g.place() for g in groups], problems
