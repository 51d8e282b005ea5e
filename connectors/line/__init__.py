"""The LINE channel: webhook, rendering for LINE, delivery (reply, push), followers and broadcasts.

The gateway registers it with two lines (connectors/app.py): `line.routes()` and `line.line_context`, and
gives the admin API `line.disaster_broadcaster()` to announce disaster mode to the followers.
"""

from pathlib import Path

from connectors.line.broadcast import DisasterBroadcaster
from connectors.line.config import LineConfig
from connectors.line.lifecycle import line_context
from connectors.line.webhook import routes


def disaster_broadcaster(state_dir: Path | None = None) -> DisasterBroadcaster:
    """Disaster announcements to every follower, configured from the environment (LINE_*)."""
    return DisasterBroadcaster(LineConfig(state_dir=state_dir) if state_dir else None)


__all__ = ["disaster_broadcaster", "line_context", "routes"]
