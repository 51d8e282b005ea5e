"""Lexical scores that suit Japanese: TF-IDF over character n-grams of two views of each text.

Japanese has no spaces, so words are not the unit: character n-grams are. Each text is seen twice
(japanese.analyze): its spelling with variants unified, and its reading in kana, so that a resident who
writes じゅうみんひょう, 住民表 or ｼﾞｭｳﾐﾝﾋｮｳ still meets 住民票. The score of a text is the cosine of
the two TF-IDF vectors, the views weighted by `reading_weight`.

Queries go through an inverted index (a sparse gram x text matrix): the cost of a query is the length of
the posting lists of its n-grams, not the number of texts.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from knowledge_base.retrieval.japanese import KANJI, analyze, chunks


@dataclass(frozen=True)
class LexicalSettings:
    spelling_ngrams: tuple[int, int] = (2, 3)
    reading_ngrams: tuple[int, int] = (2, 3)
    # Share of the reading view in a text's score (the spelling view has the rest).
    reading_weight: float = 0.4


def _grams(text: str, low: int, high: int, prefix: str, out: Counter[str]) -> None:
    for chunk in chunks(text):
        if len(chunk) < low:
            out[prefix + chunk] += 1
            continue
        # Latin words get boundary marks, so "tax" in "taxi" is not a whole-word match.
        if chunk.isascii():
            chunk = f" {chunk} "
        for n in range(low, high + 1):
            for i in range(len(chunk) - n + 1):
                out[prefix + chunk[i : i + n]] += 1


def text_features(text: str, settings: LexicalSettings, language: str = "ja") -> tuple[Counter[str], Counter[str]]:
    """(spelling n-grams, reading n-grams) with their counts."""
    analysis = analyze(text, language)
    spelling: Counter[str] = Counter()
    reading: Counter[str] = Counter()
    _grams(analysis.spelling, *settings.spelling_ngrams, "s", spelling)
    if analysis.reading:
        _grams(analysis.reading, *settings.reading_ngrams, "r", reading)
    return spelling, reading


def _unit(view: Counter[str], ids: list[int], idf: np.ndarray) -> np.ndarray:
    weights = np.array([1.0 + math.log(c) for c in view.values()], dtype=np.float64) * idf[ids]
    return weights / np.linalg.norm(weights)


class LexicalIndex:
    """Two inverted indexes (spelling, reading) of unit-length TF-IDF vectors, one column per text."""

    def __init__(
        self, settings: LexicalSettings, vocabulary: dict[str, int], idf: np.ndarray, postings: sp.csr_matrix
    ) -> None:
        self.settings = settings
        self._vocabulary = vocabulary
        self._idf = idf
        # (grams x texts); spelling grams ("s...") and reading grams ("r...") share the matrix, each view of
        # a text has unit length on its own, so one product gives both cosines when the query's views are
        # kept apart (scores()).
        self._postings = postings
        self._unseen_idf = float(math.log(1 + postings.shape[1]) + 1.0)

    @property
    def size(self) -> int:
        return int(self._postings.shape[1])

    @classmethod
    def build(cls, texts: list[str], settings: LexicalSettings, languages: list[str] | None = None) -> LexicalIndex:
        """`languages`: the language of each text (default Japanese)."""
        languages = languages or ["ja"] * len(texts)
        features = [text_features(text, settings, lang) for text, lang in zip(texts, languages, strict=True)]
        document_frequency: Counter[str] = Counter()
        for spelling, reading in features:
            document_frequency.update(spelling.keys())
            document_frequency.update(reading.keys())
        vocabulary = {gram: i for i, gram in enumerate(sorted(document_frequency))}
        n = len(texts)
        idf = np.zeros(len(vocabulary), dtype=np.float64)
        for gram, df in document_frequency.items():
            idf[vocabulary[gram]] = math.log((1 + n) / (1 + df)) + 1.0
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for column, (spelling, reading) in enumerate(features):
            for view in (spelling, reading):
                if view:
                    ids = [vocabulary[g] for g in view]
                    rows.append(np.array(ids, dtype=np.int64))
                    cols.append(np.full(len(ids), column, dtype=np.int64))
                    values.append(_unit(view, ids, idf))
        matrix = sp.csr_matrix(
            (
                np.concatenate(values).astype(np.float32) if values else np.zeros(0, np.float32),
                (
                    np.concatenate(rows) if rows else np.zeros(0, np.int64),
                    np.concatenate(cols) if cols else np.zeros(0, np.int64),
                ),
            ),
            shape=(len(vocabulary), n),
        )
        return cls(settings, vocabulary, idf.astype(np.float32), matrix)

    def _view_scores(self, view: Counter[str]) -> np.ndarray | None:
        if not view:
            return None
        ids = [self._vocabulary.get(g, -1) for g in view]
        idf = np.array([self._idf[i] if i >= 0 else self._unseen_idf for i in ids], dtype=np.float64)
        # Unknown grams count in the query's length: a question about something else scores lower.
        weights = np.array([1.0 + math.log(c) for c in view.values()]) * idf
        weights /= np.linalg.norm(weights)
        known = [k for k, i in enumerate(ids) if i >= 0]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        rows = np.array([ids[k] for k in known], dtype=np.int64)
        return np.asarray(self._postings[rows].T @ weights[known].astype(np.float32), dtype=np.float32).ravel()

    def scores(self, text: str, language: str = "ja") -> np.ndarray:
        """Lexical similarity of the query with every indexed text, in [0, 1].

        Spelling and reading cosines are mixed by `reading_weight`; a query written without kanji is
        compared by reading only (its spelling cannot meet a kanji text, and would only pull it down).
        """
        spelling, reading = text_features(text, self.settings, language)
        by_spelling = self._view_scores(spelling)
        by_reading = self._view_scores(reading)
        if by_spelling is None:
            return np.zeros(self.size, dtype=np.float32)
        if by_reading is None:  # no Japanese in the query
            return by_spelling
        if not KANJI.search(text):
            return by_reading
        weight = self.settings.reading_weight
        return (1.0 - weight) * by_spelling + weight * by_reading

    def save(self, directory: Path) -> None:
        sp.save_npz(directory / "lexical.npz", self._postings, compressed=False)
        np.save(directory / "lexical_idf.npy", self._idf)
        grams = [""] * len(self._vocabulary)
        for gram, i in self._vocabulary.items():
            grams[i] = gram
        (directory / "lexical_vocabulary.json").write_text(json.dumps(grams, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, settings: LexicalSettings) -> LexicalIndex:
        postings = sp.load_npz(directory / "lexical.npz").tocsr()
        idf = np.load(directory / "lexical_idf.npy")
        grams = json.loads((directory / "lexical_vocabulary.json").read_text(encoding="utf-8"))
        return cls(settings, {gram: i for i, gram in enumerate(grams)}, idf, postings)
