"""Character n-gram matching: needs no model, and copes with Japanese having no spaces."""

from __future__ import annotations

import math
import unicodedata
from collections import Counter

from knowledge_base.catalog import FaqEntry
from knowledge_base.retrieval.base import Candidate

_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def normalize(text: str) -> str:
    """Width, case and kana differences do not change what a resident asks."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_KATAKANA_TO_HIRAGANA)
    return "".join(ch for ch in text if ch.isalnum())


def char_ngrams(text: str, n: int = 2) -> Counter[str]:
    text = normalize(text)
    if len(text) < n:
        return Counter([text]) if text else Counter()
    return Counter(text[i : i + n] for i in range(len(text) - n + 1))


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(count * b[gram] for gram, count in a.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


class LexicalRetriever:
    def __init__(self, entries: list[FaqEntry]) -> None:
        self._texts = [(entry, lang, text, char_ngrams(text)) for entry in entries for lang, text in entry.texts()]

    def search(self, query: str, k: int = 3) -> list[Candidate]:
        grams = char_ngrams(query)
        best: dict[str, Candidate] = {}
        for entry, lang, text, text_grams in self._texts:
            score = _cosine(grams, text_grams)
            if entry.id not in best or score > best[entry.id].score:
                best[entry.id] = Candidate(entry, score, text, lang)
        return sorted(best.values(), key=lambda c: c.score, reverse=True)[:k]
