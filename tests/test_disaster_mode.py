"""Disaster mode: the state in PostgreSQL, the staff command, and the broadcast seam (tested with a real local
HTTP receiver standing in for a channel)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from knowledge_base.disaster import state as store
from knowledge_base.disaster.announcement import alert_text, broadcast_text
from knowledge_base.disaster.broadcast import BroadcasterUnavailable, load_broadcaster
from knowledge_base.disaster.levels import LEVELS
from knowledge_base.disaster.state import Alert, InvalidAlert
from knowledge_base.shelters.hazards import Hazard
from scripts.stack import ROOT, app_env
from tests.shelter_support import Receiver


def test_alert_requests_are_checked_with_reasons_staff_can_act_on() -> None:
    assert Alert.parse("洪水", "４", " 鬼怒川が氾濫するおそれ ") == Alert(Hazard.FLOOD, 4, "鬼怒川が氾濫するおそれ")
    assert Alert.parse("earthquake", 3, "余震").hazard is Hazard.EARTHQUAKE
    for hazard, level, message, reason in [
        ("雪", 4, "x", "災害の種類"),
        ("flood", 6, "x", "1〜5"),
        ("flood", "四", "x", "1〜5"),
        ("flood", True, "x", "1〜5"),
        ("flood", 4, "  ", "メッセージ"),
        ("flood", 4, "あ" * 501, "500 文字"),
    ]:
        with pytest.raises(InvalidAlert, match=reason):
            Alert.parse(hazard, level, message)


def test_switching_on_replaces_the_alert_keeps_history_and_off_ends_it(database_url: str) -> None:
    assert store.current() is None
    first = store.switch_on(Alert(Hazard.FLOOD, 3, "大雨が続いています"), "test")
    second = store.switch_on(Alert(Hazard.FLOOD, 4, "鬼怒川が氾濫するおそれがあります"), "test")
    current = store.current()
    assert current == second and current.level == 4
    assert first.announcement_id != second.announcement_id
    assert store.switch_off("test") == second
    assert store.current() is None and store.switch_off("test") is None
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT level, ended_at IS NOT NULL, ended_by FROM disaster_mode ORDER BY id").fetchall()
        assert rows == [(3, True, "test"), (4, True, "test")]
        # At most one active alert, enforced by the database itself.
        conn.execute(
            "INSERT INTO disaster_mode (hazard, level, message, started_by, announcement_id) "
            "VALUES ('flood', 4, 'a', 't', gen_random_uuid())"
        )
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute(
                "INSERT INTO disaster_mode (hazard, level, message, started_by, announcement_id) "
                "VALUES ('flood', 4, 'b', 't', gen_random_uuid())"
            )


def test_alert_text_leads_with_the_level_and_says_what_to_do_in_three_languages(database_url: str) -> None:
    state = store.switch_on(Alert(Hazard.FLOOD, 4, "鬼怒川が氾濫するおそれがあります"), "test")
    text = alert_text(state)
    assert text.splitlines()[0] == "【警戒レベル4 避難指示】洪水"
    assert "鬼怒川が氾濫するおそれがあります" in text and "危険な場所から全員避難してください。" in text
    assert "119" in text and "Everyone must evacuate" in text and "Todos devem sair" in text
    assert broadcast_text(state).startswith(text) and "「避難場所」と送る" in broadcast_text(state)
    assert [LEVELS[n].name["ja"] for n in (5, 4, 3, 2, 1)] == [
        "緊急安全確保",
        "避難指示",
        "高齢者等避難",
        "大雨・洪水・高潮注意報",
        "早期注意情報",
    ]


def run_disaster(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "knowledge_base.disaster", *args],
        cwd=ROOT,
        env=app_env(env),
        capture_output=True,
        text=True,
        timeout=120,
    )


PROBE = "tests.shelter_support:post_announcement"


def test_on_prints_the_text_to_broadcast_and_broadcasts_through_the_configured_callable(database_url: str) -> None:
    with Receiver() as receiver:
        env = {"DATABASE_URL": database_url, "DISASTER_BROADCASTER": PROBE, "BROADCAST_PROBE_URL": receiver.url}
        done = run_disaster(
            "on", "--hazard", "flood", "--level", "4", "--message", "鬼怒川が氾濫", "--broadcast", env=env
        )
        assert done.returncode == 0, done.stderr
        assert "配信する文:\n【警戒レベル4 避難指示】洪水" in done.stdout and "一斉配信しました" in done.stdout
        state = store.current()
        assert len(receiver.bodies) == 1
        sent = receiver.bodies[0]
        assert sent == {
            "text": broadcast_text(state),
            "retry_key": str(state.announcement_id),
            "level": 4,
            "hazard": "flood",
        }
        # A re-broadcast of the same alert carries the same retry key: a channel delivers it once.
        again = run_disaster("broadcast", env=env)
        assert again.returncode == 0 and receiver.bodies[1]["retry_key"] == sent["retry_key"]
        # A new alert gets a new key.
        run_disaster("on", "--hazard", "flood", "--level", "5", "--message", "決壊", "--broadcast", env=env)
        assert receiver.bodies[2]["retry_key"] != sent["retry_key"] and receiver.bodies[2]["level"] == 5
    status = run_disaster("status", env={"DATABASE_URL": database_url})
    assert "警戒レベル5 緊急安全確保" in status.stdout
    assert run_disaster("off", env={"DATABASE_URL": database_url}).returncode == 0
    assert "オフ" in run_disaster("status", env={"DATABASE_URL": database_url}).stdout


def test_broadcast_unavailable_changes_nothing_and_a_failed_broadcast_keeps_the_mode_on(database_url: str) -> None:
    absent = {"DATABASE_URL": database_url, "DISASTER_BROADCASTER": "connectors.no_such_channel:send"}
    done = run_disaster("on", "--hazard", "flood", "--level", "4", "--message", "x", "--broadcast", env=absent)
    assert done.returncode == 2 and "一斉配信ができません" in done.stderr
    assert store.current() is None

    failing = {"DATABASE_URL": database_url, "DISASTER_BROADCASTER": "tests.shelter_support:failing_broadcast"}
    done = run_disaster("on", "--hazard", "flood", "--level", "4", "--message", "x", "--broadcast", env=failing)
    assert done.returncode == 1 and "一斉配信に失敗しました" in done.stderr and "再送できます" in done.stderr
    assert store.current() is not None

    bad = run_disaster("on", "--hazard", "snow", "--level", "4", "--message", "x", env={"DATABASE_URL": database_url})
    assert bad.returncode == 2 and "災害の種類" in bad.stderr


def test_default_broadcaster_is_the_line_module_and_missing_dependencies_are_not_hidden(tmp_path: Path) -> None:
    with pytest.raises(BroadcasterUnavailable):
        load_broadcaster("connectors.line_not_here:broadcast")
    with pytest.raises(BroadcasterUnavailable, match="関数"):
        load_broadcaster("tests.shelter_support:no_such_function")
    assert load_broadcaster(PROBE).__name__ == "post_announcement"
    # A broadcaster module that exists but cannot import its own dependency is an error, not "unavailable".
    (tmp_path / "broken_channel.py").write_text("import a_dependency_that_is_missing\n")
    sys.path.insert(0, str(tmp_path))
    try:
        with pytest.raises(ModuleNotFoundError):
            load_broadcaster("broken_channel:send")
    finally:
        sys.path.remove(str(tmp_path))
