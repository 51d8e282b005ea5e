"""Load the FAQ YAML files (one per department) into FaqEntry objects, with line numbers.

File layout (see knowledge_base/README.md for the staff guide, in Japanese):

    department:            # defaults for every entry of the file
      name: 市民課
      phone: 0297-23-2111
      hours: 平日 8:30〜17:15
      needs_review: ...    # optional: what staff must check for the whole file
    entries:
      - id: juminhyo-copy
        question: ...
        paraphrases: [...]
        answer: ...
        ...

Problems are collected, never raised, so one broken file cannot hide the others; the caller decides
whether errors are fatal. This module checks each file and entry on its own; checks across entries
(duplicate ids, related ids, colliding paraphrases) live in validator.py. Messages are in Japanese:
city staff read them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge_base.catalog.model import TRANSLATION_LANGUAGES, FaqEntry, Source, Translation

# Bookkeeping keys the loader adds to every mapping it reads (never staff-written: YAML keys cannot start so).
_LINE = "__line__"  # line the mapping starts on
_KEY_LINES = "__key_lines__"  # key -> line of the key
_ITEM_LINES = "__item_lines__"  # key -> lines of the items of a list value
_DUPLICATE_KEYS = "__duplicate_keys__"  # [(key, line)] written twice in one mapping
_BOOKKEEPING = (_LINE, _KEY_LINES, _ITEM_LINES, _DUPLICATE_KEYS)

ENTRY_FIELDS = (
    "id",
    "question",
    "paraphrases",
    "answer",
    "department",
    "phone",
    "hours",
    "url",
    "updated",
    "review_by",
    "needs_review",
    "translations",
    "related",
    "sources",
)
DEPARTMENT_FIELDS = ("name", "phone", "hours", "needs_review", "sources")
SOURCE_FIELDS = ("url", "confirms", "checked")
FILE_FIELDS = ("department", "entries")
_REQUIRED = ("id", "question", "answer", "updated")
# Ids go into button payloads (/select_faq{"faq_id": "..."}): keep them plain.
_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    severity: str = "error"  # "error", "warning", or "review" (an entry staff flagged for checking)
    check: str = ""  # which check of several found it, where callers tell them apart ("sources")

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


@dataclass
class LoadResult:
    entries: list[FaqEntry]
    problems: list[Problem]
    # Content hash of every file read (names and bytes): the same files always give the same value.
    fingerprint: str = ""
    files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def reviews(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "review"]


class InvalidDate(str):
    """A value written like a date that is no day of the calendar (2026-13-01, 2026-11-31).

    PyYAML raises ValueError for these deep inside its constructor; kept as text instead, so that the field
    that holds it is reported at its line like any other wrong value.
    """

    reason: str = ""


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that remembers where each mapping, key and list item is, and keys written twice."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            value = InvalidDate(self.construct_scalar(node))  # type: ignore[arg-type]
            value.reason = str(exc)
            return value

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # Any other value PyYAML cannot build (`!!int abc`, `!!float x`) becomes a YAML error at its line,
        # never a traceback.
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(None, None, f"この値を読めません: {exc}", node.start_mark) from exc


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    key_lines: dict[Any, int] = {}
    item_lines: dict[Any, list[int]] = {}
    duplicates: list[tuple[Any, int]] = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in key_lines:
            duplicates.append((key, line))
        key_lines[key] = line
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[key] = [item.start_mark.line + 1 for item in value_node.value]
    mapping[_LINE] = node.start_mark.line + 1
    mapping[_KEY_LINES] = key_lines
    mapping[_ITEM_LINES] = item_lines
    mapping[_DUPLICATE_KEYS] = duplicates
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_timestamp)


def faq_files(directory: Path) -> list[Path]:
    return sorted(p for p in Path(directory).glob("*.yml") if p.is_file())


def content_fingerprint(contents: dict[str, bytes]) -> str:
    """Hash of file names and bytes: changes exactly when a file is added, removed, renamed or edited."""
    digest = hashlib.sha256()
    for name in sorted(contents):
        digest.update(name.encode() + b"\0" + contents[name] + b"\0")
    return digest.hexdigest()


def read_files(directory: Path) -> dict[Path, bytes]:
    """Every FAQ file's bytes, read once so that the fingerprint and the entries describe the same state."""
    found: dict[Path, bytes] = {}
    for path in faq_files(directory):
        try:
            found[path] = path.read_bytes()
        except OSError:
            found[path] = b""  # vanished or unreadable between listing and reading: reported on parse
    return found


