"""Loading the FAQ YAML staff curate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from knowledge_base import FAQ_DIR
from knowledge_base.catalog import load_directory


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
department:
  name: 市民課
  phone: 0297-23-2111
  hours: 平日
entries:
  - id: a
    question: 住民票は？
    paraphrases: [住民票がほしい]
    answer: 市民課で取れます。
    updated: 2026-11-01
    translations:
      en:
        question: Residence certificate?
        answer: At the Citizens Division.

  - id: b
    question: 転入は？
    answer: 14日以内に届けてください。
    department: 別の課
    updated: 2026-11-02
"""


def test_entries_take_department_defaults_and_keep_their_line(tmp_path: Path) -> None:
    write(tmp_path, "shimin.yml", GOOD)
    result = load_directory(tmp_path)
    assert result.problems == []
    a, b = result.entries
    assert (a.id, a.department, a.phone, a.source_line) == ("a", "市民課", "0297-23-2111", 6)
    assert a.updated == dt.date(2026, 11, 1)
    assert a.texts() == [("ja", "住民票は？"), ("ja", "住民票がほしい"), ("en", "Residence certificate?")]
    assert (b.department, b.source_line) == ("別の課", 16)


def test_a_broken_file_is_reported_with_its_line_and_does_not_hide_the_others(tmp_path: Path) -> None:
    write(tmp_path, "good.yml", GOOD)
    bad = write(tmp_path, "bad.yml", "entries:\n  - id: x\n    question: [unclosed\n")
    result = load_directory(tmp_path)
    assert [e.id for e in result.entries] == ["a", "b"]
    (problem,) = result.errors
    assert problem.file == str(bad)
    assert problem.line >= 3
    assert "malformed YAML" in problem.message


def test_missing_fields_are_named(tmp_path: Path) -> None:
    write(tmp_path, "x.yml", "entries:\n  - id: x\n    question: q\n")
    (problem,) = load_directory(tmp_path).errors
    assert problem.line == 2
    for field in ("answer", "updated", "department", "phone", "hours"):
        assert field in problem.message


def test_the_shipped_faq_loads_without_errors() -> None:
    result = load_directory(FAQ_DIR)
    assert result.errors == []
    assert len(result.entries) >= 3
    assert len({e.id for e in result.entries}) == len(result.entries)


def test_a_translation_has_paraphrases_of_its_own_with_their_lines(tmp_path: Path) -> None:
    text = GOOD.replace(
        "        question: Residence certificate?\n",
        "        question: Residence certificate?\n"
        "        paraphrases:\n          - juminhyo\n          - proof of address\n",
    )
    write(tmp_path, "shimin.yml", text)
    result = load_directory(tmp_path)
    assert result.problems == []
    a = result.entries[0]
    assert a.translations["en"].paraphrases == ("juminhyo", "proof of address")
    assert a.texts()[-3:] == [("en", "Residence certificate?"), ("en", "juminhyo"), ("en", "proof of address")]
    assert [line for _, _, line in a.text_lines()][-2:] == [15, 16]
    # a built index keeps entries as JSON: the paraphrases survive the round trip
    assert type(a).from_dict(a.to_dict()).translations == a.translations


def test_an_empty_translation_paraphrase_is_an_error_on_its_line(tmp_path: Path) -> None:
    text = GOOD.replace(
        "        question: Residence certificate?\n",
        "        question: Residence certificate?\n        paraphrases:\n          - juminhyo\n          - ''\n",
    )
    write(tmp_path, "shimin.yml", text)
    (problem,) = load_directory(tmp_path).errors
    assert problem.line == 16
    assert "paraphrases" in problem.message
