"""Read the official GSI CSV files (国土地理院「指定緊急避難場所・指定避難所データ」).

Two files, two layouts each:
- 指定緊急避難場所 (emergency sites: where to flee, with 8 hazard flags) and 指定避難所 (shelters: where to stay,
  including 福祉避難所 rows whose 受入対象者 is filled in);
- per municipality, or national (mergeFromCity_2.csv = emergency sites, mergeFromCity_1.csv = shelters), which adds
  `NO` and `都道府県名及び市町村名` columns.

Columns are found by name (order and extra columns do not matter); values may hold quoted newlines, so only a real
CSV reader is used. Every problem is reported as `file:line: reason` (the physical line where the record starts)
and the rest of the file is still loaded.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from knowledge_base.shelters.geo import inside_japan
from knowledge_base.shelters.hazards import Hazard


class FileKind(StrEnum):
    EMERGENCY_SITES = "emergency_sites"  # 指定緊急避難場所
    SHELTERS = "shelters"  # 指定避難所

    @property
    def label(self) -> str:
        return "指定緊急避難場所" if self is FileKind.EMERGENCY_SITES else "指定避難所"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    reason: str
    severity: str = "error"  # "error": the row (or file) is not loaded; "warning": loaded anyway

    def __str__(self) -> str:
        prefix = "注意: " if self.severity == "warning" else ""
        return f"{self.file}:{self.line}: {prefix}{self.reason}"


@dataclass(frozen=True)
class SiteRow:
    """One valid row of either file."""

    kind: FileKind
    id: str  # 共通ID
    name: str
    address: str
    latitude: float
    longitude: float
    hazards: frozenset[Hazard]  # empty for shelter rows (the shelter file has no hazard flags)
    welfare: bool  # 福祉避難所 (shelter rows only)
    accepted: str  # 受入対象者, as written
    municipality: str  # 都道府県名及び市町村名 (national layout) or ""
    note: str
    file: str
    line: int

    @property
    def municipality_code(self) -> str | None:
        """The 5-digit municipality code inside a well-formed 共通ID."""
        return self.id[1:6] if ID_PATTERN.match(self.id) else None

    @property
    def facility_key(self) -> str | None:
        """E + municipality code + facility number: what the two files share for one place."""
        return self.id[:11] if ID_PATTERN.match(self.id) else None


# E + 5-digit municipality code + 5-digit facility number + type (1 shelter, 2 emergency site)
# + subtype (0 emergency site, 1 general, 2 welfare shelter) + a sequence character.
ID_PATTERN = re.compile(r"^E\d{5}\d{5}[12][0-2][0-9A-Za-z]$")


# Canonical field names, keyed by the header normalised with _header_key().
_FIELDS = {
    "no": "number",
    "共通id": "id",
    "都道府県名及び市町村名": "municipality",
    "施設場所名": "name",
    "住所": "address",
    "指定避難所との住所同一": "same_address",
    "指定緊急避難場所との住所同一": "same_address",
    "その他市町村長が必要と認める事項": "other",
    "受入対象者": "accepted",
    "緯度": "latitude",
    "経度": "longitude",
    "備考": "note",
}
_HAZARD_FIELDS = {f"hazard:{h.value}": h for h in Hazard}


def _header_key(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).strip().lower()
    return re.sub(r"[、,・\s]", "", name)


def canonical_field(header: str) -> str | None:
    """The field a column header means ("id", "hazard:flood", ...), tolerant of width and punctuation."""
    return _FIELDS.get(_header_key(header))


for _hazard in Hazard:
    _FIELDS[_header_key(_hazard.column)] = f"hazard:{_hazard.value}"

REQUIRED = {
    FileKind.EMERGENCY_SITES: ["id", "name", "address", *_HAZARD_FIELDS, "latitude", "longitude"],
    FileKind.SHELTERS: ["id", "name", "address", "latitude", "longitude"],
}

# The official per-municipality column order, used when writing files.
OFFICIAL_HEADERS = {
    FileKind.EMERGENCY_SITES: [
        "共通ID",
        "施設・場所名",
        "住所",
        *(h.column for h in Hazard),
        "指定避難所との住所同一",
        "緯度",
        "経度",
        "備考",
    ],
    FileKind.SHELTERS: [
        "共通ID",
        "施設・場所名",
        "住所",
        "指定緊急避難場所との住所同一",
        "その他市町村長が必要と認める事項",
        "受入対象者",
        "緯度",
        "経度",
        "備考",
    ],
}


@dataclass
class RawTable:
    """A CSV file as records of canonical fields, before any value is checked."""

    path: Path
    header: list[str] = field(default_factory=list)
    fields: list[str | None] = field(default_factory=list)  # canonical name per column, None when unknown
    records: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line, canonical field -> value)
    rejected: list[tuple[int, list[str]]] = field(default_factory=list)  # records of the wrong width, as read
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True

    @property
    def name(self) -> str:
        return str(self.path)

    def has(self, canonical: str) -> bool:
        return canonical in self.fields


def _open_text(path: Path) -> tuple[str, str | None]:
    """The file's text and a warning when it was not UTF-8 (older GSI files were Shift_JIS)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode(
            "cp932"
        ), "文字コードが UTF-8 ではなく Shift_JIS でした（読み込みはしました）。UTF-8 で保存し直してください"
    except UnicodeDecodeError:
        raise ValueError("文字コードが UTF-8 でも Shift_JIS でもありません") from None


