"""Unanswered questions for staff: stored redacted in PostgreSQL, listed by `python -m knowledge_base misses`."""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg
import pytest

from knowledge_base.retrieval.misses import list_misses, record_miss
from scripts.stack import ROOT
from tests.support import free_port


async def test_misses_are_stored_redacted_and_listed_newest_first(database_url: str) -> None:
    await record_miss("粗大ごみの料金は？ 連絡先 090-1111-2222", "ja", "sodai-gomi", 0.31)
    await record_miss("Where can I park? My name is Ana Souza", "en", None, None)
    first, second = list_misses()
    assert (first.question, first.language, first.best_entry) == ("Where can I park? My name is ［名前］", "en", None)
    assert (second.question, second.best_entry) == ("粗大ごみの料金は? 連絡先 ［電話番号］", "sodai-gomi")
    assert second.best_score == pytest.approx(0.31)
    with psycopg.connect(database_url) as conn:
        stored = " ".join(row[0] for row in conn.execute("SELECT question FROM faq_misses"))
    assert "1111" not in stored and "Souza" not in stored

    listing = subprocess.run(
        [sys.executable, "-m", "knowledge_base", "misses", "--days", "1"],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert "2 件" in lines[0]
    assert "[en]  Where can I park? My name is ［名前］" in lines[1]
    assert "[ja]  粗大ごみの料金は? 連絡先 ［電話番号］  ← 近かったもの: sodai-gomi (0.31)" in lines[2]


async def test_a_database_that_is_down_does_not_fail_the_reply(caplog: pytest.LogCaptureFixture) -> None:
    await record_miss("質問", "ja", None, None, url=f"postgresql://postgres@127.0.0.1:{free_port()}/nothing")
    assert "could not record an unanswered question" in caplog.text


def test_the_command_says_so_when_the_database_is_unreachable() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "knowledge_base", "misses"],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/nothing"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "データベースに接続できません" in result.stderr
