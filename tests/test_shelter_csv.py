"""The official GSI CSV reader on tricky files: layouts, BOM, quoted newlines, extra columns, bad rows."""

from __future__ import annotations

from pathlib import Path

from knowledge_base.shelters.gsi_csv import FileKind, parse_file
from knowledge_base.shelters.hazards import Hazard
from tests.shelter_support import joso_files

EMERGENCY_HEADER = (
    "共通ID,施設・場所名,住所,洪水,崖崩れ、土石流及び地滑り,高潮,地震,津波,大規模な火事,内水氾濫,火山現象,"
    "指定避難所との住所同一,緯度,経度,備考"
)
NATIONAL_EMERGENCY_HEADER = (
    "NO,共通ID,都道府県名及び市町村名,施設・場所名,住所,洪水,崖崩れ、土石流及び地滑り,高潮,地震,津波,大規模な火事,"
    "内水氾濫,火山現象,指定避難所との住所同一,緯度,経度,備考"
)
SHELTER_HEADER = (
    "共通ID,施設・場所名,住所,指定緊急避難場所との住所同一,その他市町村長が必要と認める事項,受入対象者,緯度,経度,備考"
)


def write(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def problems_at(parsed, line: int) -> list[str]:
    return [p.reason for p in parsed.problems if p.line == line]


def test_the_real_joso_files_load_completely_with_the_right_flags() -> None:
    emergency, shelters = joso_files()
    sites = parse_file(emergency, FileKind.EMERGENCY_SITES)
    stays = parse_file(shelters, FileKind.SHELTERS)
    assert sites.problems == [] and stays.problems == []
    assert len(sites.rows) == 24 and len(stays.rows) == 31
    road_station = next(r for r in sites.rows if r.id == "E0821100033201")
    assert road_station.hazards == {Hazard.LANDSLIDE, Hazard.EARTHQUAKE, Hazard.FIRE}
    assert sum(Hazard.FLOOD in r.hazards for r in sites.rows) == 9
    assert {r.name for r in stays.rows if r.welfare} == {"石下総合体育館", "あすなろの里"}
    assert all(r.line >= 2 for r in sites.rows)


def test_national_layout_with_quoted_newlines_crlf_and_shuffled_extra_columns(tmp_path: Path) -> None:
    text = (
        NATIONAL_EMERGENCY_HEADER + ",独自の列\r\n"
        '1,E0821100003201,茨城県常総市,"飯沼\r\n小学校","茨城県常総市\n鴻野山859-1",1,1,,1,,1,1,,1,36.115353,139.932346,"備考に\n改行",x\r\n'
        "2,E0821100005201,茨城県常総市,絹西小学校,茨城県常総市坂手町7303-3,,,,1,,,,,1,36.00198,139.960669,,\r\n"
    )
    parsed = parse_file(write(tmp_path / "mergeFromCity_2.csv", text), FileKind.EMERGENCY_SITES)
    assert parsed.problems == []
    assert parsed.national
    first, second = parsed.rows
    # Names and addresses keep their words; the embedded newline becomes nothing (name) or a space (address).
    assert first.name == "飯沼 小学校" and first.address == "茨城県常総市 鴻野山859-1"
    assert first.municipality == "茨城県常総市"
    assert first.hazards == {Hazard.FLOOD, Hazard.LANDSLIDE, Hazard.EARTHQUAKE, Hazard.FIRE, Hazard.INLAND_FLOOD}
    # The second record starts on physical line 6 (the first spans lines 2-5: three quoted newlines).
    assert (first.line, second.line) == (2, 6)
    assert second.hazards == {Hazard.EARTHQUAKE}


def test_bad_rows_are_reported_as_file_line_reason_and_the_rest_is_loaded(tmp_path: Path) -> None:
    rows = [
        EMERGENCY_HEADER,
        "E0821100001201,良い場所,茨城県常総市向石下1020,1,,,,,,,,1,36.11822,139.949294,",  # 2: fine
        'E0821100002201,"改行のある\n名前",茨城県常総市,,,,,,,,,1,36.1,139.9,',  # 3-4: no hazard flag
        "E0821100003201,海の上,どこか,1,,,,,,,,,0,0,",  # 5: outside Japan
        "E0821100004201,逆さま,茨城県常総市,1,,,,,,,,,139.98,36.02,",  # 6: swapped
        "E0821100005201,数字でない,茨城県常総市,1,,,,,,,,,北緯36,139.9,",  # 7: not a number
        "E0821100006201,旗が変,茨城県常総市,2,,,,,,,,,36.0,139.9,",  # 8: bad flag value
        "E0821100001201,重複,茨城県常総市,1,,,,,,,,,36.0,139.9,",  # 9: duplicate ID
        "E0821100007201,短い行,茨城県常総市,1,,,",  # 10: too few values
        "E0821100008201,カンマ,入り,茨城県常総市,1,,,,,,,,,36.0,139.9,",  # 11: too many values
        ",名無しID,茨城県常総市,1,,,,,,,,,36.0,139.9,",  # 12: empty ID
        "E0821100009201,全角の数字,茨城県常総市,１,,,,,,,,,３６．０２,１３９．９８,",  # 13: fine (full-width)
    ]
    path = write(tmp_path / "sites.csv", "\n".join(rows) + "\n")
    parsed = parse_file(path, FileKind.EMERGENCY_SITES)
    assert [r.line for r in parsed.rows] == [2, 13]
    assert parsed.rows[1].latitude == 36.02 and parsed.rows[1].hazards == {Hazard.FLOOD}
    expected_lines = {3, 5, 6, 7, 8, 9, 10, 11, 12}
    assert {p.line for p in parsed.problems if p.severity == "error"} == expected_lines
    assert "1つも指定されていません" in problems_at(parsed, 3)[0]
    assert "日本の外" in problems_at(parsed, 5)[0]
    assert "入れ替わって" in problems_at(parsed, 6)[0]
    assert "数値ではありません" in problems_at(parsed, 7)[0]
    assert "1 か空欄" in problems_at(parsed, 8)[0]
    assert "2 行目と重複" in problems_at(parsed, 9)[0]
    assert "しかなく" in problems_at(parsed, 10)[0]
    assert "多いです" in problems_at(parsed, 11)[0]
    assert "共通ID が空" in problems_at(parsed, 12)[0]
    # The format staff read: file:line: reason
    assert str(next(p for p in parsed.problems if p.line == 5)).startswith(f"{path}:5: ")


def test_missing_columns_and_the_wrong_kind_of_file_are_file_level_errors(tmp_path: Path) -> None:
    no_flood = write(tmp_path / "a.csv", EMERGENCY_HEADER.replace("洪水,", "こうずい,") + "\n")
    parsed = parse_file(no_flood, FileKind.EMERGENCY_SITES)
    assert not parsed.usable
    assert "必要な列がありません: 洪水" in parsed.problems[0].reason and "こうずい" in parsed.problems[0].reason

    shelters_given = write(tmp_path / "b.csv", SHELTER_HEADER + "\nE0821100001111,x,y,,,,36.1,139.9,\n")
    wrong = parse_file(shelters_given, FileKind.EMERGENCY_SITES)
    assert not wrong.usable and "指定避難所のファイルのよう" in wrong.problems[0].reason
    assert "mergeFromCity_2.csv" in wrong.problems[0].reason

    sites_given = write(tmp_path / "c.csv", EMERGENCY_HEADER + "\n")
    assert "指定緊急避難場所のファイルのよう" in parse_file(sites_given, FileKind.SHELTERS).problems[0].reason

    assert parse_file(tmp_path / "missing.csv", FileKind.SHELTERS).problems[0].reason == "ファイルがありません"
    assert not parse_file(write(tmp_path / "empty.csv", ""), FileKind.SHELTERS).usable


def test_header_variants_and_an_older_shift_jis_file_are_read(tmp_path: Path) -> None:
    # A comma-free landslide header (・ instead of 、), half-width spaces and a Shift_JIS file without BOM.
    header = EMERGENCY_HEADER.replace("崖崩れ、土石流及び地滑り", "崖崩れ・土石流及び地滑り").replace("緯度", " 緯度 ")
    path = write(
        tmp_path / "sjis.csv",
        header + "\nE0821100001201,岡田小学校,茨城県常総市向石下1020,,1,,1,,1,,,1,36.1,139.9,\n",
        "cp932",
    )
    parsed = parse_file(path, FileKind.EMERGENCY_SITES)
    assert [r.name for r in parsed.rows] == ["岡田小学校"]
    assert parsed.rows[0].hazards == {Hazard.LANDSLIDE, Hazard.EARTHQUAKE, Hazard.FIRE}
    assert [p.severity for p in parsed.problems] == ["warning"] and "Shift_JIS" in parsed.problems[0].reason


def test_shelter_rows_welfare_by_accepted_people_or_id_subtype(tmp_path: Path) -> None:
    text = SHELTER_HEADER + (
        "\nE0821100002111,体育館,茨城県常総市鴻野山1670,,,,36.109695,139.935367,"
        "\nE0821100002121,体育館,茨城県常総市鴻野山1670,,,要配慮者,36.109695,139.935367,"
        "\nE0821100030121,あすなろの里,茨城県常総市大塚戸町310,,,,36.005108,139.922885,"
        "\nX-123,形の違うID,茨城県常総市,,,,36.0,139.9,\n"
    )
    parsed = parse_file(write(tmp_path / "s.csv", text), FileKind.SHELTERS)
    assert [r.welfare for r in parsed.rows] == [False, True, True, False]
    assert parsed.rows[1].accepted == "要配慮者"
    assert parsed.rows[3].facility_key is None
    assert [p.severity for p in parsed.problems] == ["warning"] and "決まった形" in parsed.problems[0].reason
