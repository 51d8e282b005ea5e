"""Load the FAQ YAML files (one per department) into FaqEntry objects, with line numbers.

File layout (see knowledge_base/README.md for the staff guide, in Japanese):

    department:            # defaults for every entry of the file
      name: 市民課
      phone: 0297-23-2111
      hours: 平日 8:30〜17:15
    entries:
      - id: juminhyo-copy
        question: ...
        paraphrases: [...]
        answer: ...
        ...

Problems are collected, never raised, so one broken file cannot hide the others; the caller decides
whether errors are fatal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from knowledge_base.catalog.model import FaqEntry, Translation

_LINE = "__line__"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that remembers the line each mapping starts on."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class LoadResult:
    entries: list[FaqEntry]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def faq_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yml") if p.is_file())


def load_directory(directory: Path) -> LoadResult:
    result = LoadResult(entries=[], problems=[])
    for path in faq_files(directory):
        _load_file(path, result)
    return result


def _load_file(path: Path, result: LoadResult) -> None:
    name = str(path)
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        result.problems.append(Problem(name, line, f"malformed YAML: {exc.problem}"))
        return
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        result.problems.append(Problem(name, 1, f"cannot read file: {exc}"))
        return
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        result.problems.append(Problem(name, 1, "the file needs an 'entries:' list"))
        return
    department = document.get("department") or {}
    if not isinstance(department, dict):
        result.problems.append(Problem(name, 1, "'department:' must be a mapping"))
        department = {}
    for raw in document["entries"]:
        if not isinstance(raw, dict):
            result.problems.append(Problem(name, 1, "each entry must be a mapping"))
            continue
        entry = _entry(raw, department, name, result.problems)
        if entry is not None:
            result.entries.append(entry)


_REQUIRED = ("id", "question", "answer", "updated")


def _entry(raw: dict[str, Any], department: dict[str, Any], file: str, problems: list[Problem]) -> FaqEntry | None:
    line = int(raw.get(_LINE, 1))
    missing = [key for key in _REQUIRED if not raw.get(key)]
    dept_name = raw.get("department") or department.get("name")
    phone = raw.get("phone") or department.get("phone")
    hours = raw.get("hours") or department.get("hours")
    missing += [k for k, v in (("department", dept_name), ("phone", phone), ("hours", hours)) if not v]
    if missing:
        problems.append(Problem(file, line, f"entry is missing: {', '.join(missing)}"))
        return None
    updated = raw["updated"]
    if not isinstance(updated, dt.date):
        problems.append(Problem(file, line, "'updated' must be a date like 2026-11-01"))
        return None
    translations = {
        lang: Translation(question=str(t["question"]), answer=str(t["answer"]))
        for lang, t in (raw.get("translations") or {}).items()
        if lang != _LINE and isinstance(t, dict) and t.get("question") and t.get("answer")
    }
    review_by = raw.get("review_by")
    return FaqEntry(
        id=str(raw["id"]),
        question=str(raw["question"]).strip(),
        paraphrases=tuple(str(p).strip() for p in raw.get("paraphrases") or ()),
        answer=str(raw["answer"]).strip(),
        department=str(dept_name),
        phone=str(phone),
        hours=str(hours),
        url=str(raw["url"]) if raw.get("url") else None,
        updated=updated,
        review_by=review_by if isinstance(review_by, dt.date) else None,
        needs_review=str(raw["needs_review"]) if raw.get("needs_review") else None,
        translations=translations,
        related=tuple(str(r) for r in raw.get("related") or ()),
        source_file=file,
        source_line=line,
    )
