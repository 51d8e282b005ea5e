"""Checks across entries and files, on top of what the loader checks in each entry.

- an id used twice (error): buttons and follow-ups name entries by id;
- a related id that does not exist (error);
- the same question or paraphrase in two entries (error), or nearly the same one (warning): the retriever
  could not tell the two entries apart;
- dates: review_by past (warning), updated in the future (warning).
Entries flagged needs_review (in the entry or for the whole file) are listed by the loader as "review".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from knowledge_base.catalog.loader import LoadResult, Problem, load_directory
from knowledge_base.catalog.model import FaqEntry
from knowledge_base.retrieval.japanese import compact, content_form

_SEVERITY_ORDER = {"error": 0, "warning": 1, "review": 2}


def validate_directory(directory: Path, today: dt.date | None = None) -> LoadResult:
    """Load every FAQ file and run every check; result.problems holds all of them, sorted by place."""
    result = load_directory(directory)
    if not result.files:
        result.problems.append(Problem(str(directory), 1, "FAQ のファイル（*.yml）が1つもありません"))
    result.problems.extend(cross_entry_problems(result.entries, today or dt.date.today()))
    result.problems.sort(key=lambda p: (p.file, p.line, _SEVERITY_ORDER.get(p.severity, 3), p.message))
    return result


def cross_entry_problems(entries: list[FaqEntry], today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    problems += _duplicate_ids(entries)
    problems += _related(entries)
    problems += _collisions(entries)
    problems += _dates(entries, today)
    return problems


def _where(entry: FaqEntry, line: int | None = None) -> str:
    return f"{Path(entry.source_file).name}:{line or entry.source_line}"


def _duplicate_ids(entries: list[FaqEntry]) -> list[Problem]:
    first: dict[str, FaqEntry] = {}
    problems = []
    for entry in entries:
        if entry.id in first:
            other = first[entry.id]
            message = f"id '{entry.id}' がほかのエントリーと重複しています（先の定義: {_where(other)}）"
            problems.append(Problem(entry.source_file, entry.lines.get("id", entry.source_line), message))
        else:
            first[entry.id] = entry
    return problems


def _related(entries: list[FaqEntry]) -> list[Problem]:
    known = {entry.id for entry in entries}
    problems = []
    for entry in entries:
        for index, related in enumerate(entry.related):
            line = entry.lines.get(f"related.{index}", entry.source_line)
            if related == entry.id:
                problems.append(Problem(entry.source_file, line, "related に自分自身の id が入っています", "warning"))
            elif related not in known:
                problems.append(
                    Problem(entry.source_file, line, f"related の id '{related}' というエントリーはありません")
                )
    return problems


def _collisions(entries: list[FaqEntry]) -> list[Problem]:
    """Texts of different entries (same language) that are equal, or equal in their content words."""
    problems = []
    exact: dict[tuple[str, str], tuple[FaqEntry, str, int]] = {}
    loose: dict[tuple[str, str], list[tuple[FaqEntry, str, int]]] = defaultdict(list)
    for entry in entries:
        for lang, text, line in entry.text_lines():
            key = (lang, compact(text))
            if not key[1]:
                continue
            seen = exact.get(key)
            if seen is not None:
                other, other_text, other_line = seen
                if other.id == entry.id:
                    message = f"「{text}」は同じエントリーの中で2回書かれています"
                    problems.append(Problem(entry.source_file, line, message, "warning"))
                else:
                    message = (
                        f"「{text}」はエントリー '{other.id}'（{_where(other, other_line)}）の「{other_text}」と"
                        "同じです。どちらのエントリーを答えるか決められません"
                    )
                    problems.append(Problem(entry.source_file, line, message))
                continue
            exact[key] = (entry, text, line)
            loose_key = (lang, content_form(text))
            for other, other_text, other_line in loose[loose_key]:
                if other.id != entry.id:
                    message = (
                        f"「{text}」はエントリー '{other.id}'（{_where(other, other_line)}）の「{other_text}」と"
                        "ほぼ同じです。どちらかを言い換えてください"
                    )
                    problems.append(Problem(entry.source_file, line, message, "warning"))
                    break
            loose[loose_key].append((entry, text, line))
    return problems


def _dates(entries: list[FaqEntry], today: dt.date) -> list[Problem]:
    problems = []
    for entry in entries:
        if entry.review_by is not None and entry.review_by < today:
            line = entry.lines.get("review_by", entry.source_line)
            message = (
                f"{entry.id}: review_by（{entry.review_by.isoformat()}）を過ぎています。"
                "内容を確かめて日付を更新してください"
            )
            problems.append(Problem(entry.source_file, line, message, "warning"))
        if entry.updated > today:
            line = entry.lines.get("updated", entry.source_line)
            message = f"{entry.id}: updated（{entry.updated.isoformat()}）が未来の日付です"
            problems.append(Problem(entry.source_file, line, message, "warning"))
    return problems
