"""The development set the FAQ benchmarks and the calibration measure on: knowledge_base/evaluation/devset.yml.

    queries:
      - text: 住民票ってどこでもらえる？
        expected: juminhyo-copy      # the entry id that answers it; null when the FAQ should not answer
        lang: ja                     # ISO 639-1 language the query is written in
        kind: colloquial             # plain, colloquial, kana, typo, translated, out_of_scope

The queries are written apart from the FAQ paraphrases (by someone else, without copying them), so the
figures say how the bot does on questions it has not seen.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge_base import KB_ROOT
from knowledge_base.language import SUPPORTED

DEFAULT_DEVSET = KB_ROOT / "evaluation" / "devset.yml"
KINDS = ("plain", "colloquial", "kana", "typo", "translated", "out_of_scope")


@dataclass(frozen=True)
class DevQuery:
    text: str
    expected: str | None
    lang: str
    kind: str
    line: int = 0


class DevsetError(ValueError):
    """The dev set file has problems; the message lists each as file:line: message."""


class _Loader(yaml.SafeLoader):
    pass


def _mapping_with_line(loader: _Loader, node: yaml.MappingNode) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_devset(path: Path = DEFAULT_DEVSET, known_ids: set[str] | None = None) -> list[DevQuery]:
    """Every query, checked; raises DevsetError naming every bad line (and ids not in `known_ids`)."""
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise DevsetError(f"{path}: cannot read the dev set: {exc}") from exc
    raw_queries = document.get("queries") if isinstance(document, dict) else None
    if not isinstance(raw_queries, list):
        raise DevsetError(f"{path}:1: the file needs a 'queries:' list")
    queries: list[DevQuery] = []
    problems: list[str] = []
    for raw in raw_queries:
        line = raw.get("__line__", 0) if isinstance(raw, dict) else 0
        if not isinstance(raw, dict):
            problems.append(f"{path}:{line}: each query is a mapping with text, expected, lang, kind")
            continue
        text, expected, lang, kind = raw.get("text"), raw.get("expected"), raw.get("lang"), raw.get("kind")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{path}:{line}: 'text' must be a non-empty string")
        if expected is not None and not isinstance(expected, str):
            problems.append(f"{path}:{line}: 'expected' must be an entry id or null")
        if lang not in SUPPORTED:
            problems.append(f"{path}:{line}: 'lang' {lang!r} is not one of {', '.join(SUPPORTED)}")
        if kind not in KINDS:
            problems.append(f"{path}:{line}: 'kind' {kind!r} is not one of {', '.join(KINDS)}")
        if (kind == "out_of_scope") != (expected is None):
            problems.append(f"{path}:{line}: out_of_scope queries, and only they, have expected: null")
        if known_ids is not None and isinstance(expected, str) and expected not in known_ids:
            problems.append(f"{path}:{line}: expected entry '{expected}' is not in the FAQ")
        queries.append(DevQuery(str(text).strip() if text else "", expected, str(lang), str(kind), line))
    if problems:
        raise DevsetError("\n".join(problems))
    return queries


def devset_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def coverage_notes(queries: list[DevQuery]) -> list[str]:
    """Where the set falls short of what the issue asks (300 queries, 15% not Japanese, 10% kana/typo,
    20 out of scope); empty when it does not."""
    notes = []
    total = len(queries)
    kinds = Counter(q.kind for q in queries)
    foreign = sum(q.lang != "ja" for q in queries)
    if total < 300:
        notes.append(f"{total} queries (at least 300 wanted)")
    if total and foreign / total < 0.15:
        notes.append(f"{foreign / total:.0%} not in Japanese (at least 15% wanted)")
    if total and (kinds["kana"] + kinds["typo"]) / total < 0.10:
        notes.append(f"{(kinds['kana'] + kinds['typo']) / total:.0%} kana-only or with typos (at least 10% wanted)")
    if kinds["out_of_scope"] < 20:
        notes.append(f"{kinds['out_of_scope']} out-of-scope queries (at least 20 wanted)")
    return notes
