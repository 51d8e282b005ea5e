"""Delivery to the LINE API stand-in: 5 messages per call, reply first, the rest by push, nothing lost."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from connectors.line.config import LineConfig
from connectors.line.delivery import Outbox
from connectors.line.lifecycle import messaging_client
from connectors.line.render import render
from tests.line_standin import PUSH, REPLY, LineApiStandIn, webhooks


@pytest.fixture
async def outbox(line_api: LineApiStandIn, tmp_path: Path) -> AsyncIterator[Outbox]:
    config = LineConfig(
        channel_secret="s", access_token=line_api.access_token, api_base_url=line_api.url, retry_backoff=0.01
    )
    client, api = messaging_client(config)
    try:
        yield Outbox(api, config)
    finally:
        await client.close()


def _turn_of_eight() -> list[dict]:
    """Eight messages that cannot be combined (cards between texts), the last with buttons."""
    card = {
        "custom": {
            "kind": "shelter_list",
            "text": "避難場所",
            "sites": [{"id": "a", "name": "避難所", "address": "常総市", "distance_m": 300}],
        }
    }
    replies = []
    for i in range(4):
        replies += [{"text": f"第{i}のお知らせ"}, card]
    replies[-1] = card | {"buttons": [{"title": "👍", "payload": "/feedback_good"}]}
    return replies


async def test_more_than_five_messages_reply_five_and_push_the_rest(outbox: Outbox, line_api: LineApiStandIn) -> None:
    user = webhooks.new_user_id()
    messages = render(_turn_of_eight())
    assert len(messages) == 8
    delivery = await outbox.deliver(user, line_api.new_reply_token(user), messages, "line-test")
    assert (delivery.replied, delivery.pushed, delivery.undelivered) == (5, 3, 0)
    [reply], [push] = line_api.calls_to(REPLY), line_api.calls_to(PUSH)
    assert len(reply.messages) == 5 and len(push.messages) == 3
    assert uuid.UUID(push.retry_key)
    assert line_api.delivered_to(user) == messages  # all of them, in order
    assert "quickReply" in line_api.delivered_to(user)[-1]  # the choices stay on the very last message


async def test_without_a_usable_reply_token_every_batch_is_pushed_with_its_own_key(
    outbox: Outbox, line_api: LineApiStandIn
) -> None:
    user = webhooks.new_user_id()
    token = line_api.new_reply_token(user)
    line_api.expire(token)
    messages = render(_turn_of_eight())
    delivery = await outbox.deliver(user, token, messages, "line-test")
    assert (delivery.replied, delivery.pushed) == (0, 8)
    pushes = line_api.calls_to(PUSH)
    assert [len(p.messages) for p in pushes] == [5, 3]
    assert len({p.retry_key for p in pushes}) == 2
    assert line_api.delivered_to(user) == messages


async def test_a_push_line_refuses_is_not_retried_and_is_reported(outbox: Outbox, line_api: LineApiStandIn) -> None:
    user = webhooks.new_user_id()
    line_api.fail_next(PUSH, times=1, status=400)
    delivery = await outbox.deliver(user, None, render([{"text": "お知らせ"}]), "line-test")
    assert (delivery.pushed, delivery.undelivered) == (0, 1)
    assert [p.status for p in line_api.calls_to(PUSH)] == [400]
    assert delivery.pushes[0].attempts == 1


async def test_a_used_reply_token_cannot_be_used_again(outbox: Outbox, line_api: LineApiStandIn) -> None:
    user = webhooks.new_user_id()
    token = line_api.new_reply_token(user)
    first = await outbox.deliver(user, token, render([{"text": "一回目"}]), "line-test")
    second = await outbox.deliver(user, token, render([{"text": "二回目"}]), "line-test")
    assert (first.replied, second.replied, second.pushed) == (1, 0, 1)
    assert [m["text"] for m in line_api.delivered_to(user)] == ["一回目", "二回目"]


async def test_a_failed_reply_is_pushed_instead(outbox: Outbox, line_api: LineApiStandIn) -> None:
    user = webhooks.new_user_id()
    line_api.fail_next(REPLY, times=1, status=500)
    delivery = await outbox.deliver(user, line_api.new_reply_token(user), render([{"text": "お知らせ"}]), "line-test")
    assert (delivery.replied, delivery.pushed) == (0, 1)
    assert [c.status for c in line_api.calls_to(REPLY)] == [500]
    assert line_api.delivered_to(user) == [{"type": "text", "text": "お知らせ"}]
