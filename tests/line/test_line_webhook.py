"""POST /line/webhook on the real gateway, against the LINE API stand-in (engine down: the channel's own logic).

Signatures, malformed bodies, once-only handling of each webhookEventId, standby mode, reply then push with a
retry key, unsupported message types. Conversations with the real engine: test_line_end_to_end.py.
"""

from __future__ import annotations

import asyncio
import json
import uuid

import redis
from aiohttp import web
from aiohttp.test_utils import TestServer

from connectors.texts import ENGINE_UNAVAILABLE
from knowledge_base.texts import text
from tests.line.conftest import CHANNEL_SECRET, LineGateway, MakeGateway
from tests.line_standin import LOADING, PUSH, REPLY, webhooks


async def test_not_configured_says_so_clearly(make_line_gateway: MakeGateway) -> None:
    gateway = await make_line_gateway(configured=False)
    body = webhooks.body(webhooks.text(webhooks.new_user_id(), "token", "こんにちは"))
    response = await gateway.post(body)
    assert response.status == 503
    error = (await response.json())["error"]
    assert error["code"] == "line_not_configured"
    assert error["missing"] == ["LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN"]
    assert "LINE_CHANNEL_SECRET" in error["message"] and error["message_ja"]
    assert gateway.api.calls == []


async def test_missing_and_wrong_signatures_get_401_and_nothing_happens(gateway_engine_down: LineGateway) -> None:
    gateway = gateway_engine_down
    user = webhooks.new_user_id()
    body = webhooks.body(webhooks.text(user, gateway.api.new_reply_token(user), "こんにちは"))
    forged = webhooks.sign(body, "not-the-channel-secret")
    tampered = body.replace("こんにちは".encode(), "さようなら".encode())
    attempts = [
        await gateway.post(body, sign=False),
        await gateway.post(body, signature=""),
        await gateway.post(body, signature=forged),
        await gateway.post(body, signature="not base64 at all"),
        await gateway.post(tampered, signature=webhooks.sign(body, CHANNEL_SECRET)),
        await gateway.post(b"\xff\xfe" + body, signature=webhooks.sign(b"\xff\xfe" + body, CHANNEL_SECRET)),
    ]
    for response in attempts:
        assert response.status == 401
        assert (await response.json())["error"]["code"] == "invalid_signature"
    await gateway.settle()
    assert gateway.api.delivered_to(user) == []
    assert not [c for c in gateway.api.calls if user in c.to or c.body.get("chatId") == user]
    assert not [key for key in gateway.redis_keys() if key.endswith(json.loads(body)["events"][0]["webhookEventId"])]


async def test_malformed_bodies_get_400_and_nothing_happens(gateway_engine_down: LineGateway) -> None:
    gateway = gateway_engine_down
    user = webhooks.new_user_id()
    good = webhooks.text(user, gateway.api.new_reply_token(user), "こんにちは")
    no_id = {key: value for key, value in good.items() if key != "webhookEventId"}
    bodies = [
        b"",
        b"{not json",
        b"[]",
        b"null",
        b'{"destination": "U0"}',
        b'{"events": "many"}',
        b'{"events": {}}',
        b'{"events": [1]}',
        json.dumps({"events": [no_id]}).encode(),
        json.dumps({"events": [good | {"mode": "sleeping"}]}).encode(),
        json.dumps({"events": [{"type": "message"}]}).encode(),
        json.dumps({"events": [good | {"message": {"id": "1", "type": "text"}}]}).encode(),
        json.dumps({"events": [webhooks.postback(user, "t", "/greet") | {"postback": {}}]}).encode(),
        json.dumps({"events": [webhooks.follow(user, "t") | {"source": {"type": "user", "userId": 5}}]}).encode(),
        b'{"events": [' * 5000,
    ]
    for body in bodies:
        response = await gateway.post(body)
        assert response.status == 400, body
        assert (await response.json())["error"]["code"] == "malformed_webhook"
    await gateway.settle()
    assert gateway.api.delivered_to(user) == []


async def test_an_empty_event_list_is_acknowledged(gateway_engine_down: LineGateway) -> None:
    """LINE's console sends this when the webhook URL is verified."""
    response = await gateway_engine_down.post(webhooks.body())
    assert response.status == 200
    assert await response.json() == {}


async def test_a_text_is_acknowledged_then_answered_by_reply_after_the_loading_animation(
    gateway_engine_down: LineGateway,
) -> None:
    gateway = gateway_engine_down
    user = webhooks.new_user_id()
    token = gateway.api.new_reply_token(user)
    response = await gateway.post(webhooks.body(webhooks.text(user, token, "住民票がほしい")))
    assert response.status == 200
    await gateway.api.wait_for(lambda: bool(gateway.api.delivered_to(user)))
    endpoints = [c.endpoint for c in gateway.api.calls if user in c.to]
    assert endpoints == [LOADING, REPLY]
    reply = gateway.api.calls_to(REPLY)[-1]
    assert reply.body["replyToken"] == token
    assert reply.headers["Authorization"] == "Bearer test-channel-access-token"
    assert gateway.api.delivered_to(user) == [{"type": "text", "text": ENGINE_UNAVAILABLE}]


