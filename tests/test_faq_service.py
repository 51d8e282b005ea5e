"""Built indexes are cached by content, and the service swaps them in when the FAQ files change (in-process;
tests/test_faq_hot_reload.py does the same through a real action server)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from knowledge_base.catalog.validator import validate_directory
from knowledge_base.retrieval.service import FaqService
from knowledge_base.retrieval.settings import load_settings
from knowledge_base.retrieval.store import build_and_store, environment_key, index_key, latest_good
from tests.faq_support import FIXTURE_FAQ

NEW_ENTRY = """
  - id: inu-touroku
    question: 犬を飼い始めたら登録が必要ですか？
    paraphrases: [犬の登録をしたい, 狂犬病の予防注射]
    answer: テスト用の回答です。犬の登録が必要です。
    updated: 2026-11-01
"""


@pytest.fixture
def faq_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture FAQ that the test may edit, and a cache of its own."""
    monkeypatch.setenv("JOSO_CACHE_DIR", str(tmp_path / "cache"))
    directory = tmp_path / "faq"
    shutil.copytree(FIXTURE_FAQ, directory)
    return directory


def test_an_index_is_built_once_per_content(faq_dir: Path) -> None:
    settings = load_settings()
    result = validate_directory(faq_dir)
    key = index_key(result.fingerprint, settings)
    path, built = build_and_store(result.entries, key, settings)
    assert built and (path / "manifest.json").is_file()
    assert build_and_store(result.entries, key, settings) == (path, False)

    with (faq_dir / "kodomo.yml").open("a", encoding="utf-8") as file:
        file.write(NEW_ENTRY)
    changed = validate_directory(faq_dir)
    new_key = index_key(changed.fingerprint, settings)
    assert new_key.name != key.name and new_key.environment == key.environment
    new_path, built = build_and_store(changed.entries, new_key, settings)
    assert built and new_path != path
    assert latest_good(environment_key(settings)) == new_path


def test_the_service_swaps_indexes_and_keeps_the_last_good_one(faq_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    service = FaqService(faq_dir, poll_interval=0)
    assert service.refresh() is True
    first = service.current()
    assert first is not None and first.entry("inu-touroku") is None
    assert service.refresh() is False  # nothing changed: nothing rebuilt

    with (faq_dir / "kodomo.yml").open("a", encoding="utf-8") as file:
        file.write(NEW_ENTRY)
    assert service.refresh() is True
    second = service.current()
    assert second is not first
    assert second.search("犬の登録", k=1)[0].entry.id == "inu-touroku"
    # A request that started before the swap goes on with the index it had.
    assert first.search("犬の登録", k=1)[0].entry.id != "inu-touroku"

    broken = faq_dir / "broken.yml"
    broken.write_text("entries:\n  - id: x\n    question: [unclosed\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="knowledge_base.retrieval.service"):
        assert service.refresh() is False
    assert service.current() is second
    assert f"{broken}:" in caplog.text and "malformed YAML" in caplog.text
    assert "still serving the previous index" in caplog.text

    broken.unlink()
    (faq_dir / "kodomo.yml").write_text((FIXTURE_FAQ / "kodomo.yml").read_text(encoding="utf-8"), encoding="utf-8")
    assert service.refresh() is True
    assert service.current().entry("inu-touroku") is None


def test_at_start_with_broken_yaml_the_newest_good_index_on_disk_is_served(faq_dir: Path) -> None:
    assert FaqService(faq_dir, poll_interval=0).refresh() is True  # an earlier good build
    (faq_dir / "shimin.yml").write_text("entries: [", encoding="utf-8")
    restarted = FaqService(faq_dir, poll_interval=0)
    assert restarted.refresh() is False
    retriever = restarted.current()
    assert retriever is not None and retriever.entry("juminhyo") is not None


def test_with_nothing_good_anywhere_there_is_no_index_and_no_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOSO_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "a.yml").write_text("entries: [", encoding="utf-8")
    service = FaqService(tmp_path / "faq", poll_interval=0)
    assert service.refresh() is False
    assert service.current() is None


def test_a_broken_settings_file_keeps_the_index(faq_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings_file = tmp_path / "calibration.yml"
    shutil.copy(Path(load_settings().source), settings_file)
    monkeypatch.setenv("FAQ_RETRIEVAL_CONFIG", str(settings_file))
    service = FaqService(faq_dir, poll_interval=0)
    assert service.refresh() is True
    first = service.current()
    settings_file.write_text("fusion: {}", encoding="utf-8")
    assert service.refresh() is False
    assert service.current() is first
