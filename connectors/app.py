"""The gateway application: channel endpoints in front of one Rasa conversation engine."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from connectors import admin, health, line, webchat, widget_routes
from connectors.engine import Engine
from connectors.errors import json_errors
from connectors.pseudonym import Pseudonymizer, load_or_create_key
from connectors.runtime import ENGINE, HTTP, PSEUDONYMIZER, SETTINGS
from connectors.settings import Settings
from knowledge_base.disaster.broadcast import Broadcaster

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024


async def _engine_context(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    app[HTTP] = aiohttp.ClientSession()
    app[ENGINE] = Engine(app[HTTP], settings)
    monitor = asyncio.create_task(app[ENGINE].monitor())
    yield
    monitor.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await monitor
    await app[HTTP].close()


def create_app(settings: Settings | None = None, broadcaster: Broadcaster | None = None) -> web.Application:
    """The gateway; `broadcaster` announces disaster mode (default: to the LINE followers)."""
    settings = settings or Settings()
    broadcaster = broadcaster or line.disaster_broadcaster(settings.state_dir)
    app = web.Application(middlewares=[json_errors], client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app[PSEUDONYMIZER] = Pseudonymizer(load_or_create_key(settings.pseudonym_key, settings.state_dir))
    app.cleanup_ctx.append(_engine_context)
    app.cleanup_ctx.append(line.line_context)  # after the engine's: stops first, so it can drain
    app.add_routes(health.routes() + webchat.routes() + line.routes() + admin.routes(settings.admin_token, broadcaster))
    widget_routes.setup(app)
    return app
