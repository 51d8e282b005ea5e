"""GET /healthz: 200 only when the gateway, Rasa and the action server all answer."""

from __future__ import annotations

from aiohttp import web

from connectors.http import json_response
from connectors.runtime import ENGINE


async def handle_healthz(request: web.Request) -> web.Response:
    health = await request.app[ENGINE].check()
    components = {"gateway": "ok"} | {name: "ok" if up else "down" for name, up in health.up.items()}
    status = 200 if health.all_up else 503
    return json_response({"status": "ok" if status == 200 else "unavailable", "components": components}, status=status)


def routes() -> list[web.RouteDef]:
    return [web.get("/healthz", handle_healthz)]
