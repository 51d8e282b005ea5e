"""Cut one municipality out of the national files into per-municipality files of the official layout.

The national files (mergeFromCity_2.csv = 指定緊急避難場所, mergeFromCity_1.csv = 指定避難所) hold every
municipality of Japan. A municipality is chosen by its 5-digit code (the 2nd-6th characters of 共通ID; a
6-digit code with its check digit is accepted too) or by its name as in the column 都道府県名及び市町村名
(茨城県常総市, or just 常総市 when only one municipality has that name). Rows are copied as they are, even ones
the loader will refuse, so that nothing is silently dropped; the problems are reported.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from knowledge_base.shelters.gsi_csv import (
    OFFICIAL_HEADERS,
    FileKind,
    Problem,
    RawTable,
    canonical_field,
    parse_file,
    read_table,
)


class MunicipalityImportError(Exception):
    """The request cannot be carried out (unknown or ambiguous municipality, unreadable file)."""


@dataclass(frozen=True)
class Selector:
    code: str | None = None
    name: str | None = None

    @classmethod
    def parse(cls, text: str) -> Selector:
        text = unicodedata.normalize("NFKC", text).strip()
        if re.fullmatch(r"\d{5}", text):
            return cls(code=text)
        if re.fullmatch(r"\d{6}", text):
            return cls(code=text[:5])  # the 6th digit is the check digit
        if not text:
            raise MunicipalityImportError("市町村名か市町村コードを指定してください")
        return cls(name=text)


@dataclass
class ImportResult:
    municipality: str  # the name as in the data (or the code when the data has no name column)
    code: str | None
    files: dict[FileKind, Path] = field(default_factory=dict)
    rows: dict[FileKind, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _code_of(values: dict[str, str]) -> str | None:
    site_id = unicodedata.normalize("NFKC", values.get("id", "")).strip()
    return site_id[1:6] if re.match(r"^E\d{5}", site_id) else None


def _resolve(selector: Selector, tables: list[RawTable]) -> tuple[str | None, str | None]:
    """(code, name) of the municipality the selector means, from what the files hold."""
    names: dict[str, set[str]] = {}  # name -> codes seen with it
    for table in tables:
        for _, values in table.records:
            name = unicodedata.normalize("NFKC", values.get("municipality", "")).strip()
            if name:
                names.setdefault(name, set()).update(filter(None, [_code_of(values)]))
    if selector.code is not None:
        matching = sorted(n for n, codes in names.items() if selector.code in codes)
        if not matching and not any(_code_of(v) == selector.code for t in tables for _, v in t.records):
            raise MunicipalityImportError(f"市町村コード {selector.code} の行がありません")
        return selector.code, (matching[0] if matching else None)
    assert selector.name is not None
    exact = [n for n in names if n == selector.name]
    matches = exact or sorted(n for n in names if n.endswith(selector.name))
    if not names:
        raise MunicipalityImportError(
            "ファイルに「都道府県名及び市町村名」の列がありません。市町村コード（5桁）で指定してください"
        )
    if not matches:
        raise MunicipalityImportError(f"「{selector.name}」という市町村の行がありません")
    if len(matches) > 1:
        raise MunicipalityImportError(
            f"「{selector.name}」に当てはまる市町村が複数あります: {'、'.join(matches)}。県名から指定してください"
        )
    codes = names[matches[0]]
    return (next(iter(codes)) if len(codes) == 1 else None), matches[0]


def _belongs(values: dict[str, str], code: str | None, name: str | None) -> bool:
    row_name = unicodedata.normalize("NFKC", values.get("municipality", "")).strip()
    if name is not None and row_name:
        return row_name == name
    return code is not None and _code_of(values) == code


def _mentions(values: list[str], code: str | None, name: str | None) -> bool:
    return any((name and v.strip() == name) or (code and v.strip().startswith(f"E{code}")) for v in values)


def _write(path: Path, kind: FileKind, rows: list[dict[str, str]]) -> None:
    """Write atomically, in the official per-municipality column order (UTF-8 with BOM, like the originals)."""
    headers = OFFICIAL_HEADERS[kind]
    canonical = [canonical_field(h) for h in headers]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(headers)
            for values in rows:
                writer.writerow([values.get(c, "") for c in canonical])
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def import_municipality(municipality: str, emergency_sites: Path, shelters: Path | None, out_dir: Path) -> ImportResult:
    selector = Selector.parse(municipality)
    sources = {FileKind.EMERGENCY_SITES: emergency_sites}
    if shelters is not None:
        sources[FileKind.SHELTERS] = shelters
    tables = {kind: read_table(Path(path)) for kind, path in sources.items()}
    for table in tables.values():
        if not table.readable:
            raise MunicipalityImportError("; ".join(str(p) for p in table.problems))
    code, name = _resolve(selector, list(tables.values()))
    result = ImportResult(municipality=name or code or municipality, code=code)
    stem = code or re.sub(r"[^\w]", "_", name or "municipality")
    for kind, table in tables.items():
        rows = [values for _, values in table.records if _belongs(values, code, name)]
        target = out_dir / f"{stem}_{kind.value}.csv"
        _write(target, kind, rows)
        result.files[kind] = target
        result.rows[kind] = len(rows)
        # Records of this municipality the national file itself garbled (wrong number of values) are not
        # copied: say which, so staff can fix them by hand.
        mine = {line for line, values in table.rejected if _mentions(values, code, name)}
        result.problems.extend(p for p in table.problems if p.line <= 1 or p.line in mine)
        result.problems.extend(parse_file(target, kind).problems)
    return result
