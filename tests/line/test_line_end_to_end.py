"""LINE conversations through the real gateway, the real Rasa server and the real action server.

The gateway runs in this process (LINE configured against the stand-in) and talks to the session's stack.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis

from connectors.texts import ENGINE_UNAVAILABLE
from knowledge_base.texts import text
from scripts.stack import ROOT, Stack
from tests.line.conftest import LineGateway, MakeGateway
from tests.line_standin import LOADING, REPLY, message_problems, webhooks

pytestmark = pytest.mark.slow

# The engine may be slow on a busy machine; the stand-in waits this long for an answer.
ANSWER_TIMEOUT = 180.0
JOSO_STATION = (36.0236, 139.9937)  # 水海道駅 (Mitsukaido station), central Joso


@pytest.fixture
async def gateway(stack: Stack, make_line_gateway: MakeGateway) -> LineGateway:
    return await make_line_gateway(
        rasa_url=f"http://127.0.0.1:{stack.config.rasa_port}",
        action_server_url=f"http://127.0.0.1:{stack.config.action_port}",
    )


def tracker_user_events(stack: Stack, sender: str) -> list[dict[str, Any]]:
    """The resident's turns as Rasa recorded them (its tracker store is Redis)."""
    raw = redis.Redis.from_url("redis://127.0.0.1:6379/0").get(f"{stack.config.redis_prefix}:tracker:{sender}")
    assert raw is not None, "Rasa has no conversation for this sender"
    return [event for event in json.loads(raw)["events"] if event.get("event") == "user"]


async def answer(gateway: LineGateway, user: str, count: int = 1) -> list[dict[str, Any]]:
    await gateway.api.wait_for(lambda: len(gateway.api.delivered_to(user)) >= count, ANSWER_TIMEOUT)
    return gateway.api.delivered_to(user)


