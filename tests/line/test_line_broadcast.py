"""Broadcast to followers: multicast in batches of at most 500, each with its own retry key, retried safely."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from connectors.line.broadcast import broadcast, broadcast_messages
from connectors.line.config import LineConfig
from connectors.line.lifecycle import follower_store
from connectors.pseudonym import Pseudonymizer, load_or_create_key
from tests.line_standin import MULTICAST, LineApiStandIn, webhooks

ALERT = "【警戒レベル4 避難指示】鬼怒川が氾濫するおそれがあります。危険な場所から全員避難してください。"


@pytest.fixture
def config(line_api: LineApiStandIn, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LineConfig:
    monkeypatch.delenv("PSEUDONYM_KEY", raising=False)
    return LineConfig(
        channel_secret="s",
        access_token=line_api.access_token,
        api_base_url=line_api.url,
        database_url=database_url,
        state_dir=tmp_path,
        retry_backoff=0.01,
    )


async def _followers(config: LineConfig, count: int) -> list[str]:
    store = follower_store(config, Pseudonymizer(load_or_create_key(None, config.state_dir)))
    users = [webhooks.new_user_id() for _ in range(count)]
    slots = asyncio.Semaphore(16)

    async def add(user: str) -> None:
        async with slots:
            await store.add(user)

    await asyncio.gather(*(add(user) for user in users))
    return users


async def test_every_follower_gets_it_once_in_batches_of_500(config: LineConfig, line_api: LineApiStandIn) -> None:
    users = await _followers(config, 1001)
    buttons = [{"title": "近くの避難所", "payload": "/find_shelter"}]
    report = await broadcast(ALERT, buttons, ask_location=True, config=config)
    calls = line_api.calls_to(MULTICAST)
    assert sorted(len(c.body["to"]) for c in calls) == [1, 500, 500]
    assert sorted(u for c in calls for u in c.body["to"]) == sorted(users)
    assert len({uuid.UUID(c.retry_key) for c in calls}) == 3
    [message] = calls[0].messages
    assert message["text"] == ALERT
    actions = [item["action"] for item in message["quickReply"]["items"]]
    assert [a["type"] for a in actions] == ["location", "postback"]
    assert (report.followers, report.delivered, report.failed, report.ok) == (1001, 1001, 0, True)
    assert [b.recipients for b in report.batches] == [500, 500, 1]


async def test_transient_failures_are_retried_with_the_same_key(config: LineConfig, line_api: LineApiStandIn) -> None:
    await _followers(config, 3)
    line_api.fail_next(MULTICAST, times=2, status=503)
    report = await broadcast(ALERT, config=config)
    calls = line_api.calls_to(MULTICAST)
    assert [c.status for c in calls] == [503, 503, 200]
    assert len({c.retry_key for c in calls}) == 1
    assert report.ok and report.batches[0].attempts == 3


async def test_a_lost_answer_is_not_a_second_delivery(config: LineConfig, line_api: LineApiStandIn) -> None:
    [user] = await _followers(config, 1)
    line_api.fail_next(MULTICAST, times=1, status=500, after_accepting=True)
    report = await broadcast(ALERT, config=config)
    assert [c.status for c in line_api.calls_to(MULTICAST)] == [500, 409]
    assert line_api.delivered_to(user) == [{"type": "text", "text": ALERT}]
    assert report.ok


async def test_a_refused_batch_is_reported_and_the_others_still_go(
    config: LineConfig, line_api: LineApiStandIn
) -> None:
    config = LineConfig(**{**config.__dict__, "send_attempts": 2})
    await _followers(config, 501)
    line_api.fail_next(MULTICAST, times=1, status=400)
    report = await broadcast(ALERT, config=config)
    assert not report.ok
    assert [(b.recipients, b.ok, b.status) for b in report.batches] == [(500, False, 400), (1, True, 200)]
    assert (report.delivered, report.failed) == (1, 500)
    assert report.batches[0].retry_key and report.batches[0].attempts == 1


async def test_no_followers_means_no_calls(config: LineConfig, line_api: LineApiStandIn) -> None:
    report = await broadcast(ALERT, config=config)
    assert (report.followers, report.batches, report.ok) == (0, [], True)
    assert line_api.calls == []


async def test_an_unconfigured_channel_or_an_overlong_text_is_refused_clearly(config: LineConfig) -> None:
    with pytest.raises(RuntimeError, match="LINE_CHANNEL_ACCESS_TOKEN"):
        await broadcast(ALERT, config=LineConfig(channel_secret="s", database_url=config.database_url))
    with pytest.raises(ValueError, match="too long"):
        broadcast_messages("。" * 30000)
    assert len(broadcast_messages("あ" * 12000)) == 3
