"""The contract every retriever keeps, so the action server does not care which one runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from knowledge_base.catalog import FaqEntry


@dataclass(frozen=True)
class Candidate:
    entry: FaqEntry
    score: float  # higher is better; comparable only within one retriever and its settings
    matched_text: str
    matched_language: str
    dense: float = 0.0  # cosine of the query and the entry's closest text (sentence embeddings)
    lexical: float = 0.0  # character n-gram cosine of the query and the entry's closest text


class Retriever(Protocol):
    def search(self, query: str, k: int = 3) -> list[Candidate]:
        """The k best entries for the query, best first, one candidate per entry."""
        ...
