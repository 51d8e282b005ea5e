"""The eight hazards of the official data, with the column each flag lives in and what residents read."""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from knowledge_base.texts import LANGUAGES, text


class Hazard(StrEnum):
    """Hazard codes, in the column order of the GSI emergency-site file."""

    FLOOD = "flood"
    LANDSLIDE = "landslide"
    STORM_SURGE = "storm_surge"
    EARTHQUAKE = "earthquake"
    TSUNAMI = "tsunami"
    FIRE = "fire"
    INLAND_FLOOD = "inland_flood"
    VOLCANO = "volcano"

    @property
    def column(self) -> str:
        """The column header in the official file (note the ideographic comma in the landslide one)."""
        return _COLUMNS[self]

    def label(self, language: str = "ja") -> str:
        """Short name for buttons and headings (resident catalogue `hazard.<code>`; ja: plain words)."""
        return text(f"hazard.{self.value}", language)


_COLUMNS = {
    Hazard.FLOOD: "洪水",
    Hazard.LANDSLIDE: "崖崩れ、土石流及び地滑り",
    Hazard.STORM_SURGE: "高潮",
    Hazard.EARTHQUAKE: "地震",
    Hazard.TSUNAMI: "津波",
    Hazard.FIRE: "大規模な火事",
    Hazard.INLAND_FLOOD: "内水氾濫",
    Hazard.VOLCANO: "火山現象",
}

# Words a resident or a staff member may use for a hazard, besides the code and the column name.
_ALIASES: dict[str, Hazard] = {
    "大雨": Hazard.FLOOD,
    "水害": Hazard.FLOOD,
    "氾濫": Hazard.FLOOD,
    "浸水": Hazard.FLOOD,
    "台風": Hazard.FLOOD,
    "土砂": Hazard.LANDSLIDE,
    "土砂災害": Hazard.LANDSLIDE,
    "がけ崩れ": Hazard.LANDSLIDE,
    "崖崩れ": Hazard.LANDSLIDE,
    "土石流": Hazard.LANDSLIDE,
    "地滑り": Hazard.LANDSLIDE,
    "地すべり": Hazard.LANDSLIDE,
    "火事": Hazard.FIRE,
    "火災": Hazard.FIRE,
    "内水": Hazard.INLAND_FLOOD,
    "火山": Hazard.VOLCANO,
    "噴火": Hazard.VOLCANO,
}


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return "".join(ch for ch in text if ch not in "、,・ _-")


_LOOKUP: dict[str, Hazard] = {}
for _hazard in Hazard:
    _LOOKUP[_key(_hazard.value)] = _hazard
    _LOOKUP[_key(_hazard.column)] = _hazard
    for _language in LANGUAGES:
        _LOOKUP.setdefault(_key(_hazard.label(_language)), _hazard)
for _alias, _hazard in _ALIASES.items():
    _LOOKUP[_key(_alias)] = _hazard


def parse_hazard(value: object) -> Hazard | None:
    """The hazard named by a code ("flood"), an official column name (洪水) or a common word (大雨)."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _LOOKUP.get(_key(value))


# Words in a typed message that name a hazard; longer words first so 内水氾濫 wins over 氾濫.
_MENTIONS: list[tuple[str, Hazard]] = sorted(
    [(h.column, h) for h in Hazard]
    + list(_ALIASES.items())
    + [("flood", Hazard.FLOOD), ("earthquake", Hazard.EARTHQUAKE), ("fire", Hazard.FIRE)]
    + [("landslide", Hazard.LANDSLIDE), ("tsunami", Hazard.TSUNAMI)]
    + [("enchente", Hazard.FLOOD), ("inundação", Hazard.FLOOD), ("terremoto", Hazard.EARTHQUAKE)]
    + [("incêndio", Hazard.FIRE), ("deslizamento", Hazard.LANDSLIDE)],
    key=lambda pair: -len(pair[0]),
)


def hazard_mentioned(text: str) -> Hazard | None:
    """The hazard a typed message talks about, if it names exactly one kind."""
    lowered = unicodedata.normalize("NFKC", text).lower()
    found: set[Hazard] = set()
    for word, hazard in _MENTIONS:
        if word in lowered:
            found.add(hazard)
            lowered = lowered.replace(word, " ")
    return found.pop() if len(found) == 1 else None
