"""Download the national files from GSI (国土地理院), check them, and only then replace the local copies.

Official files (page: https://hinanmap.gsi.go.jp/hinanjocp/hinanbasho/koukaidate.html):
    {base}/mergeFromCity_2.csv   指定緊急避難場所 (emergency sites; yes, the numbers look swapped)
    {base}/mergeFromCity_1.csv   指定避難所 (shelters)
The base URL is configurable (GSI_DATA_BASE_URL or --base-url), and a response may be the CSV itself or a zip
holding it (the download page hands out zips). A download that is not a valid file of the expected kind (an
error page, a truncated file) never replaces a good local copy.
"""

from __future__ import annotations

import io
import os
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.shelters.gsi_csv import FileKind, Problem, parse_file
from settings import ShelterSettings

OFFICIAL_BASE_URL = "https://hinanmap.gsi.go.jp/hinanjocp/defaultFtpData/csv"
OFFICIAL_FILE_NAMES = {FileKind.EMERGENCY_SITES: "mergeFromCity_2.csv", FileKind.SHELTERS: "mergeFromCity_1.csv"}
MAX_BYTES = 300 * 1024 * 1024  # the national CSVs are ~20 MB each; anything this big is not them
TIMEOUT_S = 120.0


class DownloadError(Exception):
    pass


@dataclass(frozen=True)
class Downloaded:
    kind: FileKind
    url: str
    path: Path
    rows: int
    problems: list[Problem]


def base_url_from_env() -> str:
    return ShelterSettings().gsi_data_base_url


def _fetch(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "joso-citizen-chatbot (shelter data update)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DownloadError(f"{url}: 接続できません ({exc})") from exc
    if len(body) > MAX_BYTES:
        raise DownloadError(f"{url}: {MAX_BYTES // (1024 * 1024)} MB を超えています")
    return body


def _csv_bytes(body: bytes, expected_name: str, url: str) -> bytes:
    """The CSV itself, taken out of a zip when the response is one."""
    if not body.startswith(b"PK"):
        return body
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            chosen = next((n for n in names if Path(n).name == expected_name), None)
            if chosen is None and len(names) == 1:
                chosen = names[0]
            if chosen is None:
                raise DownloadError(
                    f"{url}: zip の中に {expected_name} がありません（CSV: {', '.join(names) or 'なし'}）"
                )
            return archive.read(chosen)
    except zipfile.BadZipFile as exc:
        raise DownloadError(f"{url}: zip が壊れています ({exc})") from exc


def download_national(
    out_dir: Path,
    base_url: str | None = None,
    file_names: dict[FileKind, str] | None = None,
    timeout: float = TIMEOUT_S,
) -> list[Downloaded]:
    """Fetch both files, check each, then move them into out_dir (both or neither)."""
    base = (base_url or base_url_from_env()).rstrip("/")
    names = file_names or OFFICIAL_FILE_NAMES
    out_dir.mkdir(parents=True, exist_ok=True)
    temporary: list[Path] = []
    checked: list[tuple[Path, Downloaded]] = []
    try:
        for kind in (FileKind.EMERGENCY_SITES, FileKind.SHELTERS):
            name = names[kind]
            url = f"{base}/{name}"
            target = out_dir / Path(name).with_suffix(".csv").name
            data = _csv_bytes(_fetch(url, timeout), target.name, url)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".csv", dir=out_dir)
            tmp = Path(tmp_name)
            temporary.append(tmp)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            parsed = parse_file(tmp, kind)
            if not parsed.usable or not parsed.rows:
                reasons = "; ".join(p.reason for p in parsed.problems[:3]) or "有効な行がありません"
                raise DownloadError(f"{url}: {kind.label}のファイルとして使えません: {reasons}")
            problems = [Problem(str(target), p.line, p.reason, p.severity) for p in parsed.problems]
            checked.append((tmp, Downloaded(kind, url, target, len(parsed.rows), problems)))
        # Both files are good: only now replace the local copies.
        for tmp, downloaded in checked:
            os.replace(tmp, downloaded.path)
        return [downloaded for _, downloaded in checked]
    finally:
        for tmp in temporary:
            tmp.unlink(missing_ok=True)
