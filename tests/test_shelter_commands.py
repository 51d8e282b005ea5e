"""Staff commands for shelters: import one municipality from the national files, download them (from a local
HTTP server), and opening status in PostgreSQL (python -m knowledge_base.shelters ...)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import psycopg
import pytest

from knowledge_base.shelters.download import DownloadError, download_national
from knowledge_base.shelters.gsi_csv import FileKind, parse_file
from knowledge_base.shelters.importer import MunicipalityImportError, import_municipality
from knowledge_base.shelters.registry import load_registry
from knowledge_base.shelters.status import Status, all_statuses, reset_statuses, set_status
from scripts.stack import ROOT, app_env
from tests.shelter_support import joso_files, serve_directory
from tests.test_shelter_csv import write


def national_from(per_municipality: Path, name: str, others: list[list[str]]) -> str:
    """A national-layout file (NO and 都道府県名及び市町村名 added) from a per-municipality one, plus other rows."""
    rows = list(csv.reader(io.StringIO(per_municipality.read_text(encoding="utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["NO", header[0], "都道府県名及び市町村名", *header[1:]])
    number = 0
    for other in others[:1]:
        number += 1
        writer.writerow([number, other[0], other[1], *other[2:]])
    for row in body:
        number += 1
        writer.writerow([number, row[0], name, *row[1:]])
    for other in others[1:]:
        number += 1
        writer.writerow([number, other[0], other[1], *other[2:]])
    return out.getvalue()


OTHER_SITES = [
    # 共通ID, 都道府県名及び市町村名, then the per-municipality columns; a quoted newline in a name
    [
        "E1310100001201",
        "東京都千代田区",
        "日比谷\n公園",
        "東京都千代田区日比谷公園",
        "",
        "",
        "",
        "1",
        "",
        "1",
        "",
        "",
        "",
        "35.6736",
        "139.7560",
        "",
    ],
    [
        "E4720100001201",
        "沖縄県那覇市",
        "那覇公園",
        "沖縄県那覇市",
        "1",
        "",
        "",
        "1",
        "1",
        "",
        "",
        "",
        "",
        "26.2124",
        "127.6792",
        "",
    ],
    [
        "E1340100001201",
        "東京都府中市",
        "府中公園",
        "東京都府中市",
        "",
        "",
        "",
        "1",
        "",
        "",
        "",
        "",
        "",
        "35.67",
        "139.48",
        "",
    ],
    [
        "E3420800001201",
        "広島県府中市",
        "府中広場",
        "広島県府中市",
        "",
        "",
        "",
        "1",
        "",
        "",
        "",
        "",
        "",
        "34.57",
        "133.24",
        "",
    ],
]
OTHER_SHELTERS = [
    ["E1310100001111", "東京都千代田区", "千代田小学校", "東京都千代田区", "", "", "", "35.69", "139.75", ""],
]


@pytest.fixture
def national_files(tmp_path: Path) -> tuple[Path, Path]:
    emergency, shelters = joso_files()
    national = tmp_path / "national"
    national.mkdir()
    sites = write(national / "mergeFromCity_2.csv", national_from(emergency, "茨城県常総市", OTHER_SITES))
    stays = write(national / "mergeFromCity_1.csv", national_from(shelters, "茨城県常総市", OTHER_SHELTERS))
    return sites, stays


@pytest.mark.parametrize("municipality", ["常総市", "茨城県常総市", "08211", "082112"])
def test_import_cuts_joso_out_of_the_national_files(
    national_files: tuple[Path, Path], tmp_path: Path, municipality: str
) -> None:
    sites, stays = national_files
    result = import_municipality(municipality, sites, stays, tmp_path / "out")
    assert result.code == "08211" and result.municipality == "茨城県常総市"
    assert result.rows == {FileKind.EMERGENCY_SITES: 24, FileKind.SHELTERS: 31}
    assert result.problems == []
    # The per-municipality files load exactly like the official per-municipality ones.
    imported = load_registry(result.files[FileKind.EMERGENCY_SITES], result.files[FileKind.SHELTERS])
    original = load_registry(*joso_files())
    assert sorted((p.id, p.name, p.hazards, p.latitude) for p in imported.places) == sorted(
        (p.id, p.name, p.hazards, p.latitude) for p in original.places
    )
    assert result.files[FileKind.EMERGENCY_SITES].read_bytes().startswith(b"\xef\xbb\xbf")
    assert not parse_file(result.files[FileKind.EMERGENCY_SITES], FileKind.EMERGENCY_SITES).national


def test_import_refuses_unknown_or_ambiguous_municipalities(national_files: tuple[Path, Path], tmp_path: Path) -> None:
    sites, stays = national_files
    with pytest.raises(MunicipalityImportError, match="複数") as ambiguous:
        import_municipality("府中市", sites, stays, tmp_path)
    assert "東京都府中市" in str(ambiguous.value) and "広島県府中市" in str(ambiguous.value)
    with pytest.raises(MunicipalityImportError, match="行がありません"):
        import_municipality("存在市", sites, stays, tmp_path)
    with pytest.raises(MunicipalityImportError, match="99999"):
        import_municipality("99999", sites, stays, tmp_path)
    assert list(tmp_path.glob("*.csv")) == []
    # The other municipality keeps its quoted newline.
    chiyoda = import_municipality("千代田区", sites, stays, tmp_path / "chiyoda")
    rows = parse_file(chiyoda.files[FileKind.EMERGENCY_SITES], FileKind.EMERGENCY_SITES).rows
    assert [r.name for r in rows] == ["日比谷 公園"]


def test_import_reports_garbled_rows_of_the_municipality_by_their_national_line(tmp_path: Path) -> None:
    sites = write(
        tmp_path / "national.csv",
        "NO,共通ID,都道府県名及び市町村名,施設・場所名,住所,洪水,崖崩れ、土石流及び地滑り,高潮,地震,津波,大規模な火事,"
        "内水氾濫,火山現象,指定避難所との住所同一,緯度,経度,備考\n"
        "1,E0821100001201,茨城県常総市,良い,茨城県常総市A1,1,,,,,,,,,36.05,139.95,\n"
        "2,E0821100002201,茨城県常総市,カンマ,入り,茨城県常総市B2,1,,,,,,,,,36.06,139.96,\n"
        "3,E1310100001201,東京都千代田区,ずれ,た,行,,,,1,,,,,,35.6,139.7,\n"
        "4,E0821100003201,茨城県常総市,旗なし,茨城県常総市C3,,,,,,,,,,36.07,139.97,\n",
    )
    result = import_municipality("08211", sites, None, tmp_path / "out")
    assert result.rows == {FileKind.EMERGENCY_SITES: 2}
    reported = {(Path(p.file).name, p.line) for p in result.problems}
    # Line 3 of the national file is Joso's and garbled; line 4 (Tokyo's) is not our business.
    assert ("national.csv", 3) in reported and ("national.csv", 4) not in reported
    # The flagless row was copied (nothing silently dropped) and the loader reports it in the new file.
    assert any(Path(p.file).name == "08211_emergency_sites.csv" and "1つも" in p.reason for p in result.problems)


def zipped(path: Path, inner_name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("注意事項.txt", "readme")
        archive.writestr(inner_name, path.read_bytes())
    return buffer.getvalue()


def test_download_accepts_csv_or_zip_and_never_replaces_good_files_with_a_bad_download(
    national_files: tuple[Path, Path], tmp_path: Path
) -> None:
    sites, stays = national_files
    served = tmp_path / "served"
    served.mkdir()
    (served / "mergeFromCity_2.csv").write_bytes(zipped(sites, "mergeFromCity_2.csv"))  # a zip under a .csv name
    (served / "mergeFromCity_1.csv").write_bytes(stays.read_bytes())
    out = tmp_path / "downloaded"
    with serve_directory(served) as base_url:
        results = download_national(out, base_url=base_url + "/")
        assert [(r.kind, r.rows) for r in results] == [(FileKind.EMERGENCY_SITES, 28), (FileKind.SHELTERS, 32)]
        assert (out / "mergeFromCity_2.csv").read_bytes() == sites.read_bytes()
        good = (out / "mergeFromCity_1.csv").read_bytes()

        # An error page instead of the shelters file: nothing is replaced, and no temporary file is left.
        (served / "mergeFromCity_1.csv").write_text("<html>メンテナンス中</html>", encoding="utf-8")
        with pytest.raises(DownloadError, match="指定避難所のファイルとして使えません"):
            download_national(out, base_url=base_url)
        assert (out / "mergeFromCity_1.csv").read_bytes() == good
        assert sorted(p.name for p in out.iterdir()) == ["mergeFromCity_1.csv", "mergeFromCity_2.csv"]

        (served / "mergeFromCity_2.csv").unlink()
        with pytest.raises(DownloadError, match="HTTP 404"):
            download_national(out, base_url=base_url)


def run_command(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "knowledge_base.shelters", *args],
        cwd=ROOT,
        env=app_env(env or {}),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_download_command_against_a_local_server(national_files: tuple[Path, Path], tmp_path: Path) -> None:
    sites, stays = national_files
    served = tmp_path / "served"
    served.mkdir()
    (served / "mergeFromCity_2.csv").write_bytes(sites.read_bytes())
    (served / "mergeFromCity_1.csv").write_bytes(zipped(stays, "mergeFromCity_1.csv"))
    with serve_directory(served) as base_url:
        done = run_command("download", "--out", str(tmp_path / "dl"), env={"GSI_DATA_BASE_URL": base_url})
    assert done.returncode == 0, done.stderr
    assert "指定緊急避難場所: 28 行" in done.stdout and "指定避難所: 32 行" in done.stdout
    imported = run_command(
        "import",
        "常総市",
        "--emergency",
        str(tmp_path / "dl" / "mergeFromCity_2.csv"),
        "--shelters",
        str(tmp_path / "dl" / "mergeFromCity_1.csv"),
        "--out",
        str(tmp_path / "joso"),
    )
    assert imported.returncode == 0, imported.stderr
    assert f"EMERGENCY_SITES_CSV={tmp_path / 'joso' / '08211_emergency_sites.csv'}" in imported.stdout
    env = {
        "EMERGENCY_SITES_CSV": str(tmp_path / "joso" / "08211_emergency_sites.csv"),
        "SHELTERS_CSV": str(tmp_path / "joso" / "08211_shelters.csv"),
    }
    checked = run_command("check", env=env)
    assert checked.returncode == 0 and "洪水: 9" in checked.stdout


def test_status_is_stored_logged_and_reset_in_postgresql(database_url: str) -> None:
    set_status("E0821100016201", Status.OPEN, "test")
    set_status("E0821100016201", Status.FULL, "test")
    set_status("E0821100027201", Status.OPEN, "test")
    assert {(r.place_id, r.status) for r in all_statuses()} == {
        ("E0821100016201", Status.FULL),
        ("E0821100027201", Status.OPEN),
    }
    assert reset_statuses("test") == 2
    assert all_statuses() == []
    with psycopg.connect(database_url) as conn:
        log = conn.execute("SELECT place_id, status FROM shelter_status_log ORDER BY id").fetchall()
    assert log == [
        ("E0821100016201", "open"),
        ("E0821100016201", "full"),
        ("E0821100027201", "open"),
        ("E0821100016201", "closed"),
        ("E0821100027201", "closed"),
    ]


def test_status_command_resolves_ids_and_names_and_survives_new_processes(database_url: str) -> None:
    emergency, shelters = joso_files()
    env = {"DATABASE_URL": database_url, "EMERGENCY_SITES_CSV": str(emergency), "SHELTERS_CSV": str(shelters)}
    # The shelter row's ID and the name both mean the joined place.
    assert run_command("status", "set", "E0821100016111", "開設", env=env).returncode == 0
    assert run_command("status", "set", "豊岡小学校", "満員", env=env).returncode == 0
    listed = run_command("status", "list", env=env)
    assert "E0821100016201\t水海道小学校\t開設" in listed.stdout
    assert "E0821100027201\t豊岡小学校\t満員" in listed.stdout
    bad = run_command("status", "set", "水海道小学校", "たぶん", env=env)
    assert bad.returncode == 2 and "未開設・開設・満員" in bad.stderr
    unknown = run_command("status", "set", "どこか", "開設", env=env)
    assert unknown.returncode == 2 and "データにありません" in unknown.stderr
    # Nearest first, the full one marked; in disaster mode the open one first and the full one pushed back.
    near = run_command("nearest", "36.017", "139.985", "--hazard", "洪水", env=env).stdout.splitlines()
    assert [line.split()[2] for line in near[1:]] == ["水海道小学校", "水海道第一高等学校", "豊岡小学校"]
    assert "豊岡小学校\t満員" in near[3]
    disaster = run_command("nearest", "36.017", "139.985", "--hazard", "洪水", "--disaster", env=env).stdout
    assert "水海道小学校\t開設" in disaster.splitlines()[1] and "豊岡小学校" not in disaster


def test_status_command_says_when_the_database_is_down() -> None:
    done = run_command("status", "list", env={"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none"})
    assert done.returncode == 1 and "データベースに接続できません" in done.stderr
    assert os.environ.get("DATABASE_URL") != "postgresql://postgres@127.0.0.1:1/none"
