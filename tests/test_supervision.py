"""`make run` supervises: a part killed outright comes back by itself, and service resumes (real processes)."""

from __future__ import annotations

import io
import json
import os
import queue
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from knowledge_base.storage import drop_database
from scripts.stack import ROOT, Component, LogSink, Restarts, Stack, StackConfig
from tests.support import _forget_conversations, free_port, port_is_closed, test_database_url


def test_backoff_doubles_up_to_the_cap_and_resets_after_a_stable_run() -> None:
    restarts = Restarts(first=1, cap=8, stable=60)
    restarts.started_at = 100.0
    assert [restarts.exited(100.0 + n) for n in range(5)] == [1, 2, 4, 8, 8]
    restarts.started_at = 200.0
    assert restarts.exited(261.0) == 1  # it had stayed up more than a minute


def _chat(port: int, session: str) -> int:
    body = json.dumps({"session_id": session, "text": "こんにちは"}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/chat", data=body)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _child_pid(supervisor: int, marker: bytes) -> int:
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            ppid = next(line for line in status.read_text().splitlines() if line.startswith("PPid:"))
            cmdline = (status.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, StopIteration):
            continue
        if ppid.split()[1] == str(supervisor) and marker in cmdline:
            return int(status.parent.name)
    raise AssertionError(f"no {marker!r} under the supervisor")


def test_supervise_restarts_an_exited_component_after_its_pause_and_says_so(tmp_path: Path) -> None:
    config = StackConfig(state_dir=tmp_path)
    stack = Stack(config, tmp_path / "model.tar.gz", LogSink(io.StringIO(), tmp_path / "log"))
    # stand-ins for the three: one exits at once, the others stay up
    quick = Component("actions", [sys.executable, "-c", "raise SystemExit(3)"], dict(os.environ))
    stay = [
        Component(name, [sys.executable, "-c", "import time; time.sleep(30)"], dict(os.environ))
        for name in ("rasa", "gateway")
    ]
    stack._components = [quick, *stay]
    for component in stack._components:
        stack._spawn(component)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (tmp_path / "log").read_text().count("actions restarted") < 2:
            stack.supervise()
            time.sleep(0.1)
    finally:
        stack.stop(grace=5)
    log = (tmp_path / "log").read_text()
    assert "actions exited with code 3; restarting in 1 s" in log
    assert "actions exited with code 3; restarting in 2 s" in log
    assert log.count("actions restarted") >= 2
    assert "rasa exited" not in log and "gateway exited" not in log


@pytest.mark.slow
def test_a_killed_action_server_is_restarted_and_the_bot_answers_again(tmp_path: Path) -> None:
    database = test_database_url()
    prefix = "testsup" + secrets.token_hex(4)
    ports = {"GATEWAY_PORT": free_port(), "RASA_PORT": free_port(), "ACTION_SERVER_PORT": free_port()}
    env = os.environ | {k: str(v) for k, v in ports.items()}
    env |= {"JOSO_STATE_DIR": str(tmp_path / "state"), "REDIS_KEY_PREFIX": prefix, "DATABASE_URL": database}
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "scripts.stack", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    log: list[str] = []
    assert supervisor.stdout is not None
    threading.Thread(target=lambda: [lines.put(line) for line in supervisor.stdout], daemon=True).start()

    def wait_for(text: str, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                continue
            log.append(line)
            if text in line:
                return True
        return False

    try:
        assert wait_for("ready: chat page", 600), "".join(log[-40:])
        assert _chat(ports["GATEWAY_PORT"], "sup") == 200

        os.kill(_child_pid(supervisor.pid, b"rasa_sdk"), signal.SIGKILL)
        assert wait_for("actions exited with code -9; restarting in 1 s", 30), "".join(log[-40:])
        assert wait_for("actions restarted", 30), "".join(log[-40:])
        # service resumes by itself: the gateway sees the new action server and answers again
        deadline = time.monotonic() + 300
        status = 0
        while time.monotonic() < deadline and (status := _chat(ports["GATEWAY_PORT"], "sup")) != 200:
            time.sleep(2)
        assert status == 200, "".join(log[-40:])

        # Rasa too; its first turn after a restart is warmed up by the supervisor, not paid for by a resident
        os.kill(_child_pid(supervisor.pid, b"bot.engine_main"), signal.SIGKILL)
        assert wait_for("rasa exited with code -9; restarting in 1 s", 30), "".join(log[-40:])
        assert wait_for("rasa warmed up", 300), "".join(log[-40:])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _healthy(ports["GATEWAY_PORT"]):
            time.sleep(0.5)  # until the gateway's monitor has seen Rasa back
        assert _chat(ports["GATEWAY_PORT"], "sup-after") == 200, "".join(log[-40:])

        os.killpg(supervisor.pid, signal.SIGINT)  # Ctrl-C
        assert supervisor.wait(timeout=60) == 0
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
        _forget_conversations(prefix)
        drop_database(database)
    while not lines.empty():
        log.append(lines.get())
    assert any("stopped" in line for line in log), "".join(log[-40:])
    for port in ports.values():
        assert port_is_closed(port), f"port {port} still open after stop"
