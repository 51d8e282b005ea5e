"""`python -m knowledge_base validate`: every problem of the FAQ YAML as file:line, errors fail the run."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from knowledge_base.catalog.loader import Problem
from knowledge_base.catalog.validator import validate_directory
from scripts.stack import ROOT
from tests.faq_support import FIXTURE_FAQ

TODAY = dt.date(2026, 11, 24)

DEPARTMENT = """\
department:
  name: 市民課
  phone: 0297-23-2111
  hours: 平日 8:30〜17:15
"""


def write(directory: Path, name: str, text: str) -> str:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def checked(directory: Path) -> list[Problem]:
    """Every problem but the sources check's (these files have no sources; tests/test_faq_sources.py)."""
    return [p for p in validate_directory(directory, today=TODAY).problems if p.check != "sources"]


def found(directory: Path) -> set[tuple[str, int, str]]:
    """(file name, line, severity) of every problem."""
    return {(Path(p.file).name, p.line, p.severity) for p in checked(directory)}


def messages(directory: Path) -> dict[tuple[str, int], str]:
    return {(Path(p.file).name, p.line): p.message for p in checked(directory)}


def test_the_fixture_faq_and_the_shipped_faq_have_no_errors() -> None:
    assert validate_directory(FIXTURE_FAQ, today=TODAY).errors == []
    assert validate_directory(ROOT / "knowledge_base" / "faq").errors == []


def test_malformed_yaml_is_reported_at_its_line(tmp_path: Path) -> None:
    write(tmp_path, "a.yml", DEPARTMENT + "entries:\n  - id: x\n    question: [unclosed\n    answer: y\n")
    ((name, line, severity),) = found(tmp_path)
    assert (name, severity) == ("a.yml", "error")
    assert line in (8, 9)  # PyYAML notices the unclosed bracket on the next line
    assert "malformed YAML" in next(iter(messages(tmp_path).values()))


def test_missing_fields_point_at_the_entry(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yml",
        "entries:\n"  # 1
        "  - id: x\n"  # 2
        "    question: 住民票は？\n"  # 3
        "  - id: y\n"  # 4
        "    question: 転入は？\n"  # 5
        "    answer: 市民課へ\n"  # 6
        "    updated: 2026-11-01\n",  # 7
    )
    assert found(tmp_path) == {("a.yml", 2, "error"), ("a.yml", 4, "error")}
    problems = messages(tmp_path)
    assert problems[("a.yml", 2)] == "必須の項目がありません: answer, updated, department, phone, hours"
    assert problems[("a.yml", 4)] == "必須の項目がありません: department, phone, hours"


def test_wrong_values_point_at_their_field(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yml",
        DEPARTMENT + "entries:\n"  # 5
        "  - id: 住民票\n"  # 6
        "    question: 住民票は？\n"  # 7
        "    answer: 市民課へ\n"  # 8
        "    url: www.city.joso.lg.jp\n"  # 9
        "    updated: 11月1日\n"  # 10
        "    review_by: soon\n"  # 11
        "    paraphrases:\n"  # 12
        "      - 住民票がほしい\n"  # 13
        "      -\n"  # 14
        "    paraphrase: [typo]\n"  # 15
        "    answer: 二度目\n",  # 16
    )
    assert found(tmp_path) == {
        ("a.yml", 6, "error"),  # id
        ("a.yml", 9, "error"),  # url
        ("a.yml", 10, "error"),  # updated
        ("a.yml", 11, "error"),  # review_by
        ("a.yml", 14, "error"),  # empty paraphrase
        ("a.yml", 15, "warning"),  # unknown field
        ("a.yml", 16, "error"),  # answer written twice
    }
    assert "'paraphrases' のまちがいですか" in messages(tmp_path)[("a.yml", 15)]


def test_duplicate_ids_across_files_name_the_first_definition(tmp_path: Path) -> None:
    entry = "  - id: same\n    question: {q}\n    answer: 答え\n    updated: 2026-11-01\n"
    write(tmp_path, "a.yml", DEPARTMENT + "entries:\n" + entry.format(q="住民票は？"))
    write(tmp_path, "b.yml", DEPARTMENT + "entries:\n" + entry.format(q="転入は？"))
    assert found(tmp_path) == {("b.yml", 6, "error")}
    assert messages(tmp_path)[("b.yml", 6)] == "id 'same' がほかのエントリーと重複しています（先の定義: a.yml:6）"


