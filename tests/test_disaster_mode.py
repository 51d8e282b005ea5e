"""Disaster mode: the state in PostgreSQL, the staff command, and the broadcast seam (tested with a real local
HTTP receiver standing in for a channel)."""

from __future__ import annotations

import ast
import subprocess
import sys

import psycopg
import pytest

from knowledge_base.disaster import cli
from knowledge_base.disaster import state as store
from knowledge_base.disaster.announcement import alert_text, broadcast_text
from knowledge_base.disaster.broadcast import Broadcaster, BroadcasterUnavailable, ready
from knowledge_base.disaster.levels import LEVELS
from knowledge_base.disaster.state import Alert, InvalidAlert
from knowledge_base.shelters.hazards import Hazard
from scripts.stack import ROOT, app_env
from tests.shelter_support import Receiver, failing_broadcast, post_announcement


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


def run_in_process(
    capsys: pytest.CaptureFixture[str], *args: str, broadcaster: Broadcaster | None = None
) -> tuple[int, str, str]:
    """The command with a broadcaster passed in, as its entry point passes the LINE one."""
    code = cli.main(list(args), broadcaster=lambda: broadcaster)
    out, err = capsys.readouterr()
    return code, out, err


def test_on_prints_the_text_to_broadcast_and_broadcasts_through_the_broadcaster_passed_in(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Receiver() as receiver:
        monkeypatch.setenv("BROADCAST_PROBE_URL", receiver.url)
        on = ("on", "--hazard", "flood", "--level", "4", "--message", "鬼怒川が氾濫", "--broadcast")
        code, out, err = run_in_process(capsys, *on, broadcaster=post_announcement)
        assert code == 0, err
        assert "配信する文:\n【警戒レベル4 避難指示】洪水" in out and "一斉配信しました" in out
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
        code, _, _ = run_in_process(capsys, "broadcast", broadcaster=post_announcement)
        assert code == 0 and receiver.bodies[1]["retry_key"] == sent["retry_key"]
        # A new alert gets a new key.
        level5 = ("on", "--hazard", "flood", "--level", "5", "--message", "決壊", "--broadcast")
        run_in_process(capsys, *level5, broadcaster=post_announcement)
        assert receiver.bodies[2]["retry_key"] != sent["retry_key"] and receiver.bodies[2]["level"] == 5
    status = run_disaster("status", env={"DATABASE_URL": database_url})
    assert "警戒レベル5 緊急安全確保" in status.stdout
    assert run_disaster("off", env={"DATABASE_URL": database_url}).returncode == 0
    assert "オフ" in run_disaster("status", env={"DATABASE_URL": database_url}).stdout


def test_broadcast_unavailable_changes_nothing_and_a_failed_broadcast_keeps_the_mode_on(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The real entry point, with LINE not configured: refused before anything changes.
    unconfigured = {"DATABASE_URL": database_url, "LINE_CHANNEL_SECRET": "", "LINE_CHANNEL_ACCESS_TOKEN": ""}
    done = run_disaster("on", "--hazard", "flood", "--level", "4", "--message", "x", "--broadcast", env=unconfigured)
    assert done.returncode == 2 and "一斉配信ができません" in done.stderr and "LINE" in done.stderr
    assert store.current() is None
    nothing = run_disaster("broadcast", env=unconfigured)
    assert nothing.returncode == 2 and "配信するものがありません" in nothing.stderr

    on = ("on", "--hazard", "flood", "--level", "4", "--message", "x", "--broadcast")
    code, _, err = run_in_process(capsys, *on, broadcaster=failing_broadcast)
    assert code == 1 and "一斉配信に失敗しました" in err and "再送できます" in err
    assert store.current() is not None
    # No broadcaster at all (a command without a channel): said, not skipped.
    code, _, err = run_in_process(capsys, "broadcast", broadcaster=None)
    assert code == 2 and "一斉配信ができません" in err

    bad = run_disaster("on", "--hazard", "snow", "--level", "4", "--message", "x", env={"DATABASE_URL": database_url})
    assert bad.returncode == 2 and "災害の種類" in bad.stderr


def test_a_broadcaster_may_say_why_it_cannot_send_before_anything_changes() -> None:
    class Unconfigured:
        def unavailable_reason(self) -> str:
            return "LINE が設定されていません"

        async def __call__(self, announcement: object) -> None:
            raise AssertionError("never called")

    with pytest.raises(BroadcasterUnavailable, match="LINE が設定されていません"):
        ready(Unconfigured())
    with pytest.raises(BroadcasterUnavailable):
        ready(None)
    assert ready(post_announcement) is post_announcement


def test_the_knowledge_base_names_no_channel_outside_its_entry_points() -> None:
    # knowledge_base/ knows no channel: only a command's __main__.py (its composition root) may wire one.
    offenders = []
    for path in (ROOT / "knowledge_base").rglob("*.py"):
        if path.name == "__main__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] == "connectors"]
        if "connectors." in path.read_text(encoding="utf-8").replace("connectors/", ""):
            offenders.append(f"{path.relative_to(ROOT)}: names connectors. in a string")
    assert offenders == []
