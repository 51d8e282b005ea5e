"""The shelter registry: every designated place, searchable by position per hazard.

Loaded from the official files named by EMERGENCY_SITES_CSV and SHELTERS_CSV; when neither is set, from the
clearly fictional demo files shipped in demo/ (and every answer then says so). A configured file that cannot
be read never falls back to the demo data: the registry is then empty and the bot says it cannot answer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from knowledge_base.shelters.coverage import Area
from knowledge_base.shelters.geo import inside_japan
from knowledge_base.shelters.gsi_csv import FileKind, Problem, parse_file
from knowledge_base.shelters.hazards import Hazard
from knowledge_base.shelters.places import Place, join_rows, normalized_name
from knowledge_base.shelters.spatial import SphereIndex
from knowledge_base.shelters.towns import Gazetteer
from settings import ShelterSettings

logger = logging.getLogger(__name__)

DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_EMERGENCY_SITES = DEMO_DIR / "emergency_sites.csv"
DEMO_SHELTERS = DEMO_DIR / "shelters.csv"

# Beyond this distance from every designated place the data says nothing useful about where to go.
NO_DATA_RADIUS_M = 30_000.0


@dataclass(frozen=True)
class Nearby:
    place: Place
    distance_m: float


class Whereabouts(StrEnum):
    IN_AREA = "in_area"  # inside a municipality of the data (approximately)
    NEAR_AREA = "near_area"  # outside it, but designated places are within NO_DATA_RADIUS_M
    NO_DATA_NEARBY = "no_data_nearby"  # in Japan, far from every place in the data
    OUTSIDE_JAPAN = "outside_japan"


class Registry:
    def __init__(
        self,
        places: list[Place],
        problems: list[Problem] | None = None,
        *,
        demo: bool = False,
        sources: tuple[str, ...] = (),
        usable: bool = True,
    ) -> None:
        self.places = places
        self.problems = problems or []
        self.demo = demo
        self.sources = sources
        # False when a configured file could not be used at all: answers must say the data is unavailable.
        self.usable = usable and bool(places)
        self._by_hazard: dict[Hazard, list[Place]] = {h: [p for p in places if h in p.hazards] for h in Hazard}
        self._hazard_index = {
            h: SphereIndex([p.latitude for p in ps], [p.longitude for p in ps]) for h, ps in self._by_hazard.items()
        }
        self._welfare = [p for p in places if p.welfare]
        self._welfare_index = SphereIndex([p.latitude for p in self._welfare], [p.longitude for p in self._welfare])
        self._all_index = SphereIndex([p.latitude for p in places], [p.longitude for p in places])
        self._by_row_id = {row_id: p for p in places for row_id in p.row_ids}
        self._by_name: dict[str, list[Place]] = defaultdict(list)
        for place in places:
            self._by_name[normalized_name(place.name)].append(place)
        self._areas: dict[str, Area] = {}
        self._by_municipality: dict[str, list[Place]] = defaultdict(list)
        for place in places:
            self._by_municipality[place.municipality].append(place)
        self.towns = Gazetteer(places)

    # --- what is in it -------------------------------------------------------------------------------------

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def hazards_available(self) -> list[Hazard]:
        """Hazards at least one place is designated for, in the official column order."""
        return [h for h in Hazard if self._by_hazard[h]]

    def count(self, hazard: Hazard) -> int:
        return len(self._by_hazard[hazard])

    def municipalities(self) -> list[str]:
        return sorted({p.municipality for p in self.places if p.municipality})

    def get(self, place_id: str) -> Place | None:
        """The place any of whose rows has this 共通ID."""
        return self._by_row_id.get(place_id.strip())

    def find(self, reference: str) -> list[Place]:
        """Places a staff member means by a 共通ID (of any of its rows) or an exact facility name."""
        place = self.get(reference)
        if place is not None:
            return [place]
        return list(self._by_name.get(normalized_name(reference), []))

    # --- where to go ---------------------------------------------------------------------------------------

    def nearest(self, latitude: float, longitude: float, hazard: Hazard, k: int = 3) -> list[Nearby]:
        """The k nearest places designated for this hazard (never one without its flag), nearest first."""
        places = self._by_hazard[hazard]
        return [Nearby(places[i], d) for i, d in self._hazard_index[hazard].nearest(latitude, longitude, k)]

    def nearest_welfare(self, latitude: float, longitude: float, k: int = 2) -> list[Nearby]:
        return [Nearby(self._welfare[i], d) for i, d in self._welfare_index.nearest(latitude, longitude, k)]

    def nearest_any(self, latitude: float, longitude: float) -> Nearby | None:
        found = self._all_index.nearest(latitude, longitude, 1)
        return Nearby(self.places[found[0][0]], found[0][1]) if found else None

    def whereabouts(self, latitude: float, longitude: float) -> tuple[Whereabouts, str]:
        """Where a point is relative to the data, and the municipality of the nearest place."""
        if not inside_japan(latitude, longitude):
            return Whereabouts.OUTSIDE_JAPAN, ""
        nearest = self.nearest_any(latitude, longitude)
        if nearest is None or nearest.distance_m > NO_DATA_RADIUS_M:
            return Whereabouts.NO_DATA_NEARBY, nearest.place.municipality if nearest else ""
        municipality = nearest.place.municipality
        if self._area(municipality).contains(latitude, longitude):
            return Whereabouts.IN_AREA, municipality
        return Whereabouts.NEAR_AREA, municipality

    def _area(self, municipality: str) -> Area:
        area = self._areas.get(municipality)
        if area is None:
            points = [(p.latitude, p.longitude) for p in self._by_municipality[municipality]]
            area = self._areas[municipality] = Area(points)
        return area


def load_registry(emergency_sites: Path | str | None, shelters: Path | str | None, *, demo: bool = False) -> Registry:
    """A registry from the two official files (either may be None: then only the other one is read)."""
    rows = {FileKind.EMERGENCY_SITES: [], FileKind.SHELTERS: []}
    problems: list[Problem] = []
    usable = True
    sources = []
    for kind, path in ((FileKind.EMERGENCY_SITES, emergency_sites), (FileKind.SHELTERS, shelters)):
        if path is None:
            continue
        parsed = parse_file(path, kind)
        rows[kind] = parsed.rows
        problems.extend(parsed.problems)
        sources.append(str(path))
        usable = usable and parsed.usable
    places, join_problems = join_rows(rows[FileKind.EMERGENCY_SITES], rows[FileKind.SHELTERS])
    problems.extend(join_problems)
    if emergency_sites is None:
        problems.append(
            Problem(
                "EMERGENCY_SITES_CSV", 0, "指定緊急避難場所のファイルが設定されていません（避難先を案内できません）"
            )
        )
        usable = False
    return Registry(places, problems, demo=demo, sources=tuple(sources), usable=usable)


def registry_from_env() -> Registry:
    """The registry the bot uses: EMERGENCY_SITES_CSV / SHELTERS_CSV, or the demo data when neither is set."""
    configured = ShelterSettings()
    emergency, shelters = configured.emergency_sites_csv, configured.shelters_csv
    if emergency is None and shelters is None:
        return load_registry(DEMO_EMERGENCY_SITES, DEMO_SHELTERS, demo=True)
    return load_registry(emergency, shelters)


def source_files_from_env() -> tuple[Path, ...]:
    """The files registry_from_env() reads (to notice when staff replace them)."""
    configured = ShelterSettings()
    emergency, shelters = configured.emergency_sites_csv, configured.shelters_csv
    if emergency is None and shelters is None:
        return (DEMO_EMERGENCY_SITES, DEMO_SHELTERS)
    return tuple(Path(p) for p in (emergency, shelters) if p)


class RegistryCache:
    """One registry per process, reloaded when staff replace the files (checked by modification time)."""

    def __init__(
        self,
        loader: Callable[[], Registry] = registry_from_env,
        sources: Callable[[], tuple[Path, ...]] = source_files_from_env,
    ) -> None:
        self._loader = loader
        self._sources = sources
        self._lock = threading.Lock()
        self._registry: Registry | None = None
        self._stamp: tuple[tuple[str, float], ...] = ()

    def _current_stamp(self) -> tuple[tuple[str, float], ...]:
        stamps = []
        for path in self._sources():
            try:
                stamps.append((str(path), path.stat().st_mtime))
            except OSError:
                stamps.append((str(path), -1.0))
        return tuple(stamps)

    def get(self) -> Registry:
        """The registry (blocking: at national scale a load takes seconds; call it from a worker thread)."""
        with self._lock:
            stamp = self._current_stamp()
            if self._registry is None or stamp != self._stamp:
                started = time.monotonic()
                registry = self._loader()
                for problem in registry.problems:
                    logger.warning("shelter data: %s", problem)
                logger.info(
                    "shelter data: %d places from %s%s in %.2f s",
                    len(registry.places),
                    ", ".join(registry.sources) or "(nothing)",
                    " (DEMO DATA)" if registry.demo else "",
                    time.monotonic() - started,
                )
                self._registry, self._stamp = registry, stamp
            return self._registry
