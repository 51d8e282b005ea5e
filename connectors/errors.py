"""Every error the gateway returns is JSON with a code, an English message and a Japanese one."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from connectors.http import json_response

logger = logging.getLogger(__name__)

_JA_BY_STATUS = {
    400: "送信内容に誤りがあります。",
    401: "認証に失敗しました。",
    404: "ページが見つかりません。",
    405: "この操作はできません。",
    413: "送信内容が大きすぎます。",
    415: "送信形式が正しくありません。",
}


def error_response(
    status: int, code: str, message: str, message_ja: str | None = None, **extra: object
) -> web.Response:
    body = {
        "error": {
            "code": code,
            "message": message,
            "message_ja": message_ja or _JA_BY_STATUS.get(status, "エラーが発生しました。"),
            **extra,
        }
    }
    return json_response(body, status=status)


@web.middleware
async def json_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400 or exc.content_type == "application/json":
            raise
        code = exc.reason.lower().replace(" ", "_")
        return error_response(exc.status, code, exc.reason)
    except Exception:
        # A bug, never the resident's fault: log it with the request path only (no bodies: they
        # may hold personal data).
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", "internal error", "システムエラーが発生しました。")