async def test_a_redelivered_event_is_handled_once(gateway_engine_down: LineGateway) -> None:
    gateway = gateway_engine_down
    user = webhooks.new_user_id()
    event = webhooks.text(user, gateway.api.new_reply_token(user), "こんにちは")
    await gateway.send(event)
    await gateway.api.wait_for(lambda: bool(gateway.api.delivered_to(user)))
    redelivered = event | {"deliveryContext": {"isRedelivery": True}}
    await gateway.send(redelivered)
    await gateway.settle(user)
    replies_for_event = [c for c in gateway.api.calls_to(REPLY) if c.body["replyToken"] == event["replyToken"]]
    assert len(replies_for_event) == 1
    assert gateway.api.calls_to(PUSH) == []
    key = f"{gateway.redis_prefix}:line:event:{event['webhookEventId']}"
    ttl = redis.Redis.from_url("redis://127.0.0.1:6379/0").ttl(key)
    assert 0 < ttl <= 3 * 24 * 3600


async def test_two_identical_deliveries_at_once_are_handled_once(gateway_engine_down: LineGateway) -> None:
    gateway = gateway_engine_down
    user = webhooks.new_user_id()
    body = webhooks.body(webhooks.text(user, gateway.api.new_reply_token(user), "こんにちは"))
    responses = await asyncio.gather(*(gateway.post(body) for _ in range(5)))
    assert [r.status for r in responses] == [200] * 5
    await gateway.settle(user)
    delivered = gateway.api.delivered_to(user)
    assert delivered.count({"type": "text", "text": ENGINE_UNAVAILABLE}) == 2  # the event once, and settle()
    assert gateway.api.calls_to(PUSH) == []


async def test_standby_events_are_ignored(gateway_engine_down: LineGateway) -> None:
    gateway = gateway_engine_down
    user = webhooks.new_user_id()
    standby = webhooks.text(user, gateway.api.new_reply_token(user), "こんにちは", mode="standby")
    await gateway.send(standby)
    await gateway.settle()
    assert [c for c in gateway.api.calls if user in c.to or c.body.get("chatId") == user] == []
    assert not [key for key in gateway.redis_keys() if key.endswith(standby["webhookEventId"])]


async def test_an_expired_reply_token_falls_back_to_push_with_a_retry_key(gateway_engine_down: LineGateway) -> None:
    gateway = gateway_engine_down
    user = webhooks.new_user_id()
    token = gateway.api.new_reply_token(user)
    gateway.api.expire(token)
    await gateway.send(webhooks.text(user, token, "こんにちは"))
    await gateway.api.wait_for(lambda: bool(gateway.api.delivered_to(user)))
    reply = gateway.api.calls_to(REPLY)[-1]
    assert (reply.status, reply.body["replyToken"]) == (400, token)
    [push] = gateway.api.calls_to(PUSH)
    assert push.ok and push.body["to"] == user
    assert uuid.UUID(push.retry_key)
    assert push.messages == reply.messages == [{"type": "text", "text": ENGINE_UNAVAILABLE}]


async def test_a_failed_push_is_retried_with_the_same_retry_key(gateway_engine_down: LineGateway) -> None:
    gateway = gateway_engine_down
    user = webhooks.new_user_id()
    token = gateway.api.new_reply_token(user)
    gateway.api.expire(token)
    gateway.api.fail_next(PUSH, times=2, status=500)
    await gateway.send(webhooks.text(user, token, "こんにちは"))
    await gateway.api.wait_for(lambda: bool(gateway.api.delivered_to(user)))
    pushes = gateway.api.calls_to(PUSH)
    assert [p.status for p in pushes] == [500, 500, 200]
    assert len({p.retry_key for p in pushes}) == 1


async def test_a_push_accepted_but_unanswered_is_not_sent_twice(gateway_engine_down: LineGateway) -> None:
    """LINE took the push but the answer was lost: the retry (same key) gets 409, and that is success."""
    gateway = gateway_engine_down
    user = webhooks.new_user_id()
    token = gateway.api.new_reply_token(user)
    gateway.api.expire(token)
    gateway.api.fail_next(PUSH, times=1, status=500, after_accepting=True)
    await gateway.send(webhooks.text(user, token, "こんにちは"))
    await gateway.api.wait_for(lambda: len(gateway.api.calls_to(PUSH)) == 2)
    await gateway.settle(user)
    assert [p.status for p in gateway.api.calls_to(PUSH)] == [500, 409]
    assert gateway.api.delivered_to(user).count({"type": "text", "text": ENGINE_UNAVAILABLE}) == 2  # once + settle


