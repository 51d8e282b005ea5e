"""Is the city office open now? Japan time, weekends, national holidays and the year-end closure."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from actions.conversation.office_hours import (
    DEFAULT_PATH,
    OfficeHoursError,
    load_office_hours,
    parse_office_hours,
)

JST = ZoneInfo("Asia/Tokyo")
CONFIG = {
    "opens": "08:30",
    "closes": "17:15",
    "closed_weekdays": ["sat", "sun"],
    "national_holidays_closed": True,
    "year_end_closure": {"from": "12-29", "to": "01-03"},
    "departments": {"夜間窓口課": {"opens": "08:30", "closes": "19:00"}},
}
HOURS = parse_office_hours(CONFIG)


def jst(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=JST)


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (jst(2026, 11, 25, 8, 29), False),  # Wednesday, one minute early
        (jst(2026, 11, 25, 8, 30), True),
        (jst(2026, 11, 25, 17, 14), True),
        (jst(2026, 11, 25, 17, 15), False),  # closes at 17:15 sharp
        (jst(2026, 11, 28, 10, 0), False),  # Saturday
        (jst(2026, 11, 29, 10, 0), False),  # Sunday
        (jst(2026, 11, 23, 10, 0), False),  # 勤労感謝の日 (Monday)
        (jst(2026, 5, 6, 10, 0), False),  # 振替休日
        (jst(2026, 12, 28, 10, 0), True),  # last working day of the year
        (jst(2026, 12, 29, 10, 0), False),  # year-end closure (a Tuesday)
        (jst(2027, 1, 1, 10, 0), False),
        (jst(2027, 1, 3, 10, 0), False),
        (jst(2027, 1, 4, 10, 0), True),  # first working day
    ],
)
def test_open_only_on_working_days_within_the_hours(moment: dt.datetime, open_: bool) -> None:
    assert HOURS.is_open(moment) is open_


def test_the_time_is_japan_time_whatever_the_server_clock_says() -> None:
    # 00:30 UTC on a Wednesday is 09:30 in Japan: open. 09:00 UTC is 18:00 in Japan: closed.
    assert HOURS.is_open(dt.datetime(2026, 11, 25, 0, 30, tzinfo=dt.UTC))
    assert not HOURS.is_open(dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC))
    with pytest.raises(ValueError):
        HOURS.is_open(dt.datetime(2026, 11, 25, 10, 0))


@pytest.mark.parametrize(
    ("moment", "next_open"),
    [
        (jst(2026, 11, 25, 10, 0), jst(2026, 11, 25, 10, 0)),  # open now
        (jst(2026, 11, 25, 7, 0), jst(2026, 11, 25, 8, 30)),  # later today
        (jst(2026, 11, 25, 18, 0), jst(2026, 11, 26, 8, 30)),  # tomorrow
        (jst(2026, 11, 27, 18, 0), jst(2026, 11, 30, 8, 30)),  # Friday evening -> Monday
        (jst(2026, 11, 20, 18, 0), jst(2026, 11, 24, 8, 30)),  # Friday -> weekend -> holiday Monday -> Tuesday
        (jst(2026, 12, 28, 17, 30), jst(2027, 1, 4, 8, 30)),  # over the year-end closure
    ],
)
def test_next_opening(moment: dt.datetime, next_open: dt.datetime) -> None:
    assert HOURS.next_opening(moment) == next_open


def test_a_department_may_have_its_own_hours() -> None:
    evening = jst(2026, 11, 25, 18, 0)
    assert not HOURS.is_open(evening)
    assert HOURS.is_open(evening, "夜間窓口課")
    assert not HOURS.is_open(jst(2026, 11, 28, 18, 0), "夜間窓口課")  # still closed on Saturdays
    assert HOURS.hours_of("夜間窓口課").label() == ("8:30", "19:00")
    assert HOURS.hours_of("市民課").label() == ("8:30", "17:15")


@pytest.mark.parametrize(
    "broken",
    [
        {"opens": "8時半", "closes": "17:15"},
        {"opens": "08:30"},
        {"opens": "08:30", "closes": "17:15", "closed_weekdays": ["saturday", "holiday"]},
        {"opens": "08:30", "closes": "17:15", "year_end_closure": {"from": "12/29"}},
    ],
)
def test_a_broken_configuration_is_reported_clearly(broken: dict) -> None:
    with pytest.raises(OfficeHoursError):
        parse_office_hours(broken)


def test_the_shipped_configuration_loads_and_stays_flagged_for_staff_until_confirmed() -> None:
    shipped = load_office_hours(DEFAULT_PATH)
    assert shipped.hours.label() == ("8:30", "17:15")
    assert shipped.needs_review  # remove this line of the test when staff have confirmed the hours
    assert not shipped.is_open(jst(2026, 12, 31, 10, 0))