def texts_of(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


async def test_a_question_is_answered_from_the_faq(stack: Stack, gateway: LineGateway) -> None:
    user = webhooks.new_user_id()
    token = gateway.api.new_reply_token(user)
    await gateway.send(webhooks.text(user, token, "マイナンバーカードをなくしました"))
    messages = await answer(gateway, user)
    assert "市民課" in texts_of(messages) and "マイナンバー総合フリーダイヤル" in texts_of(messages)
    assert ENGINE_UNAVAILABLE not in texts_of(messages)
    assert [c.endpoint for c in gateway.api.calls if user in c.to] == [LOADING, REPLY]
    assert gateway.api.calls_to(REPLY)[-1].body["replyToken"] == token
    turns = tracker_user_events(stack, gateway.pseudonym(user))
    assert turns[-1]["text"] == "マイナンバーカードをなくしました"
    assert turns[-1]["input_channel"] == "rest"


async def test_a_location_reaches_rasa_as_share_location_and_the_answer_is_rendered(
    stack: Stack, gateway: LineGateway
) -> None:
    user = webhooks.new_user_id()
    await gateway.send(webhooks.location(user, gateway.api.new_reply_token(user), *JOSO_STATION))
    messages = await answer(gateway, user)
    turns = tracker_user_events(stack, gateway.pseudonym(user))
    assert turns[-1]["text"] == '/share_location{"latitude": 36.0236, "longitude": 139.9937}'
    # Whatever the dialogue answers (the shelters branch decides), it arrives rendered and LINE accepts it.
    assert messages and message_problems(messages[:5]) == []
    assert ENGINE_UNAVAILABLE not in texts_of(messages)


@pytest.mark.skipif(
    not (ROOT / "bot" / "domain" / "shelter.yml").exists(), reason="needs the shelters branch (enabled at merge)"
)
async def test_a_location_in_joso_gets_nearby_shelters_as_a_carousel(gateway: LineGateway) -> None:
    user = webhooks.new_user_id()
    await gateway.send(webhooks.location(user, gateway.api.new_reply_token(user), *JOSO_STATION))
    asked = await answer(gateway, user)
    # Outside disaster mode the bot first asks which hazard, as quick replies; the resident taps 洪水 (flood).
    choices = [item["action"] for m in asked for item in m.get("quickReply", {}).get("items", [])]
    [flood] = [a for a in choices if a.get("data", "").startswith("/choose_hazard") and '"flood"' in a["data"]]
    await gateway.send(webhooks.postback(user, gateway.api.new_reply_token(user), flood["data"]))
    messages = (await answer(gateway, user, count=len(asked) + 1))[len(asked) :]
    [carousel] = [m for m in messages if m["type"] == "flex" and m["contents"]["type"] == "carousel"]
    bubbles = carousel["contents"]["contents"]
    assert 1 <= len(bubbles) <= 12
    assert carousel["altText"]
    first = bubbles[0]["body"]["contents"]
    assert first[0]["text"].startswith("1. ") and len(first[0]["text"]) > 3
    assert any("ここから約" in part.get("text", "") for part in first)
    footer = bubbles[0].get("footer")
    assert footer is None or footer["contents"][0]["action"]["uri"].startswith("http")


async def test_a_postback_sends_its_data_as_the_payload(stack: Stack, gateway: LineGateway) -> None:
    user = webhooks.new_user_id()
    await gateway.send(webhooks.postback(user, gateway.api.new_reply_token(user), "/greet"))
    messages = await answer(gateway, user)
    assert messages and ENGINE_UNAVAILABLE not in texts_of(messages)
    turns = tracker_user_events(stack, gateway.pseudonym(user))
    assert turns[-1]["text"] == "/greet"
    assert turns[-1]["parse_data"]["intent"]["name"] == "greet"


async def test_typed_text_never_becomes_a_payload(stack: Stack, gateway: LineGateway) -> None:
    user = webhooks.new_user_id()
    await gateway.send(webhooks.text(user, gateway.api.new_reply_token(user), "/greet"))
    await answer(gateway, user)
    assert tracker_user_events(stack, gateway.pseudonym(user))[-1]["text"] == "／greet"


async def test_follow_gets_the_welcome_then_the_bot_greeting_with_a_menu(stack: Stack, gateway: LineGateway) -> None:
    user = webhooks.new_user_id()
    await gateway.send(webhooks.follow(user, gateway.api.new_reply_token(user)))
    messages = await answer(gateway, user)
    assert messages[0]["text"].startswith(text("line.welcome", "ja").split("\n")[0])
    assert len(messages) >= 2 and ENGINE_UNAVAILABLE not in texts_of(messages)  # then Rasa's greeting
    assert tracker_user_events(stack, gateway.pseudonym(user))[-1]["parse_data"]["intent"]["name"] == "greet"
    assert "quickReply" in messages[-1]
    assert len(gateway.api.calls_to(REPLY)) == 1 and len(messages) <= 5


async def test_events_of_one_chat_are_answered_in_order(gateway: LineGateway) -> None:
    user = webhooks.new_user_id()
    tokens = [gateway.api.new_reply_token(user) for _ in range(3)]
    turns = ["こんにちは", "マイナンバーカードをなくしました", "こんにちは"]
    await gateway.send(*(webhooks.text(user, token, turn) for token, turn in zip(tokens, turns, strict=True)))
    await gateway.api.wait_for(lambda: len([c for c in gateway.api.calls_to(REPLY) if user in c.to]) == 3, 300)
    replies = [c for c in gateway.api.calls_to(REPLY) if user in c.to]
    assert [c.body["replyToken"] for c in replies] == tokens
    assert "市民課" in texts_of(replies[1].messages)
    assert "市民課" not in texts_of(replies[0].messages + replies[2].messages)


async def test_the_line_user_id_is_never_stored_or_logged_in_the_clear(
    stack: Stack, gateway: LineGateway, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    user = webhooks.new_user_id()
    await gateway.send(webhooks.follow(user, gateway.api.new_reply_token(user)))
    await answer(gateway, user)
    await gateway.send(webhooks.text(user, gateway.api.new_reply_token(user), "マイナンバーカードをなくしました"))
    await gateway.send(webhooks.location(user, gateway.api.new_reply_token(user), *JOSO_STATION))
    await answer(gateway, user, 3)

    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    for prefix in (stack.config.redis_prefix, gateway.redis_prefix):
        for key in client.scan_iter(f"{prefix}:*"):
            assert user.encode() not in key
            if client.type(key) == b"string":
                assert user.encode() not in client.get(key)
    assert gateway.pseudonym(user) in {k.decode().rsplit(":", 1)[-1] for k in client.scan_iter("*:tracker:*")}

    with psycopg.connect(gateway.database_url) as conn:
        dump = conn.execute("SELECT row_to_json(f)::text FROM line_followers f").fetchall()
    assert dump and all(user not in row[0] for row in dump)

    assert user not in caplog.text
    assert gateway.pseudonym(user) in caplog.text  # the logs do name the conversation, by its keyed hash
    log_file = Path(ROOT / "test-artifacts" / "stack.log")
    if log_file.exists():
        assert user not in log_file.read_text(encoding="utf-8", errors="replace")
