"""Dense and lexical scores of a question, fused per entry.

Each entry's score in each view is the best of its texts (question, paraphrases, translations). The
candidates are the best `candidate_depth` entries of each view; both scores are computed for all of them
(a lexical-only candidate gets its exact dense score from the stored vectors), then fused linearly with
the weight of the query's group (settings.py), except for entries with no text in the query's language,
which keep their dense score (FusionParams.fuse).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from knowledge_base.catalog import FaqEntry
from knowledge_base.language import detect_language
from knowledge_base.retrieval.base import Candidate
from knowledge_base.retrieval.decision import Decision, Outcome, decide
from knowledge_base.retrieval.departments import DepartmentDirectory
from knowledge_base.retrieval.encoder import encode
from knowledge_base.retrieval.index import FaqIndex, for_encoding
from knowledge_base.retrieval.settings import FusionParams, RetrievalSettings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


@dataclass(frozen=True)
class QueryScores:
    """Both views' scores of one query for its candidate entries (entry numbers of the index)."""

    entries: np.ndarray
    dense: np.ndarray
    lexical: np.ndarray
    best_rows: np.ndarray  # the text that matched best (dense view) per candidate
    comparable: np.ndarray  # whether the entry has a text in the query's language (FusionParams.fuse)

    def fused(self, params: FusionParams) -> np.ndarray:
        return params.fuse(self.dense, self.lexical, self.comparable)


class HybridRetriever:
    def __init__(self, index: FaqIndex, model: SentenceTransformer, settings: RetrievalSettings) -> None:
        self.index = index
        self.model = model
        self.settings = settings
        self._by_id = index.by_id
        self.departments = DepartmentDirectory(index.entries)
        self._languages = [frozenset(language for language, _ in entry.texts()) for entry in index.entries]

    def entry(self, entry_id: str) -> FaqEntry | None:
        return self._by_id.get(entry_id)

    def scores(self, query: str, language: str = "ja", depth: int | None = None) -> QueryScores:
        """`language`: the query's (detected) language; it decides how the lexical view reads the text."""
        depth = depth or self.settings.candidate_depth
        index = self.index
        text = for_encoding(query)
        vector = encode(self.model, [text])[0]

        # Dense: nearest texts, best per entry.
        dense_best: dict[int, tuple[float, int]] = {}
        scores, rows = index.dense.search(vector, max(64, depth * 4))
        for score, row in zip(scores.tolist(), rows.tolist(), strict=True):
            number = int(index.row_entry[row])
            if number not in dense_best or score > dense_best[number][0]:
                dense_best[number] = (score, row)

        # Lexical: every text scored through the inverted index, best per entry.
        lexical_by_entry = np.maximum.reduceat(index.lexical.scores(text, language), index.entry_starts)
        top_lexical = _top(lexical_by_entry, depth)
        top_lexical = top_lexical[lexical_by_entry[top_lexical] > 0]

        dense_order = sorted(dense_best, key=lambda n: dense_best[n][0], reverse=True)[:depth]
        candidates = list(dict.fromkeys(dense_order + top_lexical.tolist()))
        # Entries found by the lexical view only: their dense score from their stored vectors, in one batch.
        missing = [n for n in candidates if n not in dense_best]
        if missing:
            rows = [index.rows_of(n) for n in missing]
            row_scores = index.dense.scores_of(vector, np.concatenate(rows))
            offset = 0
            for number, entry_rows in zip(missing, rows, strict=True):
                part = row_scores[offset : offset + len(entry_rows)]
                best = int(np.argmax(part))
                dense_best[number] = (float(part[best]), int(entry_rows[best]))
                offset += len(entry_rows)
        numbers = np.array(candidates, dtype=np.int64)
        return QueryScores(
            entries=numbers,
            dense=np.array([dense_best[n][0] for n in candidates], dtype=np.float32),
            lexical=lexical_by_entry[numbers].astype(np.float32) if len(numbers) else np.zeros(0, np.float32),
            best_rows=np.array([dense_best[n][1] for n in candidates], dtype=np.int64),
            comparable=np.array([language in self._languages[n] for n in candidates], dtype=bool),
        )

    def rank(self, scores: QueryScores, params: FusionParams, k: int) -> list[Candidate]:
        fused = scores.fused(params)
        order = np.argsort(-fused, kind="stable")[:k]
        found = []
        for i in order.tolist():
            row = int(scores.best_rows[i])
            found.append(
                Candidate(
                    entry=self.index.entries[int(scores.entries[i])],
                    score=float(fused[i]),
                    matched_text=self.index.row_text[row],
                    matched_language=self.index.row_language[row],
                    dense=float(scores.dense[i]),
                    lexical=float(scores.lexical[i]),
                )
            )
        return found

    def search(self, query: str, k: int = 3, language: str | None = None) -> list[Candidate]:
        language = language or detect_language(query)
        return self.rank(self.scores(query, language), self.settings.params_for(query, language), k)

    def answer(self, query: str, language: str | None = None) -> Decision:
        """The outcome for a resident's question: an answer, up to three suggestions, or none."""
        language = language or detect_language(query)
        params = self.settings.params_for(query, language)
        route = self.settings.department_route
        ranked = self.rank(self.scores(query, language), params, k=max(3, route.depth))
        decision = decide(ranked, params.thresholds)
        if decision.outcome is not Outcome.ANSWER:
            department = self.departments.route([(c.entry.id, c.score) for c in ranked], route)
            decision = replace(decision, department=department)
        return decision


def _top(values: np.ndarray, k: int) -> np.ndarray:
    if len(values) <= k:
        return np.argsort(-values, kind="stable")
    part = np.argpartition(-values, k)[:k]
    return part[np.argsort(-values[part], kind="stable")]
