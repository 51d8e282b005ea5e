"""The staff admin API: opening status of shelters and disaster mode, over knowledge_base.operations (the same
operations as the commands and, later, the staff console).

Enabled only when ADMIN_TOKEN is set (at least MIN_TOKEN_LENGTH characters): otherwise these routes do not
exist (404), never open. Every request must carry `Authorization: Bearer <ADMIN_TOKEN>`; anything else is 401.

    GET    /admin/shelters/status               every status staff have set
    PUT    /admin/shelters/{place}/status       {"status": "開設" | "open" | "未開設" | "closed" | "満員" | "full"}
                                                place: a 共通ID (of either file) or an exact facility name
    DELETE /admin/shelters/status               every place back to 未開設 (history kept)
    GET    /admin/disaster                      {"active": false} or the active alert
    PUT    /admin/disaster                      {"hazard": "flood", "level": 4, "message": "...", "broadcast": false}
                                                switch on (or replace the alert); answers the text to broadcast
    DELETE /admin/disaster                      switch off
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from connectors.errors import error_response
from connectors.http import json_response
from knowledge_base.disaster.broadcast import Broadcaster
from knowledge_base.operations import disaster, errors, shelters
from knowledge_base.operations.shelters import StatusChanged, StatusEntry
from knowledge_base.shelters.registry import RegistryCache

logger = logging.getLogger(__name__)

MIN_TOKEN_LENGTH = 24
ADMIN_SOURCE = "admin-api"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_registries = RegistryCache()

# How each refusal of an operation reads over HTTP.
_STATUS_OF: dict[type[errors.OperationError], int] = {
    errors.InvalidRequest: 400,
    errors.BroadcastUnavailable: 400,
    errors.NotFound: 404,
    errors.Ambiguous: 409,
    errors.Conflict: 409,
    errors.StoreUnavailable: 503,
}


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    status: str = Field(min_length=1, max_length=20)


class DisasterOn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    hazard: str = Field(min_length=1, max_length=40)
    level: int
    message: str = Field(min_length=1, max_length=2000)
    broadcast: bool = False


def enabled_token(token: str | None) -> str | None:
    if not token:
        return None
    if len(token) < MIN_TOKEN_LENGTH:
        logger.warning("ADMIN_TOKEN is shorter than %d characters: the admin API stays disabled", MIN_TOKEN_LENGTH)
        return None
    return token


def _authenticated(token: str, handler: Handler) -> Handler:
    expected = f"Bearer {token}".encode()

    async def guarded(request: web.Request) -> web.StreamResponse:
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            logger.warning("admin API: refused %s %s (bad or missing token)", request.method, request.path)
            response = error_response(401, "unauthorized", "a valid bearer token is required")
            response.headers["WWW-Authenticate"] = 'Bearer realm="joso-admin"'
            return response
        try:
            return await handler(request)
        except errors.OperationError as refused:
            status = next(s for kind, s in _STATUS_OF.items() if isinstance(refused, kind))
            return error_response(status, refused.code, refused.message_en, refused.message_ja, **refused.details)

    return guarded


async def _json_body(request: web.Request, model: type[BaseModel]) -> Any:
    try:
        return model.model_validate_json((await request.read()) or b"null")
    except ValidationError as exc:
        details = [
            {"field": ".".join(str(p) for p in e["loc"]) or "(body)", "type": e["type"], "message": e["msg"]}
            for e in exc.errors(include_url=False, include_input=False)
        ]
        raise errors.InvalidRequest(
            "invalid_request",
            "送信内容に誤りがあります。",
            f"{details[0]['field']}: {details[0]['message']}",
            details=details,
        ) from None


# --- shelters ------------------------------------------------------------------------------------------------


def _status_json(entry: StatusEntry) -> dict[str, Any]:
    return {
        "place_id": entry.place_id,
        "name": entry.name,
        "status": entry.status.official,
        "status_code": entry.status.value,
        "updated_at": entry.updated_at.isoformat(),
        "updated_by": entry.updated_by,
    }


def _changed_json(changed: StatusChanged) -> dict[str, Any]:
    return {
        "place_id": changed.place.id,
        "name": changed.place.name,
        "status": changed.status.official,
        "status_code": changed.status.value,
        "updated_at": changed.updated_at.isoformat(),
    }


async def list_statuses(request: web.Request) -> web.Response:
    registry = await asyncio.to_thread(_registries.get)
    entries = await shelters.list_statuses(registry)
    return json_response({"statuses": [_status_json(e) for e in entries], "demo": registry.demo})


async def set_status(request: web.Request) -> web.Response:
    body = await _json_body(request, StatusChange)
    registry = await asyncio.to_thread(_registries.get)
    changed = await shelters.set_status(registry, request.match_info["place"], body.status, ADMIN_SOURCE)
    return json_response(_changed_json(changed))


async def reset_statuses(request: web.Request) -> web.Response:
    return json_response({"changed": await shelters.reset_statuses(ADMIN_SOURCE)})


# --- disaster mode -------------------------------------------------------------------------------------------


async def get_disaster(request: web.Request) -> web.Response:
    state = await disaster.current()
    return json_response(state.as_json() if state else {"active": False})


async def disaster_on(broadcaster: Broadcaster | None, request: web.Request) -> web.Response:
    body = await _json_body(request, DisasterOn)
    done = await disaster.switch_on(
        body.hazard, body.level, body.message, ADMIN_SOURCE, broadcaster=broadcaster, broadcast=body.broadcast
    )
    answer = done.state.as_json() | {"broadcast_text": done.announcement.text}
    if done.broadcast is not None:
        sent = done.broadcast
        answer["broadcast"] = (
            {"status": "sent", "retry_key": sent.retry_key}
            if sent.sent
            else {"status": "failed", "error": sent.error, "retry_key": sent.retry_key}
        )
    return json_response(answer)


async def disaster_off(request: web.Request) -> web.Response:
    ended = await disaster.switch_off(ADMIN_SOURCE)
    return json_response({"active": False, "ended": ended.as_json() | {"active": False} if ended else None})


def routes(token: str | None, broadcaster: Broadcaster | None = None) -> list[web.RouteDef]:
    """The admin routes, or none at all without a (long enough) token; `broadcaster` announces disaster mode."""
    token = enabled_token(token)
    if token is None:
        return []
    table: list[tuple[str, str, Handler]] = [
        ("GET", "/admin/shelters/status", list_statuses),
        ("DELETE", "/admin/shelters/status", reset_statuses),
        ("PUT", "/admin/shelters/{place}/status", set_status),
        ("GET", "/admin/disaster", get_disaster),
        ("PUT", "/admin/disaster", functools.partial(disaster_on, broadcaster)),
        ("DELETE", "/admin/disaster", disaster_off),
    ]
    return [web.route(method, path, _authenticated(token, handler)) for method, path, handler in table]
