"""A resident's message through the real gateway, the real Rasa server and the real action server."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from scripts.stack import Stack

pytestmark = pytest.mark.slow


def post(stack: Stack, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        f"{stack.config.gateway_url}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def get(stack: Stack, path: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(f"{stack.config.gateway_url}{path}", timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def texts(body: dict[str, Any]) -> str:
    return "\n".join(m.get("text", "") for m in body["messages"])


def test_healthz_is_ok_when_all_three_answer(stack: Stack) -> None:
    status, body = get(stack, "/healthz")
    assert status == 200
    assert body["components"] == {"gateway": "ok", "rasa": "ok", "actions": "ok"}


def test_a_greeting_gets_a_japanese_greeting(stack: Stack) -> None:
    status, body = post(stack, "/api/chat", {"session_id": "e2e-greet", "text": "こんにちは"})
    assert status == 200
    assert "常総市" in texts(body)


def test_a_question_is_answered_by_the_action_server_from_the_faq(stack: Stack) -> None:
    status, body = post(stack, "/api/chat", {"session_id": "e2e-faq", "text": "マイナンバーカードをなくしました"})
    assert status == 200
    # The answer card is a custom faq_answer message whose text fallback every channel can show.
    reply = texts(body) + "\n".join(m["custom"].get("text", "") for m in body["messages"] if "custom" in m)
    # The answer and its department come from knowledge_base/faq/shiminka.yml via the action server (a question
    # the shipped calibration answers with a card).
    assert "市民課" in reply
    assert "マイナンバー総合フリーダイヤル" in reply
