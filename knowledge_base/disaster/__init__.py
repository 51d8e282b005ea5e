"""Disaster mode: staff switch it on with a hazard, an alert level and a message; while on, every conversation
leads with the alert. Staff commands: python -m knowledge_base.disaster (see README.md here)."""

from knowledge_base.disaster.announcement import alert_text, broadcast_text
from knowledge_base.disaster.broadcast import Announcement, Broadcaster, BroadcasterUnavailable, ready
from knowledge_base.disaster.levels import LEVELS, level
from knowledge_base.disaster.state import Alert, DisasterState, InvalidAlert

__all__ = [
    "LEVELS",
    "Alert",
    "Announcement",
    "Broadcaster",
    "BroadcasterUnavailable",
    "DisasterState",
    "InvalidAlert",
    "alert_text",
    "broadcast_text",
    "level",
    "ready",
]