def directory_fingerprint(directory: Path) -> str:
    return content_fingerprint({p.name: data for p, data in read_files(directory).items()})


def load_directory(directory: Path) -> LoadResult:
    contents = read_files(directory)
    result = LoadResult(
        entries=[],
        problems=[],
        fingerprint=content_fingerprint({p.name: data for p, data in contents.items()}),
        files=[str(p) for p in contents],
    )
    for path, data in contents.items():
        _load_file(str(path), data, result)
    return result


def _fields(mapping: dict[Any, Any]) -> dict[Any, Any]:
    return {k: v for k, v in mapping.items() if k not in _BOOKKEEPING}


def _key_line(mapping: dict[str, Any], key: str) -> int:
    return int(mapping.get(_KEY_LINES, {}).get(key, mapping.get(_LINE, 1)))


def _item_lines(mapping: dict[str, Any], key: str) -> list[int]:
    return list(mapping.get(_ITEM_LINES, {}).get(key, []))


def _check_keys(mapping: dict[str, Any], allowed: tuple[str, ...], file: str, problems: list[Problem]) -> None:
    for key, line in mapping.get(_DUPLICATE_KEYS, []):
        problems.append(Problem(file, line, f"'{key}' が2回書かれています（あとの方だけが使われます）"))
    for key in _fields(mapping):
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"（'{close[0]}' のまちがいですか？）" if close else f"（使える項目: {', '.join(allowed)}）"
            problems.append(Problem(file, _key_line(mapping, key), f"知らない項目 '{key}' です{hint}", "warning"))


