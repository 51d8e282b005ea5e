"""The demo page at / and the widget's static files (nothing is fetched from the internet)."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

WIDGET_DIR = Path(__file__).resolve().parent / "widget"


async def handle_demo_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(WIDGET_DIR / "index.html")


def routes() -> list[web.RouteDef]:
    return [web.get("/", handle_demo_page), web.static("/widget", WIDGET_DIR)]
