"""The query sets the FAQ benchmarks and the calibration measure on (knowledge_base/evaluation/).

    queries:
      - text: 住民票ってどこでもらえる？
        expected: juminhyo-copy      # the entry id that answers it, or a list of ids; null or [] when none does
        lang: ja                     # ISO 639-1 language the query is written in
        kind: colloquial             # plain, colloquial, kana, typo, translated, out_of_scope (optional)
        department: 市民課            # optional: the department that handles it (`none`: no city department)
        source: https://...          # optional: where a harvested wording was found

- devset.yml: written apart from the FAQ paraphrases; the only set the calibration may use;
- testset.yml: written after it by the same rules, for a held-out check;
- external.yml: real residents' wordings harvested verbatim from public (non-municipal) pages, each with its
  source; labels by hand. Never tuned on, never copied into the FAQ.
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
TESTSET = KB_ROOT / "evaluation" / "testset.yml"
EXTERNAL_SET = KB_ROOT / "evaluation" / "external.yml"
KINDS = ("plain", "colloquial", "kana", "typo", "translated", "out_of_scope")
# A `department` label meaning that no city department handles the question.
NO_DEPARTMENT = "none"


@dataclass(frozen=True)
class DevQuery:
    text: str
    expected: tuple[str, ...]  # entries that answer it (any of them is right); empty when none does
    lang: str
    kind: str
    line: int = 0
    department: str | None = None  # the label, when the set gives one (NO_DEPARTMENT: not a city matter)
    source: str | None = None

    @property
    def in_scope(self) -> bool:
        return bool(self.expected)


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
        text, lang = raw.get("text"), raw.get("lang")
        expected = _expected_ids(raw.get("expected"))
        kind = raw.get("kind") or ("plain" if expected else "out_of_scope")
        department, source = raw.get("department"), raw.get("source")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{path}:{line}: 'text' must be a non-empty string")
        if expected is None:
            problems.append(f"{path}:{line}: 'expected' must be an entry id, a list of ids, or null")
            expected = ()
        if lang not in SUPPORTED:
            problems.append(f"{path}:{line}: 'lang' {lang!r} is not one of {', '.join(SUPPORTED)}")
        if kind not in KINDS:
            problems.append(f"{path}:{line}: 'kind' {kind!r} is not one of {', '.join(KINDS)}")
        if (kind == "out_of_scope") == bool(expected):
            problems.append(f"{path}:{line}: out_of_scope queries, and only they, have no expected entry")
        for entry_id in expected:
            if known_ids is not None and entry_id not in known_ids:
                problems.append(f"{path}:{line}: expected entry '{entry_id}' is not in the FAQ")
        if department is not None and not isinstance(department, str):
            problems.append(f"{path}:{line}: 'department' must be a department name or none")
        queries.append(
            DevQuery(
                str(text).strip() if isinstance(text, str) else "",
                expected,
                str(lang),
                str(kind),
                line,
                department=str(department) if department is not None else None,
                source=str(source) if source else None,
            )
        )
    if problems:
        raise DevsetError("\n".join(problems))
    return queries


def _expected_ids(value: object) -> tuple[str, ...] | None:
    """The expected entry ids as a tuple; None when the value is not an id, a list of ids or empty."""
    if value is None or value == []:
        return ()
    if isinstance(value, str) and value.strip():
        return (value.strip(),)
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    return None


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
