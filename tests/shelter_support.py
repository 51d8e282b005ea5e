"""Helpers for the evacuation tests: the real Joso data, running our actions through rasa-sdk's executor,
a local HTTP server, and a broadcast probe that posts announcements to a local HTTP receiver."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.executor import ActionExecutor

from tests.support import free_port

SHARED_JOSO = Path(__file__).resolve().parents[2] / "shared" / "data" / "joso"
JOSO_EMERGENCY = SHARED_JOSO / "gsi_emergency_sites.csv"
JOSO_SHELTERS = SHARED_JOSO / "gsi_designated_shelters.csv"

# The 9 flood sites of Joso (../shared/data/joso/README.md).
JOSO_FLOOD_SITES = {
    "飯沼小学校",
    "絹西小学校",
    "石下小学校",
    "水海道第一高等学校",
    "水海道小学校",
    "菅生小学校",
    "菅原小学校",
    "豊岡小学校",
    "豊田小学校",
}


def joso_files() -> tuple[Path, Path]:
    """The real Joso files beside the project; the test is skipped where they are absent."""
    if not (JOSO_EMERGENCY.is_file() and JOSO_SHELTERS.is_file()):
        pytest.skip(f"the real Joso data is not here ({SHARED_JOSO})")
    return JOSO_EMERGENCY, JOSO_SHELTERS


# --- actions ----------------------------------------------------------------------------------------------


@functools.cache
def _executor() -> ActionExecutor:
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor


DOMAIN: dict[str, Any] = {"session_config": {"carry_over_slots_to_new_session": False}}


def user_turn(
    text: str,
    intent: str,
    entities: dict[str, Any] | None = None,
    at: float | None = None,
) -> dict[str, Any]:
    """A user event as Rasa records it (the payload text for a button or a shared location)."""
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": [{"entity": k, "value": v} for k, v in (entities or {}).items()],
    }
    return {"event": "user", "timestamp": at or time.time(), "text": text, "parse_data": parse}


async def run_action(
    action: str,
    turns: list[dict[str, Any]],
    slots: dict[str, Any] | None = None,
    domain: dict[str, Any] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run one of our actions through rasa-sdk's executor, the latest turn last: (messages, events)."""
    latest = turns[-1]["parse_data"] if turns else {}
    tracker = {
        "sender_id": "test-resident",
        "slots": slots or {},
        "latest_message": latest,
        "events": turns,
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }
    call = {"next_action": action, "sender_id": "test-resident", "tracker": tracker, "domain": domain or DOMAIN}
    result = await _executor().run(call)
    assert result is not None
    return result.responses, result.events


def customs(messages: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [m["custom"] for m in messages if (m.get("custom") or {}).get("kind") == kind]


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


# --- HTTP -------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """A local HTTP server for the files of a directory; yields its base URL."""
    handler = functools.partial(_QuietFiles, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Receiver:
    """A local HTTP endpoint that records the JSON bodies posted to it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        received = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                received.bodies.append(json.loads(self.rfile.read(length)))
                received.headers.append(dict(self.headers))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/broadcast"

    def __enter__(self) -> Receiver:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


async def post_announcement(announcement: Any) -> None:
    """A Broadcaster (knowledge_base.disaster.broadcast) that posts to BROADCAST_PROBE_URL: lets a test see,
    through real HTTP, what a channel would be asked to send."""
    body = json.dumps(
        {
            "text": announcement.text,
            "retry_key": announcement.retry_key,
            "level": announcement.state.level,
            "hazard": announcement.state.hazard.value,
        }
    ).encode()
    request = urllib.request.Request(
        os.environ["BROADCAST_PROBE_URL"],
        data=body,
        headers={"Content-Type": "application/json", "X-Retry-Key": announcement.retry_key},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


async def failing_broadcast(announcement: Any) -> None:
    raise ConnectionError("the channel refused the broadcast")
