"""Nearest-site latency: Joso's 24 sites, and 100,000 synthetic sites across Japan (national scale ~110,000).

    .venv/app/bin/python -m benchmarks.shelters [--queries 2000] [--sites 100000]

Prints, for each registry: the time to build it, and the latency of one nearest-3 query (the k-d tree alone,
and the whole suggestion step the action runs: candidates + ranking), with a NumPy brute force for
comparison. Also the time to load a national-size official CSV pair from disk (parse, validate, join, index).
Not a test: figures only.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from knowledge_base.shelters.finder import candidates, rank
from knowledge_base.shelters.geo import EARTH_RADIUS_M
from knowledge_base.shelters.gsi_csv import OFFICIAL_HEADERS, FileKind
from knowledge_base.shelters.hazards import Hazard
from knowledge_base.shelters.places import Place
from knowledge_base.shelters.registry import DEMO_EMERGENCY_SITES, DEMO_SHELTERS, Registry, load_registry

SHARED_JOSO = Path(__file__).resolve().parents[2] / "shared" / "data" / "joso"
# Rough land boxes of Japan (lat_min, lat_max, lon_min, lon_max), weighted by area.
JAPAN_BOXES = [
    (31.0, 34.5, 129.5, 134.0),
    (34.0, 41.0, 132.0, 141.5),
    (41.5, 45.3, 140.0, 145.5),
    (24.0, 27.0, 123.0, 128.5),
]


def percentiles(samples_s: list[float]) -> str:
    us = sorted(s * 1e6 for s in samples_s)
    p = lambda q: us[min(len(us) - 1, int(q * len(us)))]  # noqa: E731
    return (
        f"p50 {p(0.50):8.1f} µs   p95 {p(0.95):8.1f} µs   p99 {p(0.99):8.1f} µs   mean {statistics.fmean(us):8.1f} µs"
    )


def timed(function: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def synthetic_places(count: int, seed: int = 1) -> list[Place]:
    rng = random.Random(seed)
    places = []
    for i in range(count):
        lat_min, lat_max, lon_min, lon_max = rng.choice(JAPAN_BOXES)
        hazards = frozenset(h for h in Hazard if rng.random() < 0.35) or frozenset({Hazard.EARTHQUAKE})
        site_id = f"E{rng.randint(1000, 47999):05d}{i % 100000:05d}201"
        places.append(
            Place(
                site_id,
                f"site {i}",
                "",
                rng.uniform(lat_min, lat_max),
                rng.uniform(lon_min, lon_max),
                hazards,
                rng.random() < 0.8,
                rng.random() < 0.05,
                site_id[1:6],
                f"municipality {site_id[1:6]}",
                (site_id,),
                (),
            )
        )
    return places


def brute_force(places: list[Place], hazard: Hazard) -> Callable[[float, float], np.ndarray]:
    chosen = [p for p in places if hazard in p.hazards]
    lat = np.radians([p.latitude for p in chosen])
    lon = np.radians([p.longitude for p in chosen])

    def nearest3(latitude: float, longitude: float) -> np.ndarray:
        p, q = np.radians(latitude), np.radians(longitude)
        a = np.sin((lat - p) / 2) ** 2 + np.cos(p) * np.cos(lat) * np.sin((lon - q) / 2) ** 2
        d = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))
        best = np.argpartition(d, 3)[:3]
        return best[np.argsort(d[best])]

    return nearest3


def bench_registry(name: str, build: Callable[[], Registry], points: list[tuple[float, float]]) -> None:
    start = time.perf_counter()
    registry = build()
    built = time.perf_counter() - start
    print(f"\n== {name}: {len(registry.places):,} places, built in {built * 1000:.1f} ms")
    hazard = Hazard.FLOOD if registry.count(Hazard.FLOOD) else registry.hazards_available()[0]
    print(f"   hazard {hazard.value}: {registry.count(hazard):,} designated places")
    it = iter(points * 2)
    kd = timed(lambda: registry.nearest(*next(it), hazard, k=3), len(points))
    print(f"   k-d tree nearest 3          {percentiles(kd)}")
    it = iter(points * 2)
    step = timed(lambda: rank(candidates(registry, *next(it), hazard), {}, disaster_mode=True, demo=False), len(points))
    print(f"   whole suggestion step       {percentiles(step)}")
    nearest3 = brute_force(registry.places, hazard)
    it = iter(points * 2)
    brute = timed(lambda: nearest3(*next(it)), min(len(points), 500))
    print(f"   NumPy brute force (compare) {percentiles(brute)}")


def write_national_csv(places: list[Place], directory: Path) -> tuple[Path, Path]:
    """An official-format file pair of these places (national layout), for the load-time figure."""
    emergency, shelters = directory / "mergeFromCity_2.csv", directory / "mergeFromCity_1.csv"
    with open(emergency, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["NO", "共通ID", "都道府県名及び市町村名", *OFFICIAL_HEADERS[FileKind.EMERGENCY_SITES][1:]])
        for n, p in enumerate(places, start=1):
            flags = ["1" if h in p.hazards else "" for h in Hazard]
            row = [p.id, p.name, f"{p.municipality}1-1", *flags, "1", f"{p.latitude:.6f}", f"{p.longitude:.6f}", ""]
            writer.writerow([n, row[0], p.municipality, *row[1:]])
    with open(shelters, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["NO", "共通ID", "都道府県名及び市町村名", *OFFICIAL_HEADERS[FileKind.SHELTERS][1:]])
        for n, p in enumerate(places, start=1):
            if p.is_shelter:
                shelter_id = p.id[:11] + "111"
                row = [
                    shelter_id,
                    p.name,
                    f"{p.municipality}1-1",
                    "1",
                    "",
                    "",
                    f"{p.latitude + 0.0003:.6f}",
                    f"{p.longitude:.6f}",
                    "",
                ]
                writer.writerow([n, row[0], p.municipality, *row[1:]])
    return emergency, shelters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--sites", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(5)

    joso_points = [(rng.uniform(35.99, 36.15), rng.uniform(139.91, 140.02)) for _ in range(args.queries)]
    if (SHARED_JOSO / "gsi_emergency_sites.csv").is_file():
        files = (SHARED_JOSO / "gsi_emergency_sites.csv", SHARED_JOSO / "gsi_designated_shelters.csv")
        bench_registry("Joso (official data, 24 sites)", lambda: load_registry(*files), joso_points)
    else:
        bench_registry(
            "demo data (Joso data absent)", lambda: load_registry(DEMO_EMERGENCY_SITES, DEMO_SHELTERS), joso_points
        )

    places = synthetic_places(args.sites)
    japan_points = []
    for _ in range(args.queries):
        lat_min, lat_max, lon_min, lon_max = rng.choice(JAPAN_BOXES)
        japan_points.append((rng.uniform(lat_min, lat_max), rng.uniform(lon_min, lon_max)))
    bench_registry(f"synthetic, {args.sites:,} sites across Japan", lambda: Registry(places), japan_points)

    with tempfile.TemporaryDirectory() as tmp:
        emergency, shelters = write_national_csv(places, Path(tmp))
        size = (emergency.stat().st_size + shelters.stat().st_size) / 1e6
        start = time.perf_counter()
        registry = load_registry(emergency, shelters)
        loaded = time.perf_counter() - start
    print(
        f"\n== loading a national-size official CSV pair ({size:.0f} MB): {loaded:.1f} s "
        f"(parse, validate, join, index; {len(registry.places):,} places, {len(registry.errors)} errors)"
    )


if __name__ == "__main__":
    main()
