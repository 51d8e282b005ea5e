"""The hand-off names the department and phone of the FAQ index being served, also after staff edit the FAQ
(the service swaps indexes without a restart; the contacts must follow it, not the files read at start)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import actions
from actions.conversation.contacts import CITY_MAIN, contact_for
from tests.faq_support import serve_faq
from tests.test_conversation_actions import FAQ_FILE


def faq(phone: str) -> str:
    """The department file of the conversation tests, with another phone number."""
    return FAQ_FILE.replace("0297-00-0000", phone)


def wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def handoff_text(faq_id: str) -> str:
    turn = {"event": "user", "text": "職員と話したい", "parse_data": {"text": "職員と話したい", "entities": []}}
    tracker = Tracker("resident", {"faq_id": faq_id}, turn["parse_data"], [turn], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    await actions.ActionHumanHandoff().run(dispatcher, tracker, {})
    return dispatcher.messages[0]["text"]


async def test_a_new_department_phone_reaches_the_handoff_once_the_faq_reloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "faq"
    directory.mkdir()
    (directory / "hoken.yml").write_text(faq("0297-00-0001"), encoding="utf-8")
    monkeypatch.setenv("FAQ_DIR", str(directory))
    service = serve_faq(monkeypatch, directory, tmp_path / "cache", poll_interval=0.2)
    try:
        assert contact_for("kokuho-join").phone == "0297-00-0001"
        assert "0297-00-0001" in await handoff_text("kokuho-join")

        # Staff change the department's number and save: the service swaps the index, the hand-off follows.
        before = service.served
        (directory / "hoken.yml").write_text(faq("0297-00-0002"), encoding="utf-8")
        wait_for(lambda: service.served is not before, 120, "the reload")
        assert contact_for("kokuho-join").phone == "0297-00-0002"
        text = await handoff_text("kokuho-join")
        assert "0297-00-0002" in text and "0297-00-0001" not in text

        # A broken save keeps the last good index, and with it the last good phone.
        (directory / "hoken.yml").write_text("entries:\n  - id: [unclosed\n", encoding="utf-8")
        time.sleep(1.0)
        assert contact_for("kokuho-join").phone == "0297-00-0002"
    finally:
        service.stop()
    assert contact_for(None) == CITY_MAIN and contact_for("no-such-entry") == CITY_MAIN
