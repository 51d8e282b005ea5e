"""The seam between disaster mode and a broadcast channel (the LINE multicast to followers).

Disaster mode does not know LINE: switching it on produces an Announcement (the text to send and a retry key
stable for that activation), and hands it to a Broadcaster, any async callable; one that has an
`unavailable_reason()` method is asked first. The LINE module provides one (connectors.line.broadcast); when it is
absent or not configured, `load_broadcaster()` says so plainly before anything changes.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from knowledge_base.disaster.announcement import broadcast_text
from knowledge_base.disaster.state import DisasterState

# "module:callable" of the LINE broadcast; DISASTER_BROADCASTER overrides it (tests point it at a probe).
DEFAULT_BROADCASTER = "connectors.line.broadcast:broadcast_disaster_announcement"


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


def broadcaster_spec() -> str:
    return os.environ.get("DISASTER_BROADCASTER") or DEFAULT_BROADCASTER


def load_broadcaster(spec: str | None = None) -> Broadcaster:
    """The configured broadcaster; BroadcasterUnavailable (with the reason) when there is none."""
    spec = spec or broadcaster_spec()
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise BroadcasterUnavailable(f"DISASTER_BROADCASTER は「モジュール:関数」の形で指定してください（{spec}）")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        # Only the broadcaster's own module being absent means "not available"; a missing dependency
        # inside it is a real error and must be seen.
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            raise BroadcasterUnavailable(f"一斉配信の仕組み（{module_name}）がこの環境にありません") from exc
        raise
    broadcaster = getattr(module, attribute, None)
    if not callable(broadcaster):
        raise BroadcasterUnavailable(f"{module_name} に一斉配信の関数 {attribute} がありません")
    # A broadcaster may say why it cannot send right now (e.g. the channel is not configured).
    why_not = getattr(broadcaster, "unavailable_reason", None)
    reason = why_not() if callable(why_not) else None
    if reason:
        raise BroadcasterUnavailable(reason)
    return broadcaster
