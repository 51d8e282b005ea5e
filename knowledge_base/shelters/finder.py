"""Which places to suggest, in which order: the registry's nearest places, then staff's opening status.

Only places designated for the hazard are ever candidates (the registry's per-hazard index holds nothing
else). Outside disaster mode the nearest come first. In disaster mode, among the CANDIDATE_POOL nearest, open
places come first, then those not opened yet, and full ones last (and marked): a resident should not walk to a
closed or full shelter when an open one is nearby, nor be sent across the city because it is open.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from knowledge_base.shelters.hazards import Hazard
from knowledge_base.shelters.places import Place
from knowledge_base.shelters.registry import Nearby, Registry, Whereabouts
from knowledge_base.shelters.status import Status

SUGGESTIONS = 3
WELFARE_SUGGESTIONS = 2
CANDIDATE_POOL = 10

_DISASTER_ORDER = {Status.OPEN: 0, Status.CLOSED: 1, Status.FULL: 2}


@dataclass(frozen=True)
class Suggestion:
    place: Place
    distance_m: float
    status: Status


@dataclass(frozen=True)
class Candidates:
    """What the registry found, before the opening status is known."""

    hazard: Hazard
    whereabouts: Whereabouts
    municipality: str
    sites: list[Nearby] = field(default_factory=list)
    welfare: list[Nearby] = field(default_factory=list)

    def place_ids(self) -> list[str]:
        return [n.place.id for n in [*self.sites, *self.welfare]]


@dataclass(frozen=True)
class ShelterSearch:
    hazard: Hazard
    whereabouts: Whereabouts
    municipality: str
    sites: list[Suggestion]
    welfare: list[Suggestion]
    demo: bool
    disaster_mode: bool

    @property
    def none_open(self) -> bool:
        return self.disaster_mode and not any(s.status is Status.OPEN for s in self.sites)


def candidates(
    registry: Registry, latitude: float, longitude: float, hazard: Hazard, *, need_care: bool = False
) -> Candidates:
    whereabouts, municipality = registry.whereabouts(latitude, longitude)
    if whereabouts in (Whereabouts.OUTSIDE_JAPAN, Whereabouts.NO_DATA_NEARBY):
        return Candidates(hazard, whereabouts, municipality)
    sites = registry.nearest(latitude, longitude, hazard, k=CANDIDATE_POOL)
    welfare = registry.nearest_welfare(latitude, longitude, k=WELFARE_SUGGESTIONS) if need_care else []
    return Candidates(hazard, whereabouts, municipality, sites, welfare)


def rank(
    found: Candidates, statuses: Mapping[str, Status], *, disaster_mode: bool, demo: bool, k: int = SUGGESTIONS
) -> ShelterSearch:
    def suggestion(nearby: Nearby) -> Suggestion:
        return Suggestion(nearby.place, nearby.distance_m, statuses.get(nearby.place.id, Status.CLOSED))

    sites = [suggestion(n) for n in found.sites]
    if disaster_mode:
        sites.sort(key=lambda s: (_DISASTER_ORDER[s.status], s.distance_m))
    welfare = [suggestion(n) for n in found.welfare]
    return ShelterSearch(
        hazard=found.hazard,
        whereabouts=found.whereabouts,
        municipality=found.municipality,
        sites=sites[:k],
        welfare=welfare,
        demo=demo,
        disaster_mode=disaster_mode,
    )
