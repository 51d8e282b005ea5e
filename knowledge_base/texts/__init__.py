"""Every fixed text a resident reads, in every language the bot answers in: one gettext catalogue.

The catalogue is a `.po` file per language under `locales/<lang>/LC_MESSAGES/resident.po` (Japanese, in
やさしい日本語, is the reference), read with Babel when first needed. Message ids are stable dotted keys
(`menu.find_shelter`), not Japanese sentences, so that rewording the Japanese does not orphan every
translation. `python -m knowledge_base.texts` updates the template and the other languages from ja.po and
prints the coverage table.
"""

from knowledge_base.texts.fallback import FALLBACK_CHAIN, first_available, other_language_notice
from knowledge_base.texts.messages import (
    LANGUAGES,
    catalogue,
    has_text,
    placeholders,
    text,
    texts_with_prefix,
)

__all__ = [
    "FALLBACK_CHAIN",
    "LANGUAGES",
    "catalogue",
    "first_available",
    "has_text",
    "other_language_notice",
    "placeholders",
    "text",
    "texts_with_prefix",
]
