"""POST /line/webhook: check LINE's signature, acknowledge at once, handle the events in the background."""

from __future__ import annotations

import logging

from aiohttp import web

from connectors.errors import error_response
from connectors.line import events
from connectors.line.runtime import LINE_CHANNEL, LINE_CONFIG, LINE_PARSER

logger = logging.getLogger(__name__)

PATH = "/line/webhook"


async def handle_webhook(request: web.Request) -> web.Response:
    channel = request.app.get(LINE_CHANNEL)
    if channel is None:
        missing = request.app[LINE_CONFIG].missing
        return error_response(
            503,
            "line_not_configured",
            f"the LINE channel is not configured on this server: set {', '.join(missing)}",
            "LINE連携が設定されていません。管理者に連絡してください。",
            missing=missing,
        )
    body = await request.read()
    try:
        incoming = events.parse(request.app[LINE_PARSER], body, request.headers.get("X-Line-Signature"))
    except events.BadSignature as exc:
        # Not from LINE (or the channel secret is wrong): nothing is handled, nothing is stored.
        logger.warning("LINE webhook refused: %s", exc)
        return error_response(401, "invalid_signature", str(exc))
    except events.MalformedWebhook as exc:
        logger.warning("LINE webhook refused: %s", exc)
        return error_response(400, "malformed_webhook", str(exc), "LINEからの送信内容を読み取れませんでした。")
    channel.accept(incoming)
    return web.json_response({})


def routes() -> list[web.RouteDef]:
    return [web.post(PATH, handle_webhook)]
