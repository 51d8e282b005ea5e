"""What residents read about evacuation, put together from the resident catalogue (knowledge_base.texts).

Every function takes the answer language (any of knowledge_base.texts.LANGUAGES) and returns finished text.
Nothing here states a Joso-specific fact that is not in the data: for what the data cannot say, residents are
sent to the city.
"""

from __future__ import annotations

import re

from knowledge_base.disaster.levels import LEVELS, evacuate_by_level_4, level
from knowledge_base.disaster.state import DisasterState
from knowledge_base.shelters.finder import ShelterSearch, Suggestion
from knowledge_base.shelters.geo import map_url
from knowledge_base.shelters.hazards import Hazard
from knowledge_base.shelters.registry import Whereabouts
from knowledge_base.shelters.status import Status
from knowledge_base.texts import text

HAZARD_MAP_PORTAL = "https://disaportal.gsi.go.jp/"

# Catalogue ids outside the `shelter.` group that the shelter actions use by their short names.
_IDS = {"alert_now": "alert.now", "button_find_shelter": "menu.find_shelter"}


def t(key: str, language: str, **values: object) -> str:
    """The shelter text `key` (catalogue id `shelter.<key>`) in the resident's language."""
    return text(_IDS.get(key, f"shelter.{key}"), language, **values)


_PREFECTURE = re.compile(r"^(?:北海道|東京都|大阪府|京都府|.{2,3}?県)")


def area_name(municipalities: list[str] | str, language: str = "ja") -> str:
    """茨城県常総市 → 常総市 (what residents call it)."""
    names = [municipalities] if isinstance(municipalities, str) else municipalities
    short = [s for n in names if (s := _PREFECTURE.sub("", n))]
    if not short:
        return t("area_default", language)
    areas = t("area_separator", language).join(short[:3])
    return t("area_more", language, areas=areas) if len(short) > 3 else areas


def distance_text(metres: float) -> str:
    if metres < 1000:
        return f"{max(10, round(metres, -1)):.0f}m"
    return f"{metres / 1000:.1f}km"


def status_text(status: Status, language: str) -> str:
    return status.label(language)


def _site_lines(number: int | None, suggestion: Suggestion, language: str, disaster_mode: bool) -> list[str]:
    place = suggestion.place
    bullet = f"{number}. " if number is not None else "・"
    # Outside disaster mode "not open" is the normal state and would only discourage: say nothing then.
    shown = disaster_mode or suggestion.status is not Status.CLOSED
    status = f"【{status_text(suggestion.status, language)}】" if shown else ""
    lines = [
        f"{bullet}{place.name}{status}",
        f"   {t('distance', language, distance=distance_text(suggestion.distance_m))} / {place.address}",
        f"   {t('map', language)}: {map_url(place.latitude, place.longitude)}",
    ]
    return lines


def shelter_notes(
    search: ShelterSearch,
    language: str,
    *,
    town: str | None,
    statuses_known: bool,
    disaster: DisasterState | None,
    need_care: bool,
) -> list[str]:
    """The remarks that go with a list, most important first (the demo banner is apart: it always leads)."""
    notes = []
    if disaster is not None:
        notes.append(t("alert_now", language, level=disaster.level, name=level(disaster.level).name[language]))
    if search.whereabouts is Whereabouts.NEAR_AREA:
        notes.append(t("outside_area", language, area=area_name(search.municipality, language)))
    if town:
        notes.append(t("from_town", language, town=town))
    if not statuses_known:
        notes.append(t("status_unknown", language))
    elif search.none_open and search.sites:
        notes.append(t("none_open", language))
    if not search.sites:
        notes.append(t("no_site", language, hazard=search.hazard.label(language)))
    if need_care and not search.welfare:
        notes.append(t("welfare_none", language))
    return notes


def shelter_list_text(
    search: ShelterSearch,
    language: str,
    notes: list[str],
) -> str:
    hazard = search.hazard.label(language)
    heading = t("heading_disaster" if search.disaster_mode else "heading", language, hazard=hazard)
    lines = [t("demo", language)] if search.demo else []
    lines.append(heading)
    for number, suggestion in enumerate(search.sites, start=1):
        lines.extend(_site_lines(number, suggestion, language, search.disaster_mode))
    lines.extend(notes)
    if search.welfare:
        lines.append(t("welfare_heading", language))
        for suggestion in search.welfare:
            lines.extend(_site_lines(None, suggestion, language, search.disaster_mode))
            if not suggestion.place.designated_for(search.hazard):
                lines.append("   " + t("welfare_not_for_hazard", language, hazard=hazard))
        lines.append(t("welfare_check", language))
    if search.sites:
        lines.append(t("straight_line", language))
    if search.hazard in (Hazard.FLOOD, Hazard.INLAND_FLOOD, Hazard.STORM_SURGE, Hazard.TSUNAMI):
        lines.append(t("stay_high", language))
    return "\n".join(lines)


# --- alert levels -------------------------------------------------------------------------------------------


def level_text(key: str, language: str, **values: object) -> str:
    """The alert-level text `key` (catalogue id `levels.<key>`) in the resident's language."""
    return text(f"levels.{key}", language, **values)


def alert_levels_text(language: str, *, need_care: bool, asked: int | None, disaster: DisasterState | None) -> str:
    lines = []
    if disaster is not None:
        lines.append(t("alert_now", language, level=disaster.level, name=level(disaster.level).name[language]))
    if asked is not None:
        info = level(asked)
        lines.append(
            level_text("asked", language, n=asked, name=info.text("name", language), advice=info.advice(language))
        )
    lines.append(level_text("intro", language))
    for number in sorted(LEVELS, reverse=True):
        info = LEVELS[number]
        lines.append(
            level_text(
                "line", language, n=number, name=info.text("name", language), action=info.text("action", language)
            )
        )
    lines.append(evacuate_by_level_4(language))
    lines.append(level_text("issuer", language))
    if need_care:
        lines.append(level_text("care", language))
    if disaster is not None and disaster.level >= 4:
        lines.append(level_text("emergency", language))
    return "\n".join(lines)
