"""The department route: which department a question without an answer is sent to (departments.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from knowledge_base.catalog import FaqEntry
from knowledge_base.retrieval.departments import DepartmentDirectory, RouteParams, routable
from knowledge_base.retrieval.settings import DEFAULT_CONFIG, SettingsError, load_settings


def entry(entry_id: str, department: str, phone: str = "0297-23-2111", hours: str = "平日 8:30〜17:15") -> FaqEntry:
    return FaqEntry(
        id=entry_id,
        question="q",
        paraphrases=(),
        answer="a",
        department=department,
        phone=phone,
        hours=hours,
        url=None,
        updated=dt.date(2026, 1, 1),
        review_by=None,
    )


DIRECTORY = DepartmentDirectory(
    [
        entry("juminhyo", "市民課"),
        entry("tennyu", "市民課"),
        entry("koseki", "市民課", hours="平日 8:30〜17:15（木曜は19:00まで）"),
        entry("juminzei", "税務課", phone="0297-23-0000"),
        entry("kosodate", "常総市役所（代表）"),
        entry("tsuuhou", "消防（119）・警察（110）", phone="119（火事・救急）／110（事件・事故）", hours="24時間"),
    ]
)
SHARP = RouteParams(temperature=0.05, min_share=0.6, min_score=0.3)


def test_the_main_line_and_the_emergency_numbers_are_no_route() -> None:
    assert routable("市民課", "0297-23-2111")
    assert not routable("常総市役所（代表）", "0297-23-2111")
    assert not routable("消防（119）・警察（110）", "119（火事・救急）／110（事件・事故）")
    assert set(DIRECTORY.departments) == {"市民課", "税務課"}
    assert DIRECTORY.of_entry("kosodate") is None and DIRECTORY.of_entry("tsuuhou") is None


def test_a_department_takes_the_phone_and_hours_most_of_its_entries_give() -> None:
    department = DIRECTORY.departments["市民課"]
    assert (department.phone, department.hours) == ("0297-23-2111", "平日 8:30〜17:15")


def test_the_candidates_vote_and_a_clear_majority_names_the_department() -> None:
    routed = DIRECTORY.route([("juminhyo", 0.42), ("tennyu", 0.40), ("juminzei", 0.30)], SHARP)
    assert routed is not None and routed.name == "市民課"
    # a question near a tax entry goes to 税務課, with its own number
    routed = DIRECTORY.route([("juminzei", 0.45), ("juminhyo", 0.30)], SHARP)
    assert routed is not None and (routed.name, routed.phone) == ("税務課", "0297-23-0000")


def test_a_split_vote_a_weak_best_or_main_line_candidates_give_the_main_number() -> None:
    assert DIRECTORY.route([("juminhyo", 0.41), ("juminzei", 0.41)], SHARP) is None  # split evenly
    assert DIRECTORY.route([("juminhyo", 0.25), ("tennyu", 0.24)], SHARP) is None  # below min_score
    assert DIRECTORY.route([("kosodate", 0.6), ("tsuuhou", 0.55)], SHARP) is None  # no route among them
    assert DIRECTORY.route([], SHARP) is None


def test_the_committed_calibration_has_a_department_route() -> None:
    route = load_settings(DEFAULT_CONFIG).department_route
    assert route.temperature > 0 and 0 < route.min_share <= 1 and route.depth >= 3
    assert "department_route:" in DEFAULT_CONFIG.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "broken", ["{temperature: 0}", "{min_share: 1.5}", "{depth: 0}", "{nonsense: 1}", "{temperature: warm}"]
)
def test_a_broken_route_setting_is_a_clear_error(tmp_path: Path, broken: str) -> None:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8").split("department_route:")[0]
    path = tmp_path / "calibration.yml"
    path.write_text(text + f"department_route: {broken}\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"calibration\.yml"):
        load_settings(path)