async def test_stickers_images_and_new_message_types_get_a_kind_reply(gateway_engine_down: LineGateway) -> None:
    gateway = gateway_engine_down
    cases = {
        "sticker": (webhooks.sticker, text("line.sticker", "ja")),
        "image": (webhooks.image, text("line.media", "ja")),
        "hologram": (
            lambda user, token: webhooks.event("message", user, token, message={"id": "1", "type": "hologram"}),
            text("line.media", "ja"),
        ),
    }
    for name, (build, expected) in cases.items():
        user = webhooks.new_user_id()
        await gateway.send(build(user, gateway.api.new_reply_token(user)))
        await gateway.api.wait_for(lambda user=user: bool(gateway.api.delivered_to(user)))
        [message] = gateway.api.delivered_to(user)
        assert message["text"] == expected, name
        actions = [item["action"] for item in message["quickReply"]["items"]]
        assert actions[0]["type"] == "location"


async def test_unknown_event_types_are_acknowledged_and_ignored(gateway_engine_down: LineGateway) -> None:
    gateway = gateway_engine_down
    user = webhooks.new_user_id()
    unknown = webhooks.event("teleport", user, gateway.api.new_reply_token(user), teleport={"to": "moon"})
    joined = webhooks.event("join", user, gateway.api.new_reply_token(user))
    await gateway.send(unknown, joined)
    await gateway.settle()
    assert [c for c in gateway.api.calls if user in c.to] == []


async def test_events_from_a_group_are_answered_in_the_group(gateway_engine_down: LineGateway) -> None:
    gateway = gateway_engine_down
    group = "C" + uuid.uuid4().hex
    member = webhooks.new_user_id()
    event = webhooks.text(member, gateway.api.new_reply_token(group), "こんにちは")
    event["source"] = {"type": "group", "groupId": group, "userId": member}
    await gateway.send(event)
    await gateway.api.wait_for(lambda: bool(gateway.api.delivered_to(group)))
    assert gateway.api.calls_to(LOADING) == []  # LINE shows the animation in one-to-one chats only
    assert gateway.api.delivered_to(member) == []


async def test_the_acknowledgement_never_waits_for_the_engine(make_line_gateway: MakeGateway) -> None:
    """Rasa holds the turn: the webhook is answered anyway, and the reply follows when Rasa answers."""
    asked = asyncio.Event()
    release = asyncio.Event()

    async def slow_rasa(request: web.Request) -> web.Response:
        asked.set()
        await release.wait()
        return web.json_response([{"recipient_id": (await request.json())["sender"], "text": "お待たせしました"}])

    async def ok(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    engine = web.Application()
    engine.add_routes([web.post("/webhooks/rest/webhook", slow_rasa), web.get("/", ok), web.get("/health", ok)])
    async with TestServer(engine) as rasa:
        url = str(rasa.make_url("")).rstrip("/")
        gateway = await make_line_gateway(rasa_url=url, action_server_url=url)
        user = webhooks.new_user_id()
        response = await gateway.post(webhooks.body(webhooks.text(user, gateway.api.new_reply_token(user), "住民票")))
        assert response.status == 200
        await asyncio.wait_for(asked.wait(), 30)
        assert gateway.api.delivered_to(user) == []  # acknowledged while Rasa still has the turn
        release.set()
        await gateway.api.wait_for(lambda: bool(gateway.api.delivered_to(user)))
    assert gateway.api.delivered_to(user)[0]["text"] == "お待たせしました"


async def test_a_reply_the_gateway_cannot_read_still_gets_the_apology(make_line_gateway: MakeGateway) -> None:
    """Rasa answers something no channel can render (a bug somewhere): the resident is not left in silence."""

    async def odd_rasa(request: web.Request) -> web.Response:
        return web.json_response([42])

    async def ok(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    engine = web.Application()
    engine.add_routes([web.post("/webhooks/rest/webhook", odd_rasa), web.get("/", ok), web.get("/health", ok)])
    async with TestServer(engine) as rasa:
        url = str(rasa.make_url("")).rstrip("/")
        gateway = await make_line_gateway(rasa_url=url, action_server_url=url)
        user = webhooks.new_user_id()
        await gateway.send(webhooks.text(user, gateway.api.new_reply_token(user), "住民票"))
        await gateway.api.wait_for(lambda: bool(gateway.api.delivered_to(user)))
    assert gateway.api.delivered_to(user) == [{"type": "text", "text": ENGINE_UNAVAILABLE}]
