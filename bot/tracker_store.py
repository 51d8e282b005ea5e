"""Rasa's Redis tracker store with a bounded history, so that what one turn costs does not grow with the conversation.

Rasa 3.6 keeps every event of a conversation and, on every turn, deserialises all of them, replays them, has the
policies read them, sends them to the action server, and (RedisTrackerStore.save) merges the new tracker into the
stored one by comparing every new event with every stored one. A conversation of a few hundred quick turns then
costs seconds per turn and starves everyone else.

This store keeps at most `max_events` events per conversation. When a conversation grows past that, the older
part is replaced by a snapshot that rebuilds the same state: the latest session start (so Rasa still sees the
session and does not greet the resident as new), the slot values at the cut, the active loop, then the recent
turns. This is what Rasa's own session start with slot carry-over looks like, so the policies read it as usual.
The latest message the resident typed (the actions take the answer language from it) is kept when it fits.

Used from bot/endpoints.yml (`type: bot.tracker_store.BoundedRedisTrackerStore`); runs in the engine environment.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

DEFAULT_MAX_EVENTS = 100


def _is_listen(event: Event) -> bool:
    return isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME


def _is_typed(event: Event) -> bool:
    """A message the resident typed (button payloads start with "/" and carry no language)."""
    text = (event.text or "").strip() if isinstance(event, UserUttered) else ""
    return bool(text) and not text.startswith("/")


def _turn_starts(events: list[Event]) -> list[int]:
    """Indexes of the action_listen events that open a resident's turn (a user event follows)."""
    return [i for i in range(len(events) - 1) if _is_listen(events[i]) and isinstance(events[i + 1], UserUttered)]


def _choose_cut(events: list[Event], max_events: int) -> int | None:
    """Where the kept part starts: a turn start, keeping about half the bound (so trims are rare)."""
    starts = _turn_starts(events)
    # room for the snapshot (session start, a few slots) within the bound
    budget = max_events // 2
    candidates = [i for i in starts if len(events) - i <= budget]
    if not candidates:
        # one turn longer than the budget: keep the latest turn whole rather than cut inside it
        candidates = starts[-1:]
    if not candidates or candidates[0] == 0:
        return None
    cut = candidates[0]
    typed = [i for i in range(len(events)) if _is_typed(events[i])]
    if typed and typed[-1] < cut:
        # reach back to the resident's latest typed words when the whole still fits the bound
        earlier = [i for i in starts if i < typed[-1]]
        if earlier and len(events) - earlier[-1] <= max_events - 10:
            cut = earlier[-1]
    return cut


def _snapshot(events: list[Event], cut: int, domain: Domain) -> list[Event]:
    """Events that rebuild the state at `cut`: the latest session start, the slots set, the active loop."""
    before = DialogueStateTracker.from_events("snapshot", events[:cut], domain.slots)
    at = events[cut].timestamp
    head: list[Event] = []
    for i in range(cut - 1, 0, -1):
        if isinstance(events[i], SessionStarted):
            previous = events[i - 1]
            if isinstance(previous, ActionExecuted) and previous.action_name == ACTION_SESSION_START_NAME:
                head.append(previous)
            head.append(events[i])
            break
    for name, slot in before.slots.items():
        if slot.value != slot.initial_value:
            head.append(SlotSet(name, slot.value, timestamp=at))
    if before.active_loop_name:
        head.append(ActiveLoop(before.active_loop_name, timestamp=at))
    return head


def bounded_events(events: list[Event], max_events: int, domain: Domain) -> list[Event]:
    """`events` unchanged when within `max_events`; else a snapshot of the older part, then the recent turns."""
    if len(events) <= max_events:
        return events
    cut = _choose_cut(events, max_events)
    if cut is None:
        return events
    return _snapshot(events, cut, domain) + events[cut:]


class BoundedRedisTrackerStore(RedisTrackerStore):
    """RedisTrackerStore that stores at most `max_events` events per conversation (see the module's docstring)."""

    def __init__(self, domain: Domain, max_events: int | str = DEFAULT_MAX_EVENTS, **kwargs: Any) -> None:
        super().__init__(domain, **kwargs)
        self.max_events = max(20, int(max_events))

    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        """Store the tracker, bounded; the whole of it replaces what was stored.

        RedisTrackerStore merges with the stored tracker because `retrieve` returns only the latest session and
        older sessions would otherwise be lost; here they are meant to go (nothing is carried into a new session),
        and the lock store already serialises the turns of one conversation.
        """
        await self.stream_events(tracker)
        events = bounded_events(list(tracker.events), self.max_events, self.domain)
        if len(events) != len(tracker.events):
            logger.debug("conversation %s trimmed to %d events", tracker.sender_id, len(events))
        serialised = json.dumps(Dialogue(tracker.sender_id, events).as_dict())
        self.red.set(self.key_prefix + tracker.sender_id, serialised, ex=timeout or self.record_exp)
