"""Disaster mode and its broadcast: the staff operations the command line and the admin API share.

The broadcaster is passed in by the caller (the gateway, or the command's entry point); nothing here knows a
channel. A broadcast that cannot happen is refused before disaster mode changes; one that fails after the
switch leaves disaster mode on and says so (staff can re-send: the retry key makes a re-send safe).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from knowledge_base.disaster import state as disaster_store
from knowledge_base.disaster.broadcast import Announcement, Broadcaster, BroadcasterUnavailable, ready
from knowledge_base.disaster.state import Alert, DisasterState, InvalidAlert
from knowledge_base.operations.errors import BroadcastUnavailable, InvalidRequest
from knowledge_base.operations.store import database

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BroadcastOutcome:
    retry_key: str
    report: object = None  # what the channel returned (LINE: a BroadcastReport)
    error: str | None = None  # set when the broadcast failed

    @property
    def sent(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class SwitchedOn:
    state: DisasterState
    announcement: Announcement
    broadcast: BroadcastOutcome | None  # None: no broadcast was asked for


def parse_alert(hazard: object, level: object, message: object) -> Alert:
    try:
        return Alert.parse(hazard, level, message)
    except InvalidAlert as exc:
        raise InvalidRequest("invalid_alert", str(exc), str(exc)) from None


def _ready(broadcaster: Broadcaster | None) -> Broadcaster:
    try:
        return ready(broadcaster)
    except BroadcasterUnavailable as exc:
        raise BroadcastUnavailable("broadcast_unavailable", f"一斉配信ができません: {exc}", str(exc)) from None


async def current() -> DisasterState | None:
    async with database() as conn:
        return await disaster_store.current_async(conn)


async def switch_on(
    hazard: object,
    level: object,
    message: object,
    actor: str,
    *,
    broadcaster: Broadcaster | None = None,
    broadcast: bool = False,
) -> SwitchedOn:
    """Switch disaster mode on (or replace the alert); with `broadcast`, announce it through `broadcaster`."""
    alert = parse_alert(hazard, level, message)
    # Known before anything changes: a broadcast that cannot happen is refused, not silently skipped.
    sender = _ready(broadcaster) if broadcast else None
    async with database() as conn:
        state = await disaster_store.switch_on_async(conn, alert, actor)
    logger.info("disaster mode on (%s, level %d) by %s", state.hazard.value, state.level, actor)
    announcement = Announcement.of(state)
    outcome = await _send(sender, announcement) if sender else None
    return SwitchedOn(state, announcement, outcome)


async def switch_off(actor: str) -> DisasterState | None:
    """The alert that was ended, or None when disaster mode was already off."""
    async with database() as conn:
        ended = await disaster_store.switch_off_async(conn, actor)
    logger.info("disaster mode off by %s", actor)
    return ended


async def rebroadcast(broadcaster: Broadcaster | None) -> BroadcastOutcome:
    """Send the current alert again, with its same retry key (nobody gets it twice)."""
    state = await current()
    if state is None:
        raise InvalidRequest(
            "not_active", "災害モードがオフなので、配信するものがありません。", "disaster mode is off: nothing to send"
        )
    return await _send(_ready(broadcaster), Announcement.of(state))


async def _send(broadcaster: Broadcaster, announcement: Announcement) -> BroadcastOutcome:
    try:
        report = await broadcaster(announcement)
    except Exception as exc:  # disaster mode stays on whatever the channel does; staff can re-send
        logger.exception("broadcast failed (retry key %s)", announcement.retry_key)
        return BroadcastOutcome(announcement.retry_key, error=str(exc) or type(exc).__name__)
    return BroadcastOutcome(announcement.retry_key, report=report)
