"""The LINE channel: webhook, rendering for LINE, delivery (reply, push), followers and broadcasts.

The gateway registers it with two lines (connectors/app.py): `line.routes()` and `line.line_context`.
"""

from connectors.line.lifecycle import line_context
from connectors.line.webhook import routes

__all__ = ["line_context", "routes"]
