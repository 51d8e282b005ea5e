"""The web widget's side of the gateway: the demo page at /, the widget's static files, CORS for /api/chat.

The city's site embeds the widget with one script tag pointing at this gateway; the widget then calls
/api/chat from the city's origin. Browsers allow that only for origins listed in WIDGET_ALLOWED_ORIGINS
(comma- or space-separated, e.g. "https://www.city.joso.lg.jp"); requests from any other site are refused.
The demo page, served by the gateway itself, is same-origin and always allowed.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from connectors.errors import error_response
from connectors.runtime import SETTINGS
from connectors.widget_texts import PATH as WIDGET_TEXTS_PATH
from connectors.widget_texts import handle_widget_texts
from settings.origins import normalize_origin, parse_allowed_origins

__all__ = ["normalize_origin", "parse_allowed_origins", "routes", "setup"]

WIDGET_DIR = Path(__file__).resolve().parent / "widget"

# Paths the widget calls from another origin.
CORS_PATHS = frozenset({"/api/chat"})
PREFLIGHT_MAX_AGE_SECONDS = 600

# The only files served under /widget/, with the content type each is served as.
_CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}

# The demo page runs only its own files: no inline script, nothing from another origin.
DEMO_PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

ALLOWED_ORIGINS = web.AppKey("widget_allowed_origins", frozenset)


def _is_same_origin(request: web.Request, origin: str) -> bool:
    # Compare hosts only: behind a TLS proxy the gateway itself sees http while the page says https.
    return urllib.parse.urlsplit(origin).netloc.lower() == (request.host or "").lower()


def _cors_headers(origin: str) -> dict[str, str]:
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


@web.middleware
async def cors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    origin = request.headers.get("Origin")
    if request.path not in CORS_PATHS or origin is None or _is_same_origin(request, origin):
        return await handler(request)
    allowed = request.app[ALLOWED_ORIGINS]
    try:
        permitted = "*" in allowed or normalize_origin(origin) in allowed
    except ValueError:
        permitted = False  # e.g. "null" from a sandboxed frame or a file:// page
    if not permitted:
        return error_response(
            403,
            "origin_not_allowed",
            "this site may not use the chat API (see WIDGET_ALLOWED_ORIGINS)",
            "このサイトからはチャットを利用できません。",
        )
    if request.method == "OPTIONS":
        return web.Response(
            status=204,
            headers=_cors_headers(origin)
            | {
                "Access-Control-Allow-Methods": "POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE_SECONDS),
            },
        )
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        exc.headers.update(_cors_headers(origin))
        raise
    # Retry-After on the engine-unavailable reply is worth reading from the widget too.
    response.headers.update(_cors_headers(origin) | {"Access-Control-Expose-Headers": "Retry-After"})
    return response


async def handle_demo_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(
        WIDGET_DIR / "index.html",
        headers={
            "Content-Type": _CONTENT_TYPES[".html"],
            "Content-Security-Policy": DEMO_PAGE_POLICY,
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def handle_widget_file(request: web.Request) -> web.FileResponse:
    relative = request.match_info["path"]
    path = (WIDGET_DIR / relative).resolve()
    if not path.is_relative_to(WIDGET_DIR) or path.suffix not in _CONTENT_TYPES or not path.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(
        path,
        headers={
            "Content-Type": _CONTENT_TYPES[path.suffix],
            # Public files loaded by the city's pages (the widget's modules are fetched in CORS mode).
            "Access-Control-Allow-Origin": "*",
            "Cross-Origin-Resource-Policy": "cross-origin",
            # Revalidate each time (cheap: ETag / Last-Modified) so an update reaches residents at once.
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
        },
    )


def routes() -> list[web.RouteDef]:
    # The texts module is generated from the resident catalogue; it is matched before the static files.
    return [
        web.get("/", handle_demo_page),
        web.get(WIDGET_TEXTS_PATH, handle_widget_texts),
        web.get("/widget/{path:.+}", handle_widget_file),
    ]


def setup(app: web.Application) -> None:
    """Add the widget's routes and CORS to the gateway (origins from the settings: WIDGET_ALLOWED_ORIGINS)."""
    app[ALLOWED_ORIGINS] = app[SETTINGS].widget_allowed_origins
    # Outermost, so that the JSON error responses made further in also carry the CORS headers.
    app.middlewares.insert(0, cors)
    app.add_routes(routes())