def _load_file(file: str, data: bytes, result: LoadResult) -> None:
    problems = result.problems
    try:
        document = yaml.load(data.decode("utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in str(exc.problem):
            mark = exc.context_mark  # the quote or bracket left open, not the end of the file
        # A mark at the end of the file is one line past the last: point at a line staff can see.
        last_line = max(data.count(b"\n") + (0 if data.endswith(b"\n") else 1), 1)
        line = min(mark.line + 1, last_line) if mark else 1
        problems.append(Problem(file, line, f"YAMLの書き方に誤りがあります（malformed YAML）: {exc.problem}"))
        return
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(Problem(file, 1, f"ファイルを読めません（UTF-8 で保存してください）: {exc}"))
        return
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        problems.append(Problem(file, 1, "ファイルには 'entries:' のリストが必要です"))
        return
    _check_keys(document, FILE_FIELDS, file, problems)
    department = document.get("department") or {}
    if not isinstance(department, dict):
        problems.append(
            Problem(file, _key_line(document, "department"), "'department:' には name, phone, hours を書きます")
        )
        department = {}
    else:
        _check_keys(department, DEPARTMENT_FIELDS, file, problems)
    department_review = _review_text(department, file, problems)
    if department_review:
        line = _key_line(department, "needs_review")
        problems.append(Problem(file, line, f"ファイル全体の要確認: {department_review}", "review"))
    department_sources = tuple(_sources(department, file, problems)[0])
    entry_lines = _item_lines(document, "entries")
    for index, raw in enumerate(document["entries"]):
        if not isinstance(raw, dict):
            line = entry_lines[index] if index < len(entry_lines) else 1
            problems.append(Problem(file, line, "エントリーは「- id: ...」で始まる項目のまとまりで書いてください"))
            continue
        entry = _entry(raw, department, department_review, department_sources, file, problems)
        if entry is not None:
            result.entries.append(entry)


def _absent(value: Any) -> bool:
    """Not written, or written empty (a list or mapping is a wrong type, reported on its own)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _text(raw: dict[str, Any], key: str) -> str | None:
    """A scalar field as stripped text; None when absent or empty."""
    value = raw.get(key)
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _review_text(raw: dict[str, Any], file: str, problems: list[Problem]) -> str | None:
    value = raw.get("needs_review")
    if value is None or value is False:
        return None
    if not isinstance(value, str) or not value.strip():
        line = _key_line(raw, "needs_review")
        problems.append(Problem(file, line, "'needs_review' には、確認が必要な内容を文章で書いてください", "warning"))
        return "（確認する内容が書かれていません）"
    return value.strip()


def _entry(
    raw: dict[str, Any],
    department: dict[str, Any],
    department_review: str | None,
    department_sources: tuple[Source, ...],
    file: str,
    problems: list[Problem],
) -> FaqEntry | None:
    line = int(raw.get(_LINE, 1))
    _check_keys(raw, ENTRY_FIELDS, file, problems)
    fatal: list[Problem] = []  # without these fields there is no entry to check further

    def error(key: str, message: str, into: list[Problem] = problems) -> None:
        into.append(Problem(file, _key_line(raw, key), message))

    for key in ("question", "answer", "department", "phone", "hours", "id"):
        if isinstance(raw.get(key), (dict, list)):
            error(key, f"'{key}' は文章（1つの値）で書いてください", fatal)
    dept_name = _text(raw, "department") or _text(department, "name")
    phone = _text(raw, "phone") or _text(department, "phone")
    hours = _text(raw, "hours") or _text(department, "hours")
    missing = [key for key in _REQUIRED if _absent(raw.get(key))]
    missing += [k for k, v in (("department", dept_name), ("phone", phone), ("hours", hours)) if not v]
    if missing:
        fatal.append(Problem(file, line, f"必須の項目がありません: {', '.join(missing)}"))

    entry_id = _text(raw, "id")
    if entry_id and not _ID_PATTERN.match(entry_id):
        error("id", f"id '{entry_id}' には半角の英数字と - _ . だけを使ってください（空白や日本語は使えません）", fatal)

    updated = raw.get("updated")
    if updated is not None and not isinstance(updated, dt.date):
        error("updated", _date_message("updated", updated, "2026-11-01"), fatal)
    review_by = raw.get("review_by")
    if review_by is not None and not isinstance(review_by, dt.date):
        error("review_by", _date_message("review_by", review_by, "2027-05-31"))
    if isinstance(updated, dt.datetime) or isinstance(review_by, dt.datetime):
        error(
            "updated" if isinstance(updated, dt.datetime) else "review_by",
            "日付だけを書いてください（時刻は書きません）",
        )

    url = _text(raw, "url")
    if url and not re.match(r"^https?://\S+$", url):
        error("url", "'url' は http:// か https:// で始まるアドレスにしてください")

    paraphrases = _string_list(raw, "paraphrases", file, problems)
    related = _string_list(raw, "related", file, problems)
    translations, translation_lines = _translations(raw, file, problems)
    needs_review = _review_text(raw, file, problems)
    sources, source_lines = _sources(raw, file, problems)

    # Errors in optional fields are reported and the bad part left out: the entry still takes part in the
    # checks across entries (so staff see every problem at once). Any error blocks building an index.
    if fatal:
        problems.extend(fatal)
        return None
    assert entry_id and isinstance(updated, dt.date) and dept_name and phone and hours
    lines = {key: _key_line(raw, key) for key in ENTRY_FIELDS if key in raw}
    lines |= {f"paraphrases.{i}": n for i, n in enumerate(_item_lines(raw, "paraphrases"))}
    lines |= {f"related.{i}": n for i, n in enumerate(_item_lines(raw, "related"))}
    lines |= translation_lines
    lines |= source_lines
    if _text(department, "name"):
        lines["department_block"] = _key_line(department, "name")  # where inherited contact facts are written
    entry = FaqEntry(
        id=entry_id,
        question=str(raw["question"]).strip(),
        paraphrases=tuple(paraphrases),
        answer=str(raw["answer"]).strip(),
        department=dept_name,
        phone=phone,
        hours=hours,
        url=url,
        updated=updated,
        review_by=review_by if isinstance(review_by, dt.date) else None,
        needs_review=needs_review,
        translations=translations,
        related=tuple(related),
        source_file=file,
        source_line=line,
        department_needs_review=department_review,
        sources=tuple(sources),
        department_sources=department_sources,
        lines=lines,
    )
    if needs_review:
        problems.append(Problem(file, lines.get("needs_review", line), f"{entry.id}: {needs_review}", "review"))
    return entry


def _date_message(key: str, value: Any, example: str) -> str:
    if isinstance(value, InvalidDate):
        return (
            f"'{key}' の {value} という日はありません（月は 1〜12、日はその月の日数まで）。"
            f"{example} のように書いてください"
        )
    return f"'{key}' は {example} のような日付で書いてください"


def _sources(raw: dict[str, Any], file: str, problems: list[Problem]) -> tuple[list[Source], dict[str, int]]:
    """The `sources:` list (each item url, confirms, checked); a wrong item is reported and left out."""
    value = raw.get("sources")
    if value is None:
        return [], {}
    key_line = _key_line(raw, "sources")
    if not isinstance(value, list):
        problems.append(Problem(file, key_line, "'sources' は「- url: ...」で始まる項目のリストで書いてください"))
        return [], {}
    item_lines = _item_lines(raw, "sources")
    found: list[Source] = []
    lines: dict[str, int] = {"sources": key_line}
    for index, item in enumerate(value):
        line = item_lines[index] if index < len(item_lines) else key_line
        where = f"sources の {index + 1} 番目"
        if not isinstance(item, dict):
            problems.append(Problem(file, line, f"{where} は url, confirms, checked を書いた項目にしてください"))
            continue
        _check_keys(item, SOURCE_FIELDS, file, problems)
        url, confirms, checked = _text(item, "url"), _text(item, "confirms"), item.get("checked")
        bad = False
        if not url or not re.match(r"^https?://\S+$", url):
            problems.append(
                Problem(
                    file,
                    _key_line(item, "url"),
                    f"{where}: 'url' は http:// か https:// で始まるアドレスにしてください",
                )
            )
            bad = True
        if not confirms:
            message = (
                f"{where}: 'confirms' に、このページで確かめたこと（担当課、電話番号、手数料など）を書いてください"
            )
            problems.append(Problem(file, _key_line(item, "confirms"), message))
            bad = True
        if checked is None or not isinstance(checked, dt.date) or isinstance(checked, dt.datetime):
            message = (
                "'checked' に、ページを確かめた日を 2026-12-04 のように書いてください"
                if checked is None or isinstance(checked, dt.datetime)
                else _date_message("checked", checked, "2026-12-04")
            )
            problems.append(Problem(file, _key_line(item, "checked"), f"{where}: {message}"))
            bad = True
        if bad:
            continue
        assert url and confirms and isinstance(checked, dt.date)
        lines[f"sources.{len(found)}"] = line
        lines[f"sources.{len(found)}.checked"] = _key_line(item, "checked")
        found.append(Source(url=url, confirms=confirms, checked=checked))
    return found, lines


def _string_list(raw: dict[str, Any], key: str, file: str, problems: list[Problem]) -> list[str]:
    value = raw.get(key)
    if value is None:
        return []
    if isinstance(value, str):  # one item written without the list dash: accept it, it is unambiguous
        value = [value]
    if not isinstance(value, list):
        problems.append(Problem(file, _key_line(raw, key), f"'{key}' は「- 値」のリストで書いてください"))
        return []
    lines = _item_lines(raw, key)
    items = []
    for index, item in enumerate(value):
        line = lines[index] if index < len(lines) else _key_line(raw, key)
        if isinstance(item, (dict, list)) or item is None or not str(item).strip():
            problems.append(Problem(file, line, f"'{key}' の {index + 1} 番目が空か、文章になっていません"))
            continue
        items.append(str(item).strip())
    return items


def _translations(
    raw: dict[str, Any], file: str, problems: list[Problem]
) -> tuple[dict[str, Translation], dict[str, int]]:
    value = raw.get("translations")
    if value is None:
        return {}, {}
    if not isinstance(value, dict):
        problems.append(
            Problem(file, _key_line(raw, "translations"), "'translations' は言語ごとに書いてください（例: en:）")
        )
        return {}, {}
    found: dict[str, Translation] = {}
    lines: dict[str, int] = {}
    for lang, translation in _fields(value).items():
        line = _key_line(value, lang)
        if lang not in TRANSLATION_LANGUAGES:
            allowed = ", ".join(TRANSLATION_LANGUAGES)
            problems.append(Problem(file, line, f"翻訳の言語 '{lang}' は使えません（使える言語: {allowed}）"))
            continue
        if not isinstance(translation, dict):
            problems.append(Problem(file, line, f"翻訳 '{lang}' には question と answer を書いてください"))
            continue
        for key, n in translation.get(_DUPLICATE_KEYS, []):
            problems.append(Problem(file, n, f"'{key}' が2回書かれています（あとの方だけが使われます）"))
        question, answer = _text(translation, "question"), _text(translation, "answer")
        if not question or not answer:
            missing = ", ".join(k for k, v in (("question", question), ("answer", answer)) if not v)
            problems.append(Problem(file, line, f"翻訳 '{lang}' に必須の項目がありません: {missing}"))
            continue
        extra = [k for k in _fields(translation) if k not in ("question", "answer", "paraphrases")]
        for key in extra:
            problems.append(
                Problem(file, _key_line(translation, key), f"翻訳 '{lang}' の知らない項目 '{key}' です", "warning")
            )
        paraphrases = _string_list(translation, "paraphrases", file, problems)
        found[lang] = Translation(question=question, answer=answer, paraphrases=tuple(paraphrases))
        lines[f"translations.{lang}"] = line
        lines[f"translations.{lang}.question"] = _key_line(translation, "question")
        lines |= {
            f"translations.{lang}.paraphrases.{i}": n for i, n in enumerate(_item_lines(translation, "paraphrases"))
        }
    return found, lines
