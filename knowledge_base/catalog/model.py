"""What one FAQ entry is, once loaded from the YAML files staff curate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Languages a translation may be given in (ISO 639-1), besides Japanese.
TRANSLATION_LANGUAGES = ("en", "pt", "es", "zh", "vi", "tl", "ko")

CITY_MAIN_PHONE = "0297-23-2111"


@dataclass(frozen=True)
class Translation:
    question: str
    answer: str


@dataclass(frozen=True)
class FaqEntry:
    id: str
    question: str
    paraphrases: tuple[str, ...]
    answer: str
    department: str
    phone: str
    hours: str
    url: str | None
    updated: dt.date
    review_by: dt.date | None
    # Why staff must check this entry (a fee, an extension, a date not yet confirmed); None when checked.
    needs_review: str | None = None
    translations: dict[str, Translation] = field(default_factory=dict)
    related: tuple[str, ...] = ()
    source_file: str = ""
    source_line: int = 0

    def texts(self) -> list[tuple[str, str]]:
        """Every text a resident's question may be matched against, with its language."""
        found = [("ja", self.question)] + [("ja", p) for p in self.paraphrases]
        found += [(lang, t.question) for lang, t in self.translations.items()]
        return found
