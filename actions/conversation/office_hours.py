"""Whether the city office is open at a given moment, from the one configuration file staff keep.

office_hours.yml holds the opening times, the closed weekdays, the year-end closure and per-department
exceptions; national holidays (振替休日 included) come from jpholiday. Nothing about the hours is written
anywhere else. The file carries `needs_review` until staff have confirmed it (logged when first read).
OFFICE_HOURS_FILE points to another file (a deployment's own copy).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import jpholiday
import yaml

from settings import ConversationSettings

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).with_name("office_hours.yml")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class OfficeHoursError(ValueError):
    """office_hours.yml is missing a value or has one that cannot be read."""


@dataclass(frozen=True)
class Hours:
    opens: dt.time
    closes: dt.time

    def label(self) -> tuple[str, str]:
        return _clock(self.opens), _clock(self.closes)


@dataclass(frozen=True)
class OfficeHours:
    hours: Hours
    timezone: ZoneInfo
    closed_weekdays: frozenset[int]
    national_holidays_closed: bool
    year_end_from: tuple[int, int]
    year_end_to: tuple[int, int]
    needs_review: str | None = None
    departments: dict[str, Hours] = field(default_factory=dict)

    def hours_of(self, department: str | None) -> Hours:
        return self.departments.get(department or "", self.hours)

    def closed_reason(self, day: dt.date) -> str | None:
        """Why the office is closed all day (weekday, holiday, year_end), or None on a working day."""
        if day.weekday() in self.closed_weekdays:
            return "weekday"
        if self._in_year_end_closure(day):
            return "year_end"
        if self.national_holidays_closed and jpholiday.is_holiday(day):
            return "holiday"
        return None

    def is_open(self, now: dt.datetime, department: str | None = None) -> bool:
        local = self._local(now)
        hours = self.hours_of(department)
        return self.closed_reason(local.date()) is None and hours.opens <= local.time() < hours.closes

    def next_opening(self, now: dt.datetime, department: str | None = None) -> dt.datetime:
        """The next moment the office opens after `now` (local time); `now` itself when it is open."""
        local = self._local(now)
        if self.is_open(local, department):
            return local
        hours = self.hours_of(department)
        day = local.date()
        if local.time() >= hours.opens:
            day += dt.timedelta(days=1)
        # The longest closure (year end plus a weekend and holidays) is well under a month.
        for _ in range(40):
            if self.closed_reason(day) is None:
                return dt.datetime.combine(day, hours.opens, tzinfo=self.timezone)
            day += dt.timedelta(days=1)
        raise OfficeHoursError("no working day within 40 days: check closed_weekdays in office_hours.yml")

    def _local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            raise ValueError("a timezone-aware datetime is needed")
        return moment.astimezone(self.timezone)

    def _in_year_end_closure(self, day: dt.date) -> bool:
        key = (day.month, day.day)
        if self.year_end_from <= self.year_end_to:
            return self.year_end_from <= key <= self.year_end_to
        return key >= self.year_end_from or key <= self.year_end_to


def _clock(value: dt.time) -> str:
    return f"{value.hour}:{value.minute:02d}"


def _parse_time(raw: object, where: str) -> dt.time:
    try:
        return dt.time.fromisoformat(str(raw))
    except ValueError as exc:
        raise OfficeHoursError(f'{where}: expected a time like "08:30", got {raw!r}') from exc


def _parse_month_day(raw: object, where: str) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in str(raw).split("-"))
        dt.date(2024, month, day)  # a leap year, so 02-29 is accepted
    except ValueError as exc:
        raise OfficeHoursError(f'{where}: expected a date like "12-29", got {raw!r}') from exc
    return month, day


def parse_office_hours(data: dict) -> OfficeHours:
    if not isinstance(data, dict):
        raise OfficeHoursError("office_hours.yml must be a mapping")
    try:
        closed = frozenset(_WEEKDAYS.index(str(d).lower()[:3]) for d in data.get("closed_weekdays") or [])
    except ValueError as exc:
        raise OfficeHoursError(f"closed_weekdays: use {', '.join(_WEEKDAYS)}") from exc
    year_end = data.get("year_end_closure") or {}
    departments = {
        str(name): Hours(_parse_time(h.get("opens"), f"{name}.opens"), _parse_time(h.get("closes"), f"{name}.closes"))
        for name, h in (data.get("departments") or {}).items()
    }
    return OfficeHours(
        hours=Hours(_parse_time(data.get("opens"), "opens"), _parse_time(data.get("closes"), "closes")),
        timezone=ZoneInfo(str(data.get("timezone") or "Asia/Tokyo")),
        closed_weekdays=closed,
        national_holidays_closed=bool(data.get("national_holidays_closed", True)),
        year_end_from=_parse_month_day(year_end.get("from", "12-29"), "year_end_closure.from"),
        year_end_to=_parse_month_day(year_end.get("to", "01-03"), "year_end_closure.to"),
        needs_review=str(data["needs_review"]) if data.get("needs_review") else None,
        departments=departments,
    )


@functools.cache
def load_office_hours(path: Path | None = None) -> OfficeHours:
    """The office hours from OFFICE_HOURS_FILE, or the file next to this module."""
    path = path or ConversationSettings().office_hours_file
    hours = parse_office_hours(yaml.safe_load(path.read_text(encoding="utf-8")))
    if hours.needs_review:
        logger.warning("office hours in %s are not confirmed by staff yet: %s", path, hours.needs_review)
    return hours
