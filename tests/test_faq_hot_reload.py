"""Hot reload through a real action server: staff edit the YAML (or run the build command) and the server
answers from the new index without a restart, without failing a request in flight, and a broken file
never takes it down."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge_base.retrieval.settings import DEFAULT_CONFIG
from scripts.stack import APP_BIN, ROOT, app_env
from tests.faq_support import FIXTURE_FAQ
from tests.support import ARTIFACTS, free_port

pytestmark = pytest.mark.slow

DOG = """
  - id: inu-touroku
    question: 犬を飼い始めたら登録が必要ですか？
    paraphrases: [犬の登録をしたい, 狂犬病の予防注射を受けたい]
    answer: テスト用の回答です。犬の登録が必要です。
    updated: 2026-11-01
"""


class ActionServer:
    def __init__(self, port: int, log: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.log = log

    def ask(self, text: str, timeout: float = 30) -> dict[str, Any]:
        """Run action_answer_question for one resident message, as Rasa would."""
        tracker = {
            "sender_id": "hot-reload",
            "slots": {},
            "latest_message": {"text": text, "intent": {"name": "ask_question"}, "entities": []},
            "events": [{"event": "user", "text": text}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
        body = {"next_action": "action_answer_question", "sender_id": "hot-reload", "tracker": tracker, "domain": {}}
        body["version"] = "3.6.21"
        request = urllib.request.Request(
            f"{self.url}/webhook", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            assert response.status == 200
            return json.load(response)

    def answered(self, text: str) -> str | None:
        cards = [
            r["custom"] for r in self.ask(text)["responses"] if (r.get("custom") or {}).get("kind") == "faq_answer"
        ]
        return cards[0]["entry_id"] if cards else None

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def faq_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "faq"
    shutil.copytree(FIXTURE_FAQ, directory)
    return directory


@pytest.fixture
def server(tmp_path: Path, faq_dir: Path, database_url: str) -> Iterator[ActionServer]:
    # Every question gets the best entry's card (answer threshold 0): which entry tells which index serves.
    settings = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    for group in settings["fusion"].values():
        group.update(answer=0.0, suggest=0.0, margin=0.0)
    (tmp_path / "calibration.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "faq-hot-reload.log"
    env = app_env(
        {
            "FAQ_DIR": str(faq_dir),
            "FAQ_RELOAD_INTERVAL": "0.5",
            "FAQ_PRELOAD": "1",
            "FAQ_RETRIEVAL_CONFIG": str(tmp_path / "calibration.yml"),
            "JOSO_CACHE_DIR": str(tmp_path / "cache"),
            "DATABASE_URL": database_url,
            "SANIC_HOST": "127.0.0.1",
        }
    )
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [str(APP_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "-p", str(port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = ActionServer(port, log)
    running.env = env  # type: ignore[attr-defined]
    try:
        wait_for(lambda: _healthy(running), 180, "the action server")
        wait_for(lambda: "FAQ: serving 12 entries" in running.log_text(), 300, "the first index")
        yield running
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _healthy(server: ActionServer) -> bool:
    try:
        with urllib.request.urlopen(f"{server.url}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def test_the_server_reloads_on_change_keeps_serving_through_errors_and_never_fails_a_request(
    server: ActionServer, faq_dir: Path
) -> None:
    assert server.answered("住民票の写しがほしいです") == "juminhyo"
    assert server.answered("犬の登録をしたい") != "inu-touroku"
    # the worker built the index; Sanic's supervising process loaded nothing
    assert server.log_text().count("FAQ: serving") == 1

    # Residents keep asking while staff edit: every one of these requests must get a card.
    failures: list[str] = []
    answers: list[str | None] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            try:
                answers.append(server.answered("住民票の写しがほしいです"))
            except Exception as exc:
                failures.append(repr(exc))

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        # 1. staff add an entry and save: the server notices and swaps the index
        with (faq_dir / "kodomo.yml").open("a", encoding="utf-8") as file:
            file.write(DOG)
        wait_for(lambda: server.answered("犬の登録をしたい") == "inu-touroku", 180, "the new entry")

        # 2. staff save a broken file: the server logs why and keeps the last good index
        (faq_dir / "zz-broken.yml").write_text("entries:\n  - id: x\n    question: [unclosed\n", encoding="utf-8")
        wait_for(lambda: "zz-broken.yml" in server.log_text(), 60, "the broken file in the log")
        assert "malformed YAML" in server.log_text()
        assert "still serving the previous index" in server.log_text()
        assert server.answered("犬の登録をしたい") == "inu-touroku"
    finally:
        stop.set()
        asker.join(timeout=60)
    assert failures == []
    assert len(answers) > 10 and set(answers) == {"juminhyo"}

    # 3. staff fix the files in a copy, build the index for it, then put the files in place: the server
    #    loads that index instead of building its own
    staging = faq_dir.parent / "staging"
    shutil.copytree(faq_dir, staging, ignore=shutil.ignore_patterns("zz-broken.yml"))
    text = (staging / "kodomo.yml").read_text(encoding="utf-8").replace("犬の登録をしたい", "飼い犬の登録")
    (staging / "kodomo.yml").write_text(text.replace("狂犬病の予防注射を受けたい", "狂犬病の注射"), encoding="utf-8")
    build = subprocess.run(
        [sys.executable, "-m", "knowledge_base", "build", str(staging)],
        cwd=ROOT,
        env=server.env,  # type: ignore[attr-defined]
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    built_dir = build.stdout.strip().rsplit("→ ", 1)[1]
    (faq_dir / "zz-broken.yml").unlink()
    shutil.copy(staging / "kodomo.yml", faq_dir / "kodomo.yml")
    wait_for(lambda: f"{built_dir} (loaded in" in server.log_text(), 120, "the prebuilt index")
    assert server.answered("飼い犬の登録") == "inu-touroku"
