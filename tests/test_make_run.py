"""`make run`'s supervisor: starts the three components, reports ready, and stops them all on a signal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from knowledge_base.storage import drop_database
from scripts.stack import ROOT
from tests.support import free_port, port_is_closed, test_database_url

pytestmark = pytest.mark.slow


def _session_members(session_ids: list[int]) -> list[int]:
    """Processes still alive in the given sessions (a component and anything it started)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) in session_ids and fields[0] != "Z":  # fields[3]: session id; "Z": zombie
            alive.append(int(stat.parent.name))
    return alive


def _children_of(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM])
def test_run_serves_then_stops_everything_on_a_signal_to_the_process_group(tmp_path: Path, stop_signal: int) -> None:
    database = test_database_url()
    ports = {"GATEWAY_PORT": free_port(), "RASA_PORT": free_port(), "ACTION_SERVER_PORT": free_port()}
    env = (
        os.environ
        | {k: str(v) for k, v in ports.items()}
        | {
            "JOSO_STATE_DIR": str(tmp_path / "state"),
            "REDIS_KEY_PREFIX": "testrun",
        }
    )
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "scripts.stack", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    lines: list[str] = []
    try:
        assert supervisor.stdout is not None
        deadline = time.monotonic() + 600
        for line in supervisor.stdout:
            lines.append(line)
            if "ready: chat page" in line or time.monotonic() > deadline:
                break
        assert any("ready: chat page" in line for line in lines), "".join(lines[-40:])
        # every line names its component
        assert any("[rasa   ]" in line for line in lines)
        assert any("[actions]" in line for line in lines)
        assert any("[gateway]" in line for line in lines)

        url = f"http://127.0.0.1:{ports['GATEWAY_PORT']}/api/chat"
        request = urllib.request.Request(url, data=json.dumps({"session_id": "run", "text": "こんにちは"}).encode())
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
        children = _children_of(supervisor.pid)
        assert len(children) == 3

        os.killpg(supervisor.pid, stop_signal)
        rest, _ = supervisor.communicate(timeout=60)
        lines.append(rest)
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
        drop_database(database)
    log = "".join(lines)
    assert supervisor.returncode == 0, log[-3000:]
    assert "stopped" in log
    for port in ports.values():
        assert port_is_closed(port), f"port {port} still open after stop"
    assert _session_members(children) == [], "component processes outlived the supervisor"