def test_unknown_related_ids_and_translation_languages(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yml",
        DEPARTMENT + "entries:\n"  # 5
        "  - id: a\n"  # 6
        "    question: 住民票は？\n"  # 7
        "    answer: 市民課へ\n"  # 8
        "    updated: 2026-11-01\n"  # 9
        "    related:\n"  # 10
        "      - b\n"  # 11
        "      - nowhere\n"  # 12
        "      - a\n"  # 13
        "    translations:\n"  # 14
        "      fr:\n"  # 15
        "        question: Certificat de résidence ?\n"  # 16
        "        answer: Au bureau.\n"  # 17
        "      en:\n"  # 18
        "        question: Residence certificate?\n"  # 19
        "  - id: b\n"  # 20
        "    question: 転入は？\n"  # 21
        "    answer: 市民課へ\n"  # 22
        "    updated: 2026-11-01\n",  # 23
    )
    problems = messages(tmp_path)
    assert found(tmp_path) == {
        ("a.yml", 12, "error"),
        ("a.yml", 13, "warning"),
        ("a.yml", 15, "error"),
        ("a.yml", 18, "error"),
    }
    assert problems[("a.yml", 12)] == "related の id 'nowhere' というエントリーはありません"
    assert problems[("a.yml", 15)].startswith("翻訳の言語 'fr' は使えません")
    assert problems[("a.yml", 18)] == "翻訳 'en' に必須の項目がありません: answer"


def test_paraphrases_of_two_entries_that_collide(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yml",
        DEPARTMENT + "entries:\n"  # 5
        "  - id: a\n"  # 6
        "    question: 住民票の写しがほしい\n"  # 7
        "    paraphrases: [住民票がほしいです]\n"  # 8
        "    answer: 市民課へ\n"  # 9
        "    updated: 2026-11-01\n"  # 10
        "  - id: b\n"  # 11
        "    question: 住民票の写しがほしい！\n"  # 12  same text once folded: error
        "    paraphrases:\n"  # 13
        "      - 住民票が欲しい\n"  # 14  same content words as line 8: warning
        "      - 転入届を出したい\n"  # 15  fine
        "    answer: 市民課へ\n"  # 16
        "    updated: 2026-11-01\n",  # 17
    )
    assert found(tmp_path) == {("a.yml", 12, "error"), ("a.yml", 14, "warning")}
    problems = messages(tmp_path)
    assert "エントリー 'a'（a.yml:7）の「住民票の写しがほしい」と同じです" in problems[("a.yml", 12)]
    assert "エントリー 'a'（a.yml:8）の「住民票がほしいです」とほぼ同じです" in problems[("a.yml", 14)]


def test_dates_and_review_flags_are_listed(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yml",
        DEPARTMENT + "  needs_review: 受付時間を確認\n"  # 5
        "entries:\n"  # 6
        "  - id: a\n"  # 7
        "    question: 住民票は？\n"  # 8
        "    answer: 市民課へ\n"  # 9
        "    updated: 2027-01-01\n"  # 10  future
        "    review_by: 2026-11-01\n"  # 11  past
        "    needs_review: 手数料の金額\n",  # 12
    )
    assert found(tmp_path) == {
        ("a.yml", 5, "review"),
        ("a.yml", 10, "warning"),
        ("a.yml", 11, "warning"),
        ("a.yml", 12, "review"),
    }
    result = validate_directory(tmp_path, today=TODAY)
    assert result.errors == []
    (entry,) = result.entries
    assert (entry.needs_review, entry.department_needs_review) == ("手数料の金額", "受付時間を確認")


def test_the_command_prints_file_line_message_and_fails_on_errors(tmp_path: Path) -> None:
    write(
        tmp_path,
        "good.yml",
        DEPARTMENT + "entries:\n  - id: a\n    question: 住民票は？\n    answer: 市民課へ\n"
        "    updated: 2026-11-01\n    needs_review: 手数料\n",
    )
    command = [sys.executable, "-m", "knowledge_base", "validate", str(tmp_path)]
    ok = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f"{tmp_path / 'good.yml'}:10: review: a: 手数料" in ok.stdout

    write(tmp_path, "bad.yml", "entries:\n  - id: b\n")
    bad = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert f"{tmp_path / 'bad.yml'}:2: error: 必須の項目がありません" in bad.stdout
    assert "エラー 1" in bad.stdout.splitlines()[-1]
