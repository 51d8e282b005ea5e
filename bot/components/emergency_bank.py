"""Emergency example files: the detector's reference bank (emergency_bank.yml) and the evaluation sets.

One format for all of them (pure Python + PyYAML, usable in both environments):

    emergencies:
      - {text: 子どもが息してない, lang: ja, situation: not_breathing}
    near_misses:
      - {text: 火災保険に入りたい, lang: ja, topic: insurance, clear: true}   # clear: false = could be live

A near miss with `clear: false` is a question that might be asked in danger ("火事の時の避難場所"): a one-line
119/110 hint is acceptable for it, so the detector never uses it as a counter-example.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

BANK_PATH = Path(__file__).resolve().parent / "emergency_bank.yml"
LANGUAGES = ("ja", "en", "pt", "es", "zh", "vi", "tl", "ko")


@dataclass(frozen=True)
class Example:
    text: str
    lang: str
    emergency: bool
    label: str  # situation of an emergency, topic of a near miss
    clear: bool = True  # near misses only: clearly not a danger now


@dataclass(frozen=True)
class ExampleSet:
    emergencies: tuple[Example, ...]
    near_misses: tuple[Example, ...]

    @property
    def all(self) -> tuple[Example, ...]:
        return self.emergencies + self.near_misses


def load_examples(path: Path | str = BANK_PATH) -> ExampleSet:
    """Read and check one example file; a bad entry raises ValueError naming it."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    emergencies = tuple(_example(item, path, True) for item in data.get("emergencies") or [])
    near_misses = tuple(_example(item, path, False) for item in data.get("near_misses") or [])
    return ExampleSet(emergencies, near_misses)


def _example(item: object, path: Path | str, emergency: bool) -> Example:
    if not isinstance(item, dict) or not str(item.get("text") or "").strip():
        raise ValueError(f"{path}: an entry without text: {item!r}")
    lang = str(item.get("lang") or "")
    if lang not in LANGUAGES:
        raise ValueError(f"{path}: {item['text']!r}: lang must be one of {', '.join(LANGUAGES)}")
    label = str(item.get("situation" if emergency else "topic") or "")
    return Example(str(item["text"]).strip(), lang, emergency, label, bool(item.get("clear", True)))