class _Records:
    """(first physical line, values) for each non-empty CSV record; quoted newlines stay inside values."""

    def __init__(self, text: str) -> None:
        self._reader = csv.reader(io.StringIO(text, newline=""))
        self.last_line = 0

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        for values in self._reader:
            start = self.last_line + 1
            self.last_line = self._reader.line_num
            if values and any(v.strip() for v in values):
                yield start, values


def read_table(path: Path) -> RawTable:
    table = RawTable(path=path)
    try:
        text, warning = _open_text(path)
    except FileNotFoundError:
        table.problems.append(Problem(str(path), 0, "ファイルがありません"))
        table.readable = False
        return table
    except (OSError, ValueError) as exc:
        table.problems.append(Problem(str(path), 0, f"読めません: {exc}"))
        table.readable = False
        return table
    if warning:
        table.problems.append(Problem(str(path), 1, warning, "warning"))
    text = text.lstrip("\ufeff")  # a second BOM left by a tool that added one to a file that had one
    records = _Records(text)
    rows = iter(records)
    try:
        header_line, header = next(rows)
    except StopIteration:
        table.problems.append(Problem(str(path), 1, "空のファイルです"))
        table.readable = False
        return table
    except csv.Error as exc:
        table.problems.append(Problem(str(path), 1, f"CSV として読めません: {exc}"))
        table.readable = False
        return table
    table.header = [h.strip() for h in header]
    table.fields = [canonical_field(h) for h in table.header]
    seen: dict[str, str] = {}
    for name, canonical in zip(table.header, table.fields, strict=True):
        if canonical is None:
            continue
        if canonical in seen:
            table.problems.append(
                Problem(str(path), header_line, f"列「{name}」が2回あります（「{seen[canonical]}」）")
            )
            table.readable = False
        seen[canonical] = name
    width = len(table.header)
    try:
        for line, values in rows:
            if len(values) > width:
                table.problems.append(
                    Problem(
                        str(path),
                        line,
                        f"値が {len(values)} 個あり、見出しの {width} 列より多いです"
                        "（カンマを含む値が引用符で囲まれていない可能性があります）",
                    )
                )
                table.rejected.append((line, values))
                continue
            if len(values) < width:
                table.problems.append(
                    Problem(str(path), line, f"値が {len(values)} 個しかなく、見出しは {width} 列です")
                )
                table.rejected.append((line, values))
                continue
            row = {canonical: values[i].strip() for i, canonical in enumerate(table.fields) if canonical is not None}
            table.records.append((line, row))
    except csv.Error as exc:
        # A broken quote swallows the rest of the file: say where, keep what was read.
        table.problems.append(Problem(str(path), records.last_line + 1, f"CSV として読めません: {exc}"))
    return table


def _flag(value: str) -> bool | None:
    """A designation flag: "1" (or a circle) or empty; None when it is neither."""
    value = unicodedata.normalize("NFKC", value).strip()
    if value in ("", "0"):
        return False
    if value in ("1", "○", "◯", "〇"):
        return True
    return None


def _coordinate(value: str) -> float | None:
    value = unicodedata.normalize("NFKC", value).strip()
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _check_kind(table: RawTable, expected: FileKind) -> Problem | None:
    has_hazards = any(table.has(f) for f in _HAZARD_FIELDS)
    if expected is FileKind.EMERGENCY_SITES and not has_hazards and table.has("accepted"):
        return Problem(
            table.name,
            1,
            "これは指定避難所のファイルのようです（洪水などの災害種別の列がありません）。"
            "指定緊急避難場所のファイル（全国版では mergeFromCity_2.csv）を指定してください",
        )
    if expected is FileKind.SHELTERS and has_hazards:
        return Problem(
            table.name,
            1,
            "これは指定緊急避難場所のファイルのようです（災害種別の列があります）。"
            "指定避難所のファイル（全国版では mergeFromCity_1.csv）を指定してください",
        )
    missing = [f for f in REQUIRED[expected] if not table.has(f)]
    if missing:
        names = "、".join(_display_name(f) for f in missing)
        unknown = [h for h, f in zip(table.header, table.fields, strict=True) if f is None]
        hint = f"（知らない列: {'、'.join(unknown)}）" if unknown else ""
        return Problem(table.name, 1, f"{expected.label}のファイルに必要な列がありません: {names}{hint}")
    return None


