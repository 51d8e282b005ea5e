"""The seam between disaster mode and a broadcast channel (the LINE multicast to followers).

Disaster mode does not know LINE: switching it on produces an Announcement (the text to send and a retry key
stable for that activation), and hands it to a Broadcaster, any async callable, that its caller passes in (the
gateway gives the admin API one; the staff command gets one from its entry point, __main__.py). A broadcaster
that has an `unavailable_reason()` method is asked first, so a channel that cannot send is said plainly before
anything changes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from knowledge_base.disaster.announcement import broadcast_text
from knowledge_base.disaster.state import DisasterState


@dataclass(frozen=True)
class Announcement:
    state: DisasterState
    text: str
    # Same for every send of one activation: a channel that supports retry keys (LINE's X-Line-Retry-Key,
    # derived per batch) never delivers a retried broadcast twice.
    retry_key: str

    @classmethod
    def of(cls, state: DisasterState) -> Announcement:
        return cls(state=state, text=broadcast_text(state), retry_key=str(state.announcement_id))


Broadcaster = Callable[[Announcement], Awaitable[object]]


class BroadcasterUnavailable(Exception):
    pass


def ready(broadcaster: Broadcaster | None) -> Broadcaster:
    """The broadcaster, if it can send now; BroadcasterUnavailable (with the reason) otherwise."""
    if broadcaster is None:
        raise BroadcasterUnavailable("一斉配信の仕組みがこの環境にありません")
    why_not = getattr(broadcaster, "unavailable_reason", None)
    reason = why_not() if callable(why_not) else None
    if reason:
        raise BroadcasterUnavailable(reason)
    return broadcaster
