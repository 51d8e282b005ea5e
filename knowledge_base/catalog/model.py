"""What one FAQ entry is, once loaded from the YAML files staff curate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# Languages a translation may be given in (ISO 639-1), besides Japanese.
TRANSLATION_LANGUAGES = ("en", "pt", "es", "zh", "vi", "tl", "ko")

CITY_MAIN_PHONE = "0297-23-2111"
# The city site's top page: a link there tells a resident nothing; each entry should link the page that answers.
CITY_TOP_PAGE = "https://www.city.joso.lg.jp/"


def is_top_page(url: str | None) -> bool:
    """True for the city site's top page however it is written (http or https, with or without index.html)."""
    if not url:
        return False
    text = url.strip().lower().split("#", 1)[0].split("?", 1)[0]
    text = text.removeprefix("https://").removeprefix("http://")
    text = text.removesuffix("index.html").rstrip("/")
    return text == CITY_TOP_PAGE.removeprefix("https://").rstrip("/")


# Sites a Joso resident may be sent to for details: the city's own, the national and prefectural
# governments', and the waste union's. Another town's page can confirm a national rule, but is no page
# to send a Joso resident to.
LINKABLE_SITES = ("city.joso.lg.jp", ".go.jp", "pref.ibaraki.jp", "jyouso-koiki.or.jp")


def is_linkable(url: str) -> bool:
    """True when the page is on one of LINKABLE_SITES (a site or any of its subdomains)."""
    host = url.strip().split("://", 1)[-1].split("/", 1)[0].lower()
    return any(host == site.lstrip(".") or host.endswith("." + site.lstrip(".")) for site in LINKABLE_SITES)


def is_site_root(url: str | None) -> bool:
    """True for any site's top page (https://www.bousai.go.jp/ as much as the city's): no page that answers."""
    if not url:
        return False
    text = url.strip().split("#", 1)[0].split("?", 1)[0]
    path = text.split("://", 1)[-1].partition("/")[2]
    return path.removesuffix("index.html").strip("/") == ""


@dataclass(frozen=True)
class Source:
    """A public page staff (or the project) read to confirm facts of an entry."""

    url: str
    confirms: str  # which facts the page confirms (department, number, fee, deadline, ...)
    checked: dt.date  # the day the page was read

    def to_dict(self) -> dict[str, str]:
        return {"url": self.url, "confirms": self.confirms, "checked": self.checked.isoformat()}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Source:
        return cls(data["url"], data["confirms"], dt.date.fromisoformat(data["checked"]))


@dataclass(frozen=True)
class Translation:
    question: str
    answer: str
    # How residents ask in this language (romanised Japanese words such as "kokuho" included): matched
    # like the Japanese paraphrases, never shown.
    paraphrases: tuple[str, ...] = ()


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
    # The day the entry's facts were last checked (against its sources, or by the department).
    updated: dt.date
    review_by: dt.date | None
    # Why staff must check this entry (a fee, an extension, a date not yet confirmed); None when checked.
    needs_review: str | None = None
    translations: dict[str, Translation] = field(default_factory=dict)
    related: tuple[str, ...] = ()
    source_file: str = ""
    source_line: int = 0
    # What staff must check for the whole file (the `department:` block's needs_review), if anything.
    department_needs_review: str | None = None
    # Pages that confirm the entry's facts; department_sources those of the file's `department:` block
    # (they confirm the department's name, phone and hours, which entries inherit).
    sources: tuple[Source, ...] = ()
    department_sources: tuple[Source, ...] = ()
    # Line of each field in the source file ("question", "paraphrases.0", "translations.en.question", ...),
    # so that the validator can point staff at the exact line.
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def texts(self) -> list[tuple[str, str]]:
        """Every text a resident's question may be matched against, with its language."""
        found = [("ja", self.question)] + [("ja", p) for p in self.paraphrases]
        for lang, translation in self.translations.items():
            found += [(lang, translation.question)] + [(lang, p) for p in translation.paraphrases]
        return found

    def text_lines(self) -> list[tuple[str, str, int]]:
        """texts() with the source line of each text."""
        lines = [self.lines.get("question", self.source_line)]
        lines += [self.lines.get(f"paraphrases.{i}", self.source_line) for i in range(len(self.paraphrases))]
        for lang, translation in self.translations.items():
            lines.append(self.lines.get(f"translations.{lang}.question", self.source_line))
            lines += [
                self.lines.get(f"translations.{lang}.paraphrases.{i}", self.source_line)
                for i in range(len(translation.paraphrases))
            ]
        return [(lang, text, line) for (lang, text), line in zip(self.texts(), lines, strict=True)]

    def in_language(self, language: str) -> tuple[str, str, str]:
        """(language, question, answer) in the resident's language when translated, else in Japanese."""
        translation = self.translations.get(language)
        if translation is not None:
            return language, translation.question, translation.answer
        return "ja", self.question, self.answer

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready snapshot (the built index keeps the entries it was built from)."""
        return {
            "id": self.id,
            "question": self.question,
            "paraphrases": list(self.paraphrases),
            "answer": self.answer,
            "department": self.department,
            "phone": self.phone,
            "hours": self.hours,
            "url": self.url,
            "updated": self.updated.isoformat(),
            "review_by": self.review_by.isoformat() if self.review_by else None,
            "needs_review": self.needs_review,
            "translations": {
                lang: {"question": t.question, "answer": t.answer, "paraphrases": list(t.paraphrases)}
                for lang, t in self.translations.items()
            },
            "related": list(self.related),
            "source_file": self.source_file,
            "source_line": self.source_line,
            "department_needs_review": self.department_needs_review,
            "sources": [source.to_dict() for source in self.sources],
            "department_sources": [source.to_dict() for source in self.department_sources],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaqEntry:
        return cls(
            id=data["id"],
            question=data["question"],
            paraphrases=tuple(data["paraphrases"]),
            answer=data["answer"],
            department=data["department"],
            phone=data["phone"],
            hours=data["hours"],
            url=data["url"],
            updated=dt.date.fromisoformat(data["updated"]),
            review_by=dt.date.fromisoformat(data["review_by"]) if data["review_by"] else None,
            needs_review=data["needs_review"],
            translations={
                lang: Translation(t["question"], t["answer"], tuple(t.get("paraphrases", ())))
                for lang, t in data["translations"].items()
            },
            related=tuple(data["related"]),
            source_file=data["source_file"],
            source_line=data["source_line"],
            department_needs_review=data.get("department_needs_review"),
            # .get: indexes built before sources existed have none
            sources=tuple(Source.from_dict(s) for s in data.get("sources", ())),
            department_sources=tuple(Source.from_dict(s) for s in data.get("department_sources", ())),
        )
