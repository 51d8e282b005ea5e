"""The resident catalogue (knowledge_base/texts): every text in every language, same placeholders as Japanese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from actions.conversation.menus import DISASTER_TOPICS, PROCEDURE_TOPICS
from knowledge_base import texts
from knowledge_base.language import guess_language
from knowledge_base.texts import maintain
from knowledge_base.texts.messages import LOCALES, po_path

ROOT = Path(__file__).resolve().parents[1]


def test_the_coverage_table_has_no_gap(capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print("\nresident texts × languages\n" + maintain.coverage_table(by_id=True))
        print(maintain.coverage_table())
    assert maintain.gaps() == []


def test_a_gap_and_a_placeholder_mismatch_are_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = {language: dict(table) for language, table in texts.catalogue().items()}
    del broken["vi"]["menu.find_shelter"]
    broken["tl"]["handoff.call"] = broken["tl"]["handoff.call"].replace("{phone}", "{telepono}")
    broken["ko"]["menu.back"] = "  "
    monkeypatch.setattr(maintain, "catalogue", lambda: broken)
    problems = maintain.gaps()
    assert "menu.find_shelter [vi]: not translated" in problems
    assert "menu.back [ko]: not translated" in problems
    assert any(p.startswith("handoff.call [tl]: placeholders") for p in problems)
    menu_row = next(row for row in maintain.coverage_table().splitlines() if row.startswith("menu "))
    assert menu_row.split()[1:] == ["10/10", "10/10", "10/10", "10/10", "10/10", "9/10", "10/10", "9/10"]
    vi_row = next(
        row for row in maintain.coverage_table(by_id=True).splitlines() if row.startswith("menu.find_shelter ")
    )
    assert vi_row.split()[1:].count("--") == 1


def test_the_po_files_are_in_step_with_the_japanese_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Running the update on a copy changes nothing: no one edited ids in a translation by hand, none is missing.
    before = {path.relative_to(LOCALES): path.read_bytes() for path in LOCALES.rglob("*.po*")}
    copy = tmp_path / "locales"
    for relative, content in before.items():
        (copy / relative).parent.mkdir(parents=True, exist_ok=True)
        (copy / relative).write_bytes(content)
    monkeypatch.setattr(maintain, "TEMPLATE", copy / maintain.TEMPLATE.name)
    monkeypatch.setattr(maintain, "po_path", lambda language: copy / po_path(language).relative_to(LOCALES))
    maintain.update_languages()
    after = {path.relative_to(copy): path.read_bytes() for path in copy.rglob("*.po*")}
    changed = [str(p) for p in before if _body(before[p]) != _body(after[p])]
    assert changed == []


def _body(po: bytes) -> bytes:
    """A .po file without its header (Babel stamps the creation date)."""
    return po.split(b"\n\n", 1)[1]


def test_every_text_id_the_code_names_exists() -> None:
    used = set()
    for path in [*ROOT.glob("actions/**/*.py"), *ROOT.glob("connectors/**/*.py"), *ROOT.glob("knowledge_base/**/*.py")]:
        used |= set(re.findall(r"\btext\(\s*\"([a-z_]+\.[a-z0-9_.]+)\"", path.read_text(encoding="utf-8")))
    assert used, "the pattern finds the calls"
    assert sorted(key for key in used if not texts.has_text(key)) == []


@pytest.mark.parametrize("resident", ["vi", "pt", "zh", "en", "ja"])
def test_staff_content_falls_back_along_the_chain_and_says_so(resident: str) -> None:
    chain = texts.FALLBACK_CHAIN[resident]
    assert chain[0] == resident and chain[-1] in ("ja", "en") and "ja" in chain
    assert texts.first_available(resident, {"ja", resident}) == resident
    shown = texts.first_available(resident, {"ja", "en"})
    assert shown == (resident if resident in ("ja", "en") else chain[1])
    notice = texts.other_language_notice(resident, shown)
    assert (notice is None) == (shown == resident)
    if notice is not None:
        assert notice == texts.text(f"fallback.in_{'japanese' if shown == 'ja' else 'english'}", resident)


@pytest.mark.parametrize("language", texts.LANGUAGES)
def test_what_a_button_sends_as_typed_text_keeps_the_conversations_language(language: str) -> None:
    # A topic button and a widget example send a question as text: read in another language, it would switch
    # the whole conversation to that language.
    sent = [texts.text(f"topic.{topic}.question", language) for topic in PROCEDURE_TOPICS + DISASTER_TOPICS]
    sent += [texts.text(f"widget.example_{n}", language) for n in (1, 2, 3)]
    assert [question for question in sent if guess_language(question) != language] == []
