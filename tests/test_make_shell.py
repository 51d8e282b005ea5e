"""`make shell`: `rasa shell` on the trained model, in a terminal, with the action server answering behind it."""

from __future__ import annotations

import os
import pty
import select
import signal
import time
from pathlib import Path

import pytest

from knowledge_base.storage import drop_database
from scripts.stack import APP_BIN, ROOT, StackConfig, shell_command
from tests.support import isolated_config, port_is_closed

pytestmark = pytest.mark.slow


def test_the_shell_command_uses_the_model_and_the_endpoints_of_make_run(tmp_path: Path) -> None:
    config = StackConfig(rasa_port=5999, action_port=5998)
    command = shell_command(config, tmp_path / "model.tar.gz")
    assert command[1:4] == ["shell", "--model", str(tmp_path / "model.tar.gz")]
    assert "bot/endpoints.yml" in command and command[-1] == "5999"
    assert config.environment()["ACTION_SERVER_URL"] == "http://127.0.0.1:5998"


class Terminal:
    """A process on a pseudo-terminal (rasa shell wants one), read without blocking."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the command
            os.chdir(ROOT)
            os.execve(argv[0], argv, env)
        self.screen = b""

    def wait_for(self, text: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.screen and time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.5)
            if ready:
                try:
                    self.screen += os.read(self.fd, 65536)
                except OSError:  # the process has gone
                    break
        return text.encode() in self.screen

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())


def test_make_shell_talks_to_the_bot_with_the_action_server_running(tmp_path: Path) -> None:
    config = isolated_config(tmp_path)
    env = os.environ | config.environment() | {"RASA_PORT": str(config.rasa_port), "TERM": "xterm"}
    env["ACTION_SERVER_PORT"] = str(config.action_port)
    terminal = Terminal([str(APP_BIN / "python"), "-m", "scripts.stack", "shell"], env)
    try:
        assert terminal.wait_for("Bot loaded", 600), terminal.screen.decode(errors="replace")[-2000:]
        terminal.type("こんにちは\r")
        # The greeting is written by an action: the action server answered.
        assert terminal.wait_for("常総市のチャットボットです", 180), terminal.screen.decode(errors="replace")[-2000:]
    finally:
        terminal.type("\x03")  # Ctrl-C, as a person would
        terminal.wait_for("never printed", 5)
        if os.waitpid(terminal.pid, os.WNOHANG) == (0, 0):
            os.kill(terminal.pid, signal.SIGINT)
        _, status = os.waitpid(terminal.pid, 0)
        drop_database(config.database_url)
    assert os.waitstatus_to_exitcode(status) in (0, 1, -signal.SIGINT)
    # The action server went with the shell.
    deadline = time.monotonic() + 30
    while not port_is_closed(config.action_port) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert port_is_closed(config.action_port)
