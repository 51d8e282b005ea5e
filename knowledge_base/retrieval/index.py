"""One built FAQ index: the entries it was built from, one row per searchable text, and the dense and
lexical indexes over those rows. Self-contained on disk, so a running server never mixes an index with
YAML that changed after it was built.

Rows of one entry are contiguous (entry_starts[i] is the first row of entry i): per-entry maxima are
one numpy reduceat.
"""

from __future__ import annotations

import json
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from knowledge_base.catalog import FaqEntry
from knowledge_base.retrieval.dense import DenseIndex
from knowledge_base.retrieval.encoder import encode
from knowledge_base.retrieval.lexical import LexicalIndex
from knowledge_base.retrieval.settings import RetrievalSettings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

FORMAT = 1


@dataclass
class FaqIndex:
    entries: list[FaqEntry]
    row_entry: np.ndarray  # entry number of each row
    row_language: list[str]
    row_text: list[str]
    entry_starts: np.ndarray
    dense: DenseIndex
    lexical: LexicalIndex
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def by_id(self) -> dict[str, FaqEntry]:
        return {entry.id: entry for entry in self.entries}

    def rows_of(self, entry_number: int) -> np.ndarray:
        start = int(self.entry_starts[entry_number])
        end = int(self.entry_starts[entry_number + 1]) if entry_number + 1 < len(self.entries) else len(self.row_text)
        return np.arange(start, end, dtype=np.int64)


def for_encoding(text: str) -> str:
    # Full-width letters and half-width kana mean the same to a resident; the encoder should see one form.
    return unicodedata.normalize("NFKC", text).strip()


def _rows(entries: list[FaqEntry]) -> tuple[np.ndarray, list[str], list[str], np.ndarray]:
    row_entry: list[int] = []
    languages: list[str] = []
    texts: list[str] = []
    starts: list[int] = []
    for number, entry in enumerate(entries):
        starts.append(len(texts))
        for language, text in entry.texts():
            row_entry.append(number)
            languages.append(language)
            texts.append(text)
    return np.array(row_entry, dtype=np.int32), languages, texts, np.array(starts, dtype=np.int64)


def build_index(
    entries: list[FaqEntry],
    model: SentenceTransformer,
    settings: RetrievalSettings,
    manifest: dict[str, Any] | None = None,
    vectors: np.ndarray | None = None,
) -> FaqIndex:
    """Encode every text and index it. `vectors` (one per text, in texts() order) skips the encoding."""
    if not entries:
        raise ValueError("no FAQ entries to index")
    started = time.perf_counter()
    texts = [text for entry in entries for _, text in entry.texts()]
    languages = [language for entry in entries for language, _ in entry.texts()]
    if vectors is None:
        vectors = encode(model, [for_encoding(t) for t in texts])
    encoded = time.perf_counter()
    dense = DenseIndex.build(vectors, settings.dense)
    lexical = LexicalIndex.build(texts, settings.lexical, languages)
    finished = time.perf_counter()
    seconds = {"encode": round(encoded - started, 3), "index": round(finished - encoded, 3)}
    return assemble_index(entries, dense, lexical, dict(manifest or {}) | {"seconds": seconds})


def assemble_index(
    entries: list[FaqEntry], dense: DenseIndex, lexical: LexicalIndex, manifest: dict[str, Any] | None = None
) -> FaqIndex:
    """An index from dense and lexical indexes already built over the entries' texts (in texts() order)."""
    row_entry, languages, texts, starts = _rows(entries)
    if not dense.size == lexical.size == len(texts):
        raise ValueError("the dense and lexical indexes do not cover the entries' texts")
    manifest = dict(manifest or {}) | {
        "format": FORMAT,
        "entries": len(entries),
        "texts": len(texts),
        "dense_kind": dense.kind,
        "dimension": int(dense.index.d),
    }
    return FaqIndex(entries, row_entry, languages, texts, starts, dense, lexical, manifest)


def save_index(index: FaqIndex, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    entries = [entry.to_dict() for entry in index.entries]
    (directory / "entries.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    rows = {"entry": index.row_entry.tolist(), "language": index.row_language, "text": index.row_text}
    (directory / "rows.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    index.dense.save(directory)
    index.lexical.save(directory)
    # Written last: a directory with a manifest is complete.
    (directory / "manifest.json").write_text(json.dumps(index.manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def load_index(directory: Path, settings: RetrievalSettings) -> FaqIndex:
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise ValueError(f"{directory}: index format {manifest.get('format')} is not {FORMAT}")
    entries = [FaqEntry.from_dict(d) for d in json.loads((directory / "entries.json").read_text(encoding="utf-8"))]
    rows = json.loads((directory / "rows.json").read_text(encoding="utf-8"))
    row_entry = np.array(rows["entry"], dtype=np.int32)
    starts = np.searchsorted(row_entry, np.arange(len(entries)), side="left").astype(np.int64)
    dense = DenseIndex.load(directory, manifest["dense_kind"], settings.dense)
    lexical = LexicalIndex.load(directory, settings.lexical)
    if not dense.size == lexical.size == len(row_entry):
        raise ValueError(f"{directory}: the dense, lexical and row counts differ")
    return FaqIndex(entries, row_entry, rows["language"], rows["text"], starts, dense, lexical, manifest)
