"""Reading the resident catalogue (`.po` files) and filling in a text."""

from __future__ import annotations

import logging
import string
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from knowledge_base.catalog.model import CITY_MAIN_PHONE
from knowledge_base.language import SUPPORTED

logger = logging.getLogger(__name__)

LANGUAGES = SUPPORTED
REFERENCE = "ja"
DOMAIN = "resident"
LOCALES = Path(__file__).with_name("locales")


def po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """{language: {id: text}} for every language; an untranslated id is absent (the coverage test fails on it)."""
    # The .po files are read directly: no compiled .mo to go stale, and all eight parse in ~0.1 s, once.
    texts: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        with po_path(language).open("rb") as file:
            parsed = read_po(file, locale=None, domain=DOMAIN)
        texts[language] = {str(m.id): str(m.string) for m in parsed if m.id and m.string and not m.fuzzy}
    return texts


def has_text(key: str) -> bool:
    return key in catalogue()[REFERENCE]


def _template(key: str, language: str) -> str:
    texts = catalogue()
    template = texts.get(language, {}).get(key)
    if template is None:
        # A gap the coverage test should have caught: say something rather than fail the resident's turn.
        logger.error("resident text %r missing in %r", key, language)
        template = texts[REFERENCE][key]
    return template


def text(key: str, language: str, **values: object) -> str:
    """The text `key` in `language`, `{name}` placeholders filled from `values` (`{city_phone}` always)."""
    return _template(key, language).format(city_phone=CITY_MAIN_PHONE, **values)


def texts_with_prefix(prefix: str, language: str) -> dict[str, str]:
    """Every text whose id starts with `prefix`, keyed by the rest of the id (e.g. the widget's own texts)."""
    ids = [key for key in catalogue()[REFERENCE] if key.startswith(prefix)]
    return {key[len(prefix) :]: _template(key, language) for key in ids}


def placeholders(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)
