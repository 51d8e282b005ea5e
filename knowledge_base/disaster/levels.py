"""The five evacuation alert levels (警戒レベル), in the official wording in force since 20 May 2021.

Levels 3-5 are issued by the city (市町村), levels 1-2 by the Japan Meteorological Agency (気象庁).
避難勧告 was abolished: evacuate by level 4 at the latest; never wait for level 5. The words are in the
resident catalogue (`level.<n>.name`, `.action`, `.advice`); the other languages keep the Japanese term (and
its reading where the script differs), so that foreign residents recognise the words of a broadcast.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from knowledge_base.texts import LANGUAGES, text


class _InEveryLanguage(Mapping[str, str]):
    """One catalogue text as {language: text}, for callers that index a level's words by language."""

    def __init__(self, key: str) -> None:
        self._key = key

    def __getitem__(self, language: str) -> str:
        if language not in LANGUAGES:
            raise KeyError(language)
        return text(self._key, language)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


@dataclass(frozen=True)
class Level:
    number: int

    @property
    def name(self) -> Mapping[str, str]:
        """e.g. 避難指示"""
        return _InEveryLanguage(f"level.{self.number}.name")

    def advice(self, language: str) -> str:
        """What residents do, as a plain request (official 居住者等がとるべき行動)."""
        return text(f"level.{self.number}.advice", language)

    def text(self, field: str, language: str) -> str:
        """`name` or `action` (the official short form) in `language`."""
        return text(f"level.{self.number}.{field}", language)


LEVELS: dict[int, Level] = {number: Level(number) for number in (5, 4, 3, 2, 1)}


def level(number: int) -> Level:
    return LEVELS[number]


def evacuate_by_level_4(language: str) -> str:
    """The official rule of thumb."""
    return text("levels.by_level_4", language)
