"""Score query sets against every FAQ entry, as the retriever would, and make the calibration's variants.

Exact scores (the flat index of a real-size FAQ is exact too): the dense cosine and the lexical n-gram
score of every query against every text, each view's best text per entry.

Variants (metrics.VARIANTS) of an in-scope query, from the same text scores:
- unseen wording: the expected entry's closest text in each view is left out, as if the FAQ did not have
  the wording the query is nearest to (skipped when the entry has no other text);
- entry removed: every text of the expected entries is left out: the FAQ cannot answer the query; its
  reply should name the department of the entry that was removed.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from knowledge_base.evaluation.devset import NO_DEPARTMENT, DevQuery
from knowledge_base.evaluation.metrics import ENTRY_REMOVED, UNSEEN_WORDING, ScoredQuery
from knowledge_base.language import detect_language
from knowledge_base.retrieval.departments import DepartmentDirectory
from knowledge_base.retrieval.encoder import encode, load_encoder
from knowledge_base.retrieval.index import FaqIndex, for_encoding
from knowledge_base.retrieval.lexical import LexicalIndex
from knowledge_base.retrieval.settings import query_group

# The score of a removed entry: below any cosine or n-gram score, so it never ranks.
REMOVED = -2.0


def entry_departments(index: FaqIndex) -> list[str | None]:
    """The routable department of each entry, in index order (None: the main line or an emergency one)."""
    directory = DepartmentDirectory(index.entries)
    return [directory.of_entry(entry.id) for entry in index.entries]


def department_label(query: DevQuery, index: FaqIndex, departments: list[str | None]) -> str | None:
    """The department a no-answer reply should name for the query: its expected entry's (so that a
    department corrected in the FAQ corrects the label too), else the set's label (a name that is no route,
    such as the main line, or `none`, means the main number)."""
    position = {entry.id: i for i, entry in enumerate(index.entries)}
    for entry_id in query.expected:
        return departments[position[entry_id]]
    if query.department is None or query.department == NO_DEPARTMENT:
        return None
    return query.department if query.department in set(departments) else None


def score_queries(
    index: FaqIndex,
    queries: list[DevQuery],
    lexical: LexicalIndex | None = None,
    variants: bool = False,
) -> list[ScoredQuery]:
    """Every query against every entry, in both views; with `variants`, also each in-scope query's two
    variants (module docstring)."""
    model = load_encoder()
    texts = [for_encoding(q.text) for q in queries]
    query_vectors = encode(model, texts)
    text_vectors = index.dense.index.reconstruct_n(0, index.dense.size)
    dense_rows = query_vectors @ text_vectors.T
    lexical = lexical or index.lexical
    languages = [frozenset(language for language, _ in entry.texts()) for entry in index.entries]
    departments = entry_departments(index)
    position = {entry.id: i for i, entry in enumerate(index.entries)}
    scored = []
    for i, (query, text) in enumerate(zip(queries, texts, strict=True)):
        language = detect_language(query.text)
        lexical_rows = lexical.scores(text, language)
        asked = ScoredQuery(
            text=query.text,
            expected=query.expected,
            lang=query.lang,
            kind=query.kind,
            group=query_group(query.text, language),
            dense=_per_entry(dense_rows[i], index),
            lexical=_per_entry(lexical_rows, index),
            comparable=np.array([language in found for found in languages], dtype=bool),
            department=department_label(query, index, departments),
        )
        scored.append(asked)
        if variants and query.expected:
            numbers = [position[e] for e in query.expected]
            scored += _variants(asked, numbers, dense_rows[i], lexical_rows, index)
    return scored


def _per_entry(row_scores: np.ndarray, index: FaqIndex) -> np.ndarray:
    return np.maximum.reduceat(row_scores, index.entry_starts).astype(np.float64)


def _variants(
    asked: ScoredQuery, numbers: list[int], dense_rows: np.ndarray, lexical_rows: np.ndarray, index: FaqIndex
) -> list[ScoredQuery]:
    found: list[ScoredQuery] = []
    dense, lexical = asked.dense.copy(), asked.lexical.copy()
    unseen = True
    for number in numbers:
        rows = index.rows_of(number)
        closest = {int(rows[np.argmax(dense_rows[rows])]), int(rows[np.argmax(lexical_rows[rows])])}
        rest = np.array([r for r in rows.tolist() if r not in closest], dtype=np.int64)
        if len(rest) == 0:
            unseen = False
            break
        dense[number] = float(dense_rows[rest].max())
        lexical[number] = float(lexical_rows[rest].max())
    if unseen:
        found.append(replace(asked, dense=dense, lexical=lexical, variant=UNSEEN_WORDING))
    removed_dense, removed_lexical = asked.dense.copy(), asked.lexical.copy()
    removed_dense[numbers] = REMOVED
    removed_lexical[numbers] = REMOVED
    found.append(replace(asked, expected=(), dense=removed_dense, lexical=removed_lexical, variant=ENTRY_REMOVED))
    return found
