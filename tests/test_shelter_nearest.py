"""Nearest safe place: the index against brute-force great-circle distance, and where a point is."""

from __future__ import annotations

import random

import pytest

from knowledge_base.shelters.geo import EARTH_RADIUS_M, distance_m, inside_japan
from knowledge_base.shelters.hazards import Hazard
from knowledge_base.shelters.places import Place
from knowledge_base.shelters.registry import Registry, Whereabouts, load_registry
from tests.shelter_support import joso_files


def brute_force(
    places: list[Place], latitude: float, longitude: float, hazard: Hazard, k: int
) -> list[tuple[str, float]]:
    ranked = sorted(
        (distance_m(latitude, longitude, p.latitude, p.longitude), p.id) for p in places if hazard in p.hazards
    )
    return [(place_id, d) for d, place_id in ranked[:k]]


def assert_same(found: list[tuple[str, float]], expected: list[tuple[str, float]]) -> None:
    assert len(found) == len(expected)
    for (found_id, found_d), (expected_id, expected_d) in zip(found, expected, strict=True):
        assert found_d == pytest.approx(expected_d, abs=0.01)  # centimetres
        if found_id != expected_id:  # only an exact tie may swap two places
            assert found_d == pytest.approx(expected_d, abs=1e-6)


def city_grid(step: float = 0.004) -> list[tuple[float, float]]:
    """Points every ~400 m over Joso and a margin around it."""
    points = []
    latitude = 35.97
    while latitude <= 36.17:
        longitude = 139.89
        while longitude <= 140.05:
            points.append((round(latitude, 6), round(longitude, 6)))
            longitude += step
        latitude += step
    return points


def test_nearest_three_match_brute_force_over_a_grid_across_joso_for_every_hazard() -> None:
    registry = load_registry(*joso_files())
    grid = city_grid()
    assert len(grid) > 1500
    for hazard in Hazard:
        for latitude, longitude in grid:
            found = [(n.place.id, n.distance_m) for n in registry.nearest(latitude, longitude, hazard, k=3)]
            assert_same(found, brute_force(registry.places, latitude, longitude, hazard, 3))
            # Never a place without the hazard's flag (for flood: only the 9 designated schools).
            assert all(hazard in registry.get(place_id).hazards for place_id, _ in found)


def synthetic_japan(count: int, seed: int) -> list[Place]:
    """Places spread over Japan with random hazard flags (national scale is about 110,000)."""
    rng = random.Random(seed)
    boxes = [(31.0, 34.5, 129.5, 134.0), (34.0, 41.0, 132.0, 141.5), (41.5, 45.3, 140.0, 145.5)]
    places = []
    while len(places) < count:
        lat_min, lat_max, lon_min, lon_max = rng.choice(boxes)
        latitude, longitude = rng.uniform(lat_min, lat_max), rng.uniform(lon_min, lon_max)
        hazards = frozenset(h for h in Hazard if rng.random() < 0.4) or frozenset({Hazard.EARTHQUAKE})
        places.append(
            Place(
                id=f"S{len(places):06d}",
                name=f"site {len(places)}",
                address="",
                latitude=latitude,
                longitude=longitude,
                hazards=hazards,
                is_shelter=False,
                welfare=False,
                municipality_code=None,
                municipality="",
                row_ids=(f"S{len(places):06d}",),
                sources=(),
            )
        )
    return places


def test_nearest_matches_brute_force_at_national_scale() -> None:
    places = synthetic_japan(30_000, seed=7)
    registry = Registry(places)
    rng = random.Random(11)
    for _ in range(100):
        latitude, longitude = rng.uniform(31.0, 45.0), rng.uniform(129.5, 145.0)
        hazard = rng.choice(list(Hazard))
        found = [(n.place.id, n.distance_m) for n in registry.nearest(latitude, longitude, hazard, k=3)]
        assert_same(found, brute_force(places, latitude, longitude, hazard, 3))


def test_index_distances_are_great_circle_far_apart_too() -> None:
    # Tokyo to Sapporo (~830 km) and Naha (~1,550 km): chord and arc differ there; the index returns the arc.
    tokyo = (35.681236, 139.767125)
    far = [(43.068661, 141.350755), (26.212401, 127.680932)]
    places = synthetic_japan(0, seed=0)
    for i, (lat, lon) in enumerate(far):
        places.append(
            Place(f"F{i}", "far", "", lat, lon, frozenset({Hazard.EARTHQUAKE}), False, False, None, "", (f"F{i}",), ())
        )
    registry = Registry(places)
    found = registry.nearest(*tokyo, Hazard.EARTHQUAKE, k=2)
    assert [n.place.id for n in found] == ["F0", "F1"]
    for nearby in found:
        assert nearby.distance_m == pytest.approx(
            distance_m(*tokyo, nearby.place.latitude, nearby.place.longitude), abs=0.01
        )
    assert found[1].distance_m == pytest.approx(1_550_000, rel=0.02)
    assert EARTH_RADIUS_M == 6_371_008.8


def test_where_a_point_is_relative_to_the_data() -> None:
    registry = load_registry(*joso_files())
    assert registry.whereabouts(36.0230, 139.9930) == (Whereabouts.IN_AREA, "茨城県常総市")  # 水海道 station area
    assert registry.whereabouts(36.0820, 140.1100)[0] is Whereabouts.NEAR_AREA  # Tsukuba, ~12 km east
    assert registry.whereabouts(35.6812, 139.7671)[0] is Whereabouts.NO_DATA_NEARBY  # Tokyo station
    assert registry.whereabouts(43.0687, 141.3508)[0] is Whereabouts.NO_DATA_NEARBY  # Sapporo
    assert registry.whereabouts(48.8566, 2.3522) == (Whereabouts.OUTSIDE_JAPAN, "")  # Paris
    assert registry.whereabouts(-23.5505, -46.6333)[0] is Whereabouts.OUTSIDE_JAPAN  # São Paulo
    assert registry.whereabouts(37.5665, 126.9780)[0] is Whereabouts.OUTSIDE_JAPAN  # Seoul
    # Far places still get their nearest designated sites from the index (the action adds the note).
    assert len(registry.nearest(36.0820, 140.1100, Hazard.FLOOD)) == 3


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(24.2867, 153.9807), (20.4253, 136.0810), (24.4494, 122.9340), (45.5229, 141.9369), (26.2124, 127.6809)],
)
def test_remote_parts_of_japan_are_inside_japan(latitude: float, longitude: float) -> None:
    # Minamitorishima, Okinotorishima, Yonaguni, Cape Soya, Naha
    assert inside_japan(latitude, longitude)
