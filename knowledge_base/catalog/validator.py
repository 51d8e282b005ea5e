"""Checks across entries and files, on top of what the loader checks in each entry.

- an id used twice (error): buttons and follow-ups name entries by id;
- a related id that does not exist (error);
- the same question or paraphrase in two entries (error), or nearly the same one (warning): the retriever
  could not tell the two entries apart;
- dates: review_by past (warning), updated in the future (warning);
- sources: a fact (phone number, fee, deadline, department, opening time) with no page that confirms it,
  a link to the site's top page while a source names the page that answers, a source checked after the
  entry's `updated` or in the future (warnings).
Entries flagged needs_review (in the entry or for the whole file) are listed by the loader as "review".
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.catalog.loader import LoadResult, Problem, load_directory
from knowledge_base.catalog.model import FaqEntry, is_linkable, is_site_root, is_top_page
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
    problems += _source_problems(entries, today)
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


# Facts a resident acts on, as they appear in an answer. Deliberately broad: a false alarm costs staff a
# look, a missed one can send a resident to the wrong counter.
_FACT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("電話番号", re.compile(r"0\d{1,4}[-‐－]\d{1,4}[-‐－]\d{3,4}")),
    ("手数料・金額", re.compile(r"\d[\d,，]*\s*円|無料|手数料|自己負担")),
    ("期限", re.compile(r"\d+\s*(?:日|か月|ヶ月|カ月|週間|年)以内|期限|締め?切り?|までに")),
    ("受付時間", re.compile(r"\d{1,2}\s*[:：時]\s*\d{0,2}\s*[〜~～-]|開庁|受付時間|\d{1,2}:\d{2}")),
    ("担当課", re.compile(r"[一-龥ァ-ヶー]+(?:課|係|センター|組合)")),
)


def stated_facts(text: str) -> list[tuple[str, str]]:
    """(kind, words) of each fact-like phrase in an answer, in order of kind."""
    found = []
    for kind, pattern in _FACT_PATTERNS:
        for match in pattern.finditer(text):
            if (kind, match.group(0)) not in found:
                found.append((kind, match.group(0)))
    return found


def _overrides_contact(entry: FaqEntry) -> bool:
    return any(key in entry.lines for key in ("department", "phone", "hours"))


def _unsourced_facts(entry: FaqEntry) -> list[tuple[str, str, int]]:
    """(kind, words, line) of each fact of the entry that no source covers."""
    if entry.sources:
        return []  # which source confirms which fact is for staff to judge from `confirms`
    inherited = not _overrides_contact(entry)
    contact_covered = bool(entry.department_sources) and inherited
    contact = {entry.department, entry.phone}
    missing: list[tuple[str, str, int]] = []
    if not inherited:  # an inherited contact without sources is reported once, at the department block
        line = min(entry.lines.get(k, 10**9) for k in ("department", "phone", "hours"))
        missing += [("担当課", entry.department, line), ("電話番号", entry.phone, line)]
    answer_line = entry.lines.get("answer", entry.source_line)
    for kind, words in stated_facts(entry.answer):
        if contact_covered and words in contact:
            continue
        if not any(w == words for _, w, _ in missing):
            missing.append((kind, words, answer_line))
    return missing


def _source_problems(entries: list[FaqEntry], today: dt.date) -> list[Problem]:
    problems = []
    blocks_without_sources = {
        (e.source_file, e.lines["department_block"], e.department)
        for e in entries
        if "department_block" in e.lines and not e.department_sources and not e.sources and not _overrides_contact(e)
    }
    for file, line, name in sorted(blocks_without_sources):
        message = (
            f"department: {name} の課の名前・電話番号・受付時間に出典（sources）がありません。"
            "確かめたページを department の sources に書いてください"
        )
        problems.append(Problem(file, line, message, "warning", "sources"))
    for entry in entries:
        missing = _unsourced_facts(entry)
        if missing:
            listed = "、".join(f"{kind}「{words}」" for kind, words, _ in missing[:6])
            more = f" ほか {len(missing) - 6} 件" if len(missing) > 6 else ""
            message = (
                f"{entry.id}: 出典（sources）のない事実があります: {listed}{more}。"
                "確かめたページを sources に書いてください（確かめられないときは、何を確かめるかを needs_review に）"
            )
            problems.append(Problem(entry.source_file, missing[0][2], message, "warning", "sources"))
        specific = [s.url for s in entry.sources if not is_site_root(s.url) and is_linkable(s.url)]
        if specific and (entry.url is None or is_top_page(entry.url)):
            line = entry.lines.get("url", entry.source_line)
            shown = entry.url or "（なし）"
            message = (
                f"{entry.id}: url が {shown} ですが、sources にくわしいページがあります。"
                f"答えが載っているページ（例: {specific[0]}）にしてください"
            )
            problems.append(Problem(entry.source_file, line, message, "warning", "sources"))
        for index, source in enumerate(entry.sources):
            line = entry.lines.get(f"sources.{index}.checked", entry.source_line)
            if source.checked > today:
                message = f"{entry.id}: sources の確認日（{source.checked.isoformat()}）が未来の日付です"
                problems.append(Problem(entry.source_file, line, message, "warning", "sources"))
            elif source.checked > entry.updated:
                message = (
                    f"{entry.id}: sources を {source.checked.isoformat()} に確かめていますが、updated が"
                    f" {entry.updated.isoformat()} のままです（updated は事実を最後に確かめた日です）"
                )
                problems.append(Problem(entry.source_file, line, message, "warning", "sources"))
    return problems


@dataclass(frozen=True)
class Coverage:
    """How much of the FAQ rests on a page someone read, and links the page that answers."""

    entries: int
    with_sources: int
    specific_url: int
    unsourced: list[FaqEntry]
    top_page_only: list[FaqEntry]

    @staticmethod
    def _share(count: int, total: int) -> str:
        return f"{count}/{total}（{(100 * count / total) if total else 0:.0f}%）"

    def summary(self) -> str:
        return (
            f"出典のあるエントリー {self._share(self.with_sources, self.entries)}、"
            f"くわしいページへの url {self._share(self.specific_url, self.entries)}"
        )


def coverage(entries: list[FaqEntry]) -> Coverage:
    unsourced = [e for e in entries if not e.sources]
    # A national site's top page (bousai.go.jp, nenkin.go.jp) counts as unspecific too.
    top_page_only = [e for e in entries if not e.url or is_site_root(e.url)]
    return Coverage(
        entries=len(entries),
        with_sources=len(entries) - len(unsourced),
        specific_url=len(entries) - len(top_page_only),
        unsourced=unsourced,
        top_page_only=top_page_only,
    )
