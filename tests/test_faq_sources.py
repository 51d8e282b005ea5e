"""Sources of the FAQ's facts: the `sources:` field, the warnings about facts nobody confirmed, impossible
dates reported at their line (never a traceback), the coverage figures, and the card's link."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from actions import payloads, texts
from knowledge_base.catalog.model import CITY_TOP_PAGE, is_linkable, is_site_root, is_top_page
from knowledge_base.catalog.validator import coverage, stated_facts, validate_directory
from scripts.stack import ROOT

TODAY = dt.date(2026, 12, 4)

HEAD = """\
department:
  name: 生活環境課
  phone: 0297-23-2111
  hours: 平日 8:30〜17:15
entries:
"""  # the first entry's `- id:` is line 6


def write(directory: Path, text: str, name: str = "a.yml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(directory: Path) -> list[tuple[int, str, str]]:
    return [(p.line, p.severity, p.message) for p in validate_directory(directory, today=TODAY).problems]


def run_validate(directory: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "knowledge_base", "validate", str(directory), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("field", "value", "fatal"),
    [("updated", "2026-13-01", True), ("updated", "2026-11-31", True), ("review_by", "2027-02-30", False)],
)
def test_an_impossible_date_is_an_error_at_its_line_not_a_traceback(
    tmp_path: Path, field: str, value: str, fatal: bool
) -> None:
    dates = {"updated": "2026-11-01", "review_by": "2027-05-31"} | {field: value}
    write(
        tmp_path,
        HEAD + "  - id: x\n"  # 6
        "    question: 質問？\n"  # 7
        "    answer: 答え。\n"  # 8
        f"    updated: {dates['updated']}\n"  # 9
        f"    review_by: {dates['review_by']}\n",  # 10
    )
    line = 9 if field == "updated" else 10
    result = validate_directory(tmp_path, today=TODAY)
    assert [(p.line, p.severity) for p in result.errors] == [(line, "error")]
    assert f"'{field}' の {value} という日はありません" in result.errors[0].message
    assert (result.entries == []) is fatal  # without a valid `updated` there is no entry

    run = run_validate(tmp_path)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert f"a.yml:{line}: error: '{field}' の {value} という日はありません" in run.stdout


def test_a_value_pyyaml_cannot_build_is_an_error_at_its_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        HEAD + "  - id: x\n    question: q\n    answer: a\n    updated: 2026-11-01\n    review_by: !!int abc\n",
    )
    ((line, severity, message),) = problems(tmp_path)
    assert (line, severity) == (10, "error") and "この値を読めません" in message


def test_an_impossible_date_written_where_text_is_expected_stays_text(tmp_path: Path) -> None:
    write(tmp_path, HEAD + "  - id: x\n    question: 2026-13-01\n    answer: a\n    updated: 2026-11-01\n")
    result = validate_directory(tmp_path, today=TODAY)
    assert result.errors == [] and result.entries[0].question == "2026-13-01"


SOURCED = HEAD + (
    "  - id: gomi\n"  # 6
    "    question: ごみの出し方は？\n"  # 7
    "    answer: 生活環境課（0297-23-9088）に聞いてください。手数料は300円です。\n"  # 8
    "    url: https://www.city.joso.lg.jp/\n"  # 9
    "    updated: 2026-12-01\n"  # 10
    "    sources:\n"  # 11
    "      - url: https://www.city.joso.lg.jp/kurashi/gomi/page1.html\n"  # 12
    "        confirms: 担当課 生活環境課、電話番号 0297-23-9088\n"  # 13
    "        checked: 2026-12-03\n"  # 14
)


def test_sources_are_loaded_and_kept_in_the_index_snapshot(tmp_path: Path) -> None:
    write(tmp_path, SOURCED)
    (entry,) = validate_directory(tmp_path, today=TODAY).entries
    (source,) = entry.sources
    assert source.url.endswith("page1.html") and source.checked == dt.date(2026, 12, 3)
    assert "0297-23-9088" in source.confirms
    assert type(entry).from_dict(entry.to_dict()).sources == entry.sources


def test_a_top_page_link_next_to_a_specific_source_and_a_late_check_are_warned(tmp_path: Path) -> None:
    write(tmp_path, SOURCED)
    found = problems(tmp_path)
    assert [(line, severity) for line, severity, _ in found] == [(9, "warning"), (14, "warning")]
    assert "https://www.city.joso.lg.jp/kurashi/gomi/page1.html" in found[0][2]
    assert "updated が 2026-12-01 のまま" in found[1][2]

    fixed = SOURCED.replace(
        "url: https://www.city.joso.lg.jp/\n", "url: https://www.city.joso.lg.jp/kurashi/gomi/page1.html\n"
    )
    write(tmp_path, fixed.replace("updated: 2026-12-01", "updated: 2026-12-03"))
    assert problems(tmp_path) == []


def test_facts_without_a_source_are_warned_at_the_answer(tmp_path: Path) -> None:
    unsourced = SOURCED.split("    sources:\n")[0].replace("    url: https://www.city.joso.lg.jp/\n", "")
    write(tmp_path, unsourced)
    found = problems(tmp_path)
    assert [(line, severity) for line, severity, _ in found] == [(2, "warning"), (8, "warning")]
    assert "生活環境課 の課の名前・電話番号・受付時間に出典（sources）がありません" in found[0][2]
    assert "電話番号「0297-23-9088」" in found[1][2] and "手数料・金額「300円」" in found[1][2]


def test_department_sources_confirm_what_entries_inherit(tmp_path: Path) -> None:
    head = HEAD.replace(
        "entries:\n",
        "  sources:\n"
        "    - url: https://www.city.joso.lg.jp/soshiki/seikatsu.html\n"
        "      confirms: 課の名前と電話番号\n"
        "      checked: 2026-12-01\n"
        "entries:\n",
    )
    write(
        tmp_path,
        head + "  - id: x\n    question: q\n    answer: 生活環境課に聞いてください。\n    updated: 2026-12-01\n",
    )
    assert problems(tmp_path) == []
    # A fee in the answer is not what the department's page confirms.
    write(tmp_path, head + "  - id: x\n    question: q\n    answer: 無料です。\n    updated: 2026-12-01\n")
    ((line, severity, message),) = problems(tmp_path)
    assert (line, severity) == (12, "warning") and "手数料・金額「無料」" in message


@pytest.mark.parametrize(
    ("item", "line", "words"),
    [
        ("      - https://www.city.joso.lg.jp/a.html\n", 12, "url, confirms, checked を書いた項目"),
        ("      - url: www.city.joso.lg.jp\n        confirms: x\n        checked: 2026-12-01\n", 12, "'url' は"),
        ("      - url: https://a.jp/\n        checked: 2026-12-01\n", 12, "'confirms' に"),
        ("      - url: https://a.jp/\n        confirms: x\n", 12, "'checked' に"),
        (
            "      - url: https://a.jp/\n        confirms: x\n        checked: 2026-02-29\n",
            14,
            "2026-02-29 という日はありません",
        ),
    ],
)
def test_a_wrong_source_is_an_error_at_its_line(tmp_path: Path, item: str, line: int, words: str) -> None:
    write(tmp_path, SOURCED.split("      - url:")[0] + item)
    errors = [(n, m) for n, severity, m in problems(tmp_path) if severity == "error"]
    assert len(errors) == 1 and errors[0][0] == line and words in errors[0][1], errors


def test_stated_facts_finds_what_residents_act_on() -> None:
    kinds = {kind for kind, _ in stated_facts("市民課（0297-23-2111）で、14日以内に。手数料300円。平日8:30〜17:15")}
    assert kinds == {"電話番号", "手数料・金額", "期限", "受付時間", "担当課"}
    assert stated_facts("窓口でお問い合わせください。") == []


def test_the_top_page_is_recognised_however_it_is_written() -> None:
    for url in (CITY_TOP_PAGE, "http://www.city.joso.lg.jp", "https://www.city.joso.lg.jp/index.html"):
        assert is_top_page(url)
    assert not is_top_page("https://www.city.joso.lg.jp/kurashi/page1.html") and not is_top_page(None)
    assert not is_top_page("https://www.bousai.go.jp/")
    assert is_site_root("https://www.bousai.go.jp/") and is_site_root("https://www.nenkin.go.jp")
    assert not is_site_root("https://www.moj.go.jp/isa/") and not is_site_root(None)
    assert is_linkable("https://www.city.joso.lg.jp/a.html") and is_linkable("https://www.gsi.go.jp/x.html")
    assert not is_linkable("https://www.city.naka.lg.jp/a.html")  # another town: a source, not a link


def test_another_towns_page_confirms_a_rule_but_is_not_proposed_as_the_link(tmp_path: Path) -> None:
    write(
        tmp_path,
        SOURCED.replace("https://www.city.joso.lg.jp/kurashi/gomi/page1.html", "https://www.city.naka.lg.jp/a.html"),
    )
    assert [(line, severity) for line, severity, _ in problems(tmp_path)] == [(14, "warning")]  # the late check only


def test_the_report_gives_the_coverage_figures(tmp_path: Path) -> None:
    write(tmp_path, SOURCED)
    write(
        tmp_path,
        HEAD
        + "  - id: y\n    question: q\n    answer: a\n    url: https://www.bousai.go.jp/\n    updated: 2026-12-01\n",
        "b.yml",
    )
    covered = coverage(validate_directory(tmp_path, today=TODAY).entries)
    assert (covered.entries, covered.with_sources, covered.specific_url) == (2, 1, 0)
    run = run_validate(tmp_path, "--report")
    assert run.returncode == 0, run.stderr
    assert "出典のあるエントリー 1/2（50%）、くわしいページへの url 0/2（0%）" in run.stdout
    assert "b.yml:6: y: 出典なし、url がトップページ" in run.stdout


def test_the_answer_card_links_the_specific_page() -> None:
    entries = validate_directory(ROOT / "knowledge_base" / "faq").entries
    entry = next(e for e in entries if e.id == "koseki-copy")
    assert entry.url and not is_site_root(entry.url)
    for language in ("ja", "en"):
        shown, question, answer = entry.in_language(language)
        card = payloads.faq_answer(entry, texts.answer_card_text(entry, shown, answer), shown, question, answer)
        assert card["url"] == entry.url
        assert entry.url in card["text"]


def test_the_shipped_faq_does_not_lose_sources_or_specific_pages() -> None:
    # A ratchet, not the goal: issue #13 aims at 80% specific pages; raise these as pages are found.
    covered = coverage(validate_directory(ROOT / "knowledge_base" / "faq").entries)
    assert covered.with_sources >= 0.70 * covered.entries, [e.id for e in covered.unsourced]
    assert covered.specific_url >= 0.48 * covered.entries, [e.id for e in covered.top_page_only]