def _display_name(canonical: str) -> str:
    if canonical in _HAZARD_FIELDS:
        return _HAZARD_FIELDS[canonical].column
    names = {
        "id": "共通ID",
        "name": "施設・場所名",
        "address": "住所",
        "latitude": "緯度",
        "longitude": "経度",
    }
    return names.get(canonical, canonical)


@dataclass
class ParsedFile:
    kind: FileKind
    path: Path
    rows: list[SiteRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    national: bool = False  # has the 都道府県名及び市町村名 column
    usable: bool = True  # False when the file as a whole could not be used (missing, unreadable, wrong kind)


def parse_file(path: Path | str, kind: FileKind) -> ParsedFile:
    path = Path(path)
    table = read_table(path)
    parsed = ParsedFile(kind=kind, path=path, problems=list(table.problems), national=table.has("municipality"))
    if not table.readable:
        parsed.usable = False
        return parsed
    wrong = _check_kind(table, kind)
    if wrong is not None:
        parsed.problems.append(wrong)
        parsed.usable = False
        return parsed
    first_line_of: dict[str, int] = {}
    for line, values in table.records:
        row, problems = _parse_row(table.name, line, values, kind)
        parsed.problems.extend(problems)
        if row is None:
            continue
        if row.id in first_line_of:
            parsed.problems.append(
                Problem(table.name, line, f"共通ID {row.id} が {first_line_of[row.id]} 行目と重複しています")
            )
            continue
        first_line_of[row.id] = line
        parsed.rows.append(row)
    return parsed


def _parse_row(file: str, line: int, values: dict[str, str], kind: FileKind) -> tuple[SiteRow | None, list[Problem]]:
    problems: list[Problem] = []

    def error(reason: str) -> tuple[None, list[Problem]]:
        return None, [*problems, Problem(file, line, reason)]

    def warn(reason: str) -> None:
        problems.append(Problem(file, line, reason, "warning"))

    site_id = unicodedata.normalize("NFKC", values["id"]).strip()
    name = values["name"].strip()
    if not site_id:
        return error("共通ID が空です")
    if not name:
        return error(f"施設・場所名が空です（{site_id}）")
    if not ID_PATTERN.match(site_id):
        warn(f"共通ID {site_id} が決まった形（E＋14文字）ではありません（施設番号での結び付けはしません）")
    elif kind is FileKind.EMERGENCY_SITES and site_id[11] != "2":
        warn(f"共通ID {site_id} の種別（12文字目）が指定緊急避難場所の 2 ではありません")
    elif kind is FileKind.SHELTERS and site_id[11] != "1":
        warn(f"共通ID {site_id} の種別（12文字目）が指定避難所の 1 ではありません")
    latitude, longitude = _coordinate(values["latitude"]), _coordinate(values["longitude"])
    if latitude is None or longitude is None:
        return error(f"緯度・経度が数値ではありません（{name}: 「{values['latitude']}」「{values['longitude']}」）")
    if not inside_japan(latitude, longitude):
        if inside_japan(longitude, latitude):
            return error(f"緯度と経度が入れ替わっているようです（{name}: {latitude}, {longitude}）")
        return error(f"位置が日本の外です（{name}: 緯度 {latitude}, 経度 {longitude}）")
    address = " ".join(values["address"].split())
    if not address:
        warn(f"住所が空です（{name}）")
    hazards: set[Hazard] = set()
    if kind is FileKind.EMERGENCY_SITES:
        for canonical, hazard in _HAZARD_FIELDS.items():
            flag = _flag(values[canonical])
            if flag is None:
                return error(f"「{hazard.column}」の値「{values[canonical]}」は 1 か空欄にしてください（{name}）")
            if flag:
                hazards.add(hazard)
        if not hazards:
            return error(f"災害の種別（洪水〜火山現象）が1つも指定されていません（{name}）")
    accepted = " ".join(values.get("accepted", "").split())
    welfare = kind is FileKind.SHELTERS and (bool(accepted) or (ID_PATTERN.match(site_id) and site_id[12] == "2"))
    row = SiteRow(
        kind=kind,
        id=site_id,
        name=" ".join(name.split()),
        address=address,
        latitude=latitude,
        longitude=longitude,
        hazards=frozenset(hazards),
        welfare=bool(welfare),
        accepted=accepted,
        municipality=values.get("municipality", "").strip(),
        note=" ".join(values.get("note", "").split()),
        file=file,
        line=line,
    )
    return row, problems
