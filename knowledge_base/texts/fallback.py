"""What staff write (FAQ entries, the disaster message) may not exist in the resident's language yet.

Then the bot shows the first language of this chain that it exists in, and says so in the resident's language.
The chain is only for staff-written content: the fixed texts of the catalogue exist in every language.
"""

from __future__ import annotations

from collections.abc import Collection

from knowledge_base.texts.messages import LANGUAGES, text

# English before Japanese for most residents from abroad; Chinese readers read Japanese kanji better than English.
FALLBACK_CHAIN: dict[str, tuple[str, ...]] = {
    language: (language, "ja", "en") if language == "zh" else (language, "en", "ja") for language in LANGUAGES
}
FALLBACK_CHAIN["ja"] = ("ja",)
FALLBACK_CHAIN["en"] = ("en", "ja")

_NOTICE = {"ja": "fallback.in_japanese", "en": "fallback.in_english"}


def first_available(language: str, available: Collection[str]) -> str:
    """The language to show staff-written content in: the first of the resident's chain that exists."""
    for candidate in FALLBACK_CHAIN.get(language, ("ja",)):
        if candidate in available:
            return candidate
    return "ja"


def other_language_notice(resident: str, shown: str) -> str | None:
    """One line in the resident's language saying what follows is in `shown`; None when they are the same."""
    if shown == resident or shown not in _NOTICE:
        return None
    return text(_NOTICE[shown], resident)
