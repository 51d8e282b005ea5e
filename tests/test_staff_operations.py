"""The staff operations (knowledge_base/operations) on their own, as the commands, the admin API and the coming
staff console call them: checked input, refusals staff can act on, nothing changed by a refused request."""

from __future__ import annotations

import dataclasses

import pytest

from knowledge_base.disaster.broadcast import Announcement
from knowledge_base.operations import disaster, shelters
from knowledge_base.operations.errors import Ambiguous, BroadcastUnavailable, InvalidRequest, NotFound
from knowledge_base.shelters.registry import Registry, registry_from_env
from knowledge_base.shelters.status import Status


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> Registry:
    monkeypatch.delenv("EMERGENCY_SITES_CSV", raising=False)
    monkeypatch.delenv("SHELTERS_CSV", raising=False)
    return registry_from_env()


async def test_status_is_set_by_id_or_name_listed_and_reset(demo: Registry, database_url: str) -> None:
    changed = await shelters.set_status(demo, "デモ避難所E", "満員", "test")
    assert changed.status is Status.FULL and changed.place.name == "デモ避難所E"
    [entry] = await shelters.list_statuses(demo)
    assert (entry.place_id, entry.name, entry.status, entry.updated_by) == (
        changed.place.id,
        "デモ避難所E",
        Status.FULL,
        "test",
    )
    assert await shelters.reset_statuses("test") == 1 and await shelters.list_statuses(demo) == []


async def test_bad_status_requests_are_refused_with_a_reason_and_change_nothing(
    demo: Registry, database_url: str
) -> None:
    with pytest.raises(InvalidRequest, match="未開設・開設・満員") as bad:
        await shelters.set_status(demo, "デモ避難所E", "たぶん", "test")
    assert bad.value.code == "invalid_status"
    with pytest.raises(NotFound, match="データにありません"):
        await shelters.set_status(demo, "どこか", "開設", "test")
    # Two places of one name (it happens in the national data): both are offered, nothing is guessed.
    first, second = demo.places[:2]
    twins = Registry([first, dataclasses.replace(second, name=first.name)], demo=True)
    with pytest.raises(Ambiguous, match="共通IDで指定") as ambiguous:
        await shelters.set_status(twins, first.name, "開設", "test")
    assert [c["place_id"] for c in ambiguous.value.details["candidates"]] == [first.id, second.id]
    assert await shelters.list_statuses(demo) == []


async def test_switching_on_with_a_broadcast_sends_the_announcement_once(database_url: str) -> None:
    sent: list[Announcement] = []

    async def channel(announcement: Announcement) -> str:
        sent.append(announcement)
        return "report"

    done = await disaster.switch_on("洪水", "4", "鬼怒川が氾濫するおそれ", "test", broadcaster=channel, broadcast=True)
    assert done.state.level == 4 and done.broadcast is not None and done.broadcast.sent
    assert done.broadcast.report == "report" and sent == [done.announcement]
    again = await disaster.rebroadcast(channel)
    assert again.retry_key == done.announcement.retry_key and len(sent) == 2
    assert (await disaster.switch_off("test")) == done.state and await disaster.current() is None


async def test_a_broadcast_that_cannot_happen_is_refused_before_disaster_mode_changes(database_url: str) -> None:
    class Unconfigured:
        def unavailable_reason(self) -> str:
            return "LINE が設定されていません"

        async def __call__(self, announcement: Announcement) -> None:
            raise AssertionError("never called")

    for broadcaster in (None, Unconfigured()):
        with pytest.raises(BroadcastUnavailable, match="一斉配信ができません"):
            await disaster.switch_on("flood", 4, "x", "test", broadcaster=broadcaster, broadcast=True)
    with pytest.raises(InvalidRequest, match="災害の種類"):
        await disaster.switch_on("snow", 4, "x", "test")
    with pytest.raises(InvalidRequest, match="配信するものがありません"):
        await disaster.rebroadcast(Unconfigured())
    assert await disaster.current() is None


async def test_a_failing_channel_leaves_disaster_mode_on_and_says_why(database_url: str) -> None:
    async def refusing(announcement: Announcement) -> None:
        raise ConnectionError("503 from the channel")

    done = await disaster.switch_on("flood", 5, "決壊", "test", broadcaster=refusing, broadcast=True)
    assert done.broadcast is not None and not done.broadcast.sent and done.broadcast.error == "503 from the channel"
    assert (await disaster.current()) == done.state
