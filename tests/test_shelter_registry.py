"""The registry: joining the two files by place, the demo data, and what the environment selects."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge_base.shelters.hazards import Hazard
from knowledge_base.shelters.registry import DEMO_EMERGENCY_SITES, load_registry, registry_from_env
from tests.shelter_support import JOSO_FLOOD_SITES, joso_files
from tests.test_shelter_csv import EMERGENCY_HEADER, SHELTER_HEADER, write


def test_joso_places_join_both_files_by_facility_number() -> None:
    registry = load_registry(*joso_files())
    assert registry.problems == [] and registry.usable and not registry.demo
    # 24 emergency sites (23 also shelters; not 道の駅) and 6 places that are shelters only; 31 shelter rows
    # make 29 shelter places (two places have a welfare row besides the general one).
    assert len(registry.places) == 30
    assert sum(p.is_shelter for p in registry.places) == 29
    assert {p.name for p in registry.places if Hazard.FLOOD in p.hazards} == JOSO_FLOOD_SITES
    iinuma = registry.get("E0821100003111")  # the shelter row's ID finds the joined place
    assert iinuma is not None and iinuma.id == "E0821100003201"
    assert iinuma.is_shelter and iinuma.row_ids == ("E0821100003201", "E0821100003111")
    # Position of the place to flee to (the emergency-site row), not of the shelter row.
    assert (iinuma.latitude, iinuma.longitude) == (36.115353, 139.932346)
    welfare = {p.name: p for p in registry.places if p.welfare}
    assert set(welfare) == {"石下総合体育館", "あすなろの里"}
    # Shelter-only places are never places to flee to.
    assert all(not p.hazards for p in welfare.values())
    assert registry.hazards_available() == [
        Hazard.FLOOD,
        Hazard.LANDSLIDE,
        Hazard.EARTHQUAKE,
        Hazard.FIRE,
        Hazard.INLAND_FLOOD,
    ]


def test_join_falls_back_to_name_and_position_and_refuses_a_contradicting_id(tmp_path: Path) -> None:
    sites = write(
        tmp_path / "sites.csv",
        EMERGENCY_HEADER
        + "\nE0821100001201,東小学校,茨城県常総市東町1,1,,,1,,,,,1,36.0500,139.9500,"
        + "\nS-77,西公園,茨城県常総市西町2,,,,1,,,,,,36.0600,139.9600,"
        + "\nE0821100005201,南小学校,茨城県常総市南町5,1,,,1,,,,,1,36.0300,139.9700,\n",
    )
    shelters = write(
        tmp_path / "shelters.csv",
        SHELTER_HEADER
        # same facility number, a name written differently, 30 m away: joined by the ID
        + "\nE0821100001111,東小学校体育館,茨城県常総市東町1,1,,,36.0503,139.9500,"
        # no standard ID: joined by the same name within 300 m
        + "\nS-78,西公園,茨城県常総市西町2,,,,36.0610,139.9600,"
        # same facility number as 南小学校 but another name 5 km away: a separate place, with a warning
        + "\nE0821100005111,北公民館,茨城県常総市北町9,,,,36.0750,139.9700,\n",
    )
    registry = load_registry(sites, shelters)
    by_name = {p.name: p for p in registry.places}
    assert set(by_name) == {"東小学校", "西公園", "南小学校", "北公民館"}
    assert by_name["東小学校"].row_ids == ("E0821100001201", "E0821100001111")
    assert by_name["西公園"].row_ids == ("S-77", "S-78") and by_name["西公園"].is_shelter
    assert not by_name["南小学校"].is_shelter and not by_name["北公民館"].hazards
    warnings = [p for p in registry.problems if p.severity == "warning" and p.line == 4]
    assert any("別の場所として扱います" in p.reason and str(shelters) == p.file for p in warnings)


def test_demo_data_is_fictional_inside_joso_and_flagged() -> None:
    registry = load_registry(DEMO_EMERGENCY_SITES, DEMO_EMERGENCY_SITES.with_name("shelters.csv"), demo=True)
    assert registry.problems == [] and registry.demo and registry.usable
    assert all(p.name.startswith("デモ") for p in registry.places)
    assert all("架空" in p.address for p in registry.places)
    assert all(35.98 <= p.latitude <= 36.16 and 139.90 <= p.longitude <= 140.03 for p in registry.places)
    assert registry.count(Hazard.FLOOD) >= 3 and any(p.welfare for p in registry.places)
    assert any(p.welfare and Hazard.FLOOD in p.hazards for p in registry.places)
    assert any(p.welfare and not p.hazards for p in registry.places)


def test_environment_selects_official_files_demo_or_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("EMERGENCY_SITES_CSV", raising=False)
    monkeypatch.delenv("SHELTERS_CSV", raising=False)
    assert registry_from_env().demo

    # Configured but unreadable: never the demo data instead.
    monkeypatch.setenv("EMERGENCY_SITES_CSV", str(tmp_path / "gone.csv"))
    broken = registry_from_env()
    assert not broken.demo and not broken.usable and broken.places == []

    # Only the shelters file: nothing says where to flee, so the registry cannot answer.
    monkeypatch.delenv("EMERGENCY_SITES_CSV")
    monkeypatch.setenv("SHELTERS_CSV", str(DEMO_EMERGENCY_SITES.with_name("shelters.csv")))
    only_shelters = registry_from_env()
    assert not only_shelters.usable and any(p.file == "EMERGENCY_SITES_CSV" for p in only_shelters.problems)


def test_staff_find_places_by_either_id_or_exact_name() -> None:
    registry = load_registry(*joso_files())
    assert [p.id for p in registry.find("E0821100030121")] == ["E0821100030111"]
    assert [p.id for p in registry.find(" 水海道小学校 ")] == ["E0821100016201"]
    assert registry.find("存在しない学校") == []


def test_towns_come_from_official_addresses_only() -> None:
    registry = load_registry(*joso_files())
    names = {t.name for t in registry.towns.towns}
    assert {"水海道天満町", "豊岡町", "新石下", "鴻野山", "むすびまち"} <= names
    tenma = registry.towns.find("天満町の避難所を教えて")
    assert tenma is not None and tenma.name == "水海道天満町" and tenma.places == 3
    # Its position is the centre of the designated places with that town in their address.
    places = [p for p in registry.places if "水海道天満町" in p.address]
    assert tenma.latitude == pytest.approx(sum(p.latitude for p in places) / 3)
    assert registry.towns.find("豊岡の避難場所").name == "豊岡町"
    assert registry.towns.find("水海道亀岡町２５４３").name == "水海道亀岡町"
    # A town with no designated place is unknown rather than guessed.
    assert registry.towns.find("内守谷町の避難場所") is None
    assert registry.towns.find("避難場所を教えて") is None
