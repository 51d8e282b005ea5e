"""The staff admin API: opening status of shelters and disaster mode (the same operations as the commands).

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
import hmac
import logging
import os
from collections.abc import Awaitable, Callable

import psycopg
from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from connectors.errors import error_response
from connectors.http import json_response
from knowledge_base.disaster import state as disaster_store
from knowledge_base.disaster.broadcast import Announcement, BroadcasterUnavailable, load_broadcaster
from knowledge_base.disaster.state import Alert, InvalidAlert
from knowledge_base.shelters import status as status_store
from knowledge_base.shelters.registry import RegistryCache
from knowledge_base.shelters.status import parse_status
from knowledge_base.storage import connect_async

logger = logging.getLogger(__name__)

MIN_TOKEN_LENGTH = 24
ADMIN_SOURCE = "admin-api"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_registries = RegistryCache()


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    status: str = Field(min_length=1, max_length=20)


class DisasterOn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    hazard: str = Field(min_length=1, max_length=40)
    level: int
    message: str = Field(min_length=1, max_length=2000)
    broadcast: bool = False


def admin_token() -> str | None:
    token = os.environ.get("ADMIN_TOKEN") or ""
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
        return await handler(request)

    return guarded


async def _json_body(request: web.Request, model: type[BaseModel]) -> BaseModel | web.Response:
    try:
        return model.model_validate_json((await request.read()) or b"null")
    except ValidationError as exc:
        details = [
            {"field": ".".join(str(p) for p in e["loc"]) or "(body)", "type": e["type"], "message": e["msg"]}
            for e in exc.errors(include_url=False, include_input=False)
        ]
        return error_response(
            400, "invalid_request", f"{details[0]['field']}: {details[0]['message']}", details=details
        )


def _database_down(exc: Exception) -> web.Response:
    logger.error("admin API: database unavailable: %s", exc)
    return error_response(
        503, "database_unavailable", "the database cannot be reached", "データベースに接続できません。"
    )


# --- shelters ------------------------------------------------------------------------------------------------


async def list_statuses(request: web.Request) -> web.Response:
    registry = await asyncio.to_thread(_registries.get)
    try:
        conn = await connect_async()
        async with conn:
            records = await status_store.all_statuses_async(conn)
    except (psycopg.Error, OSError) as exc:
        return _database_down(exc)
    statuses = []
    for record in records:
        place = registry.get(record.place_id)
        statuses.append(
            {
                "place_id": record.place_id,
                "name": place.name if place else None,
                "status": record.status.official,
                "status_code": record.status.value,
                "updated_at": record.updated_at.isoformat(),
                "updated_by": record.updated_by,
            }
        )
    return json_response({"statuses": statuses, "demo": registry.demo})


async def set_status(request: web.Request) -> web.Response:
    body = await _json_body(request, StatusChange)
    if isinstance(body, web.Response):
        return body
    new_status = parse_status(body.status)
    if new_status is None:
        return error_response(
            400,
            "invalid_status",
            "status must be one of: 未開設, 開設, 満員 (closed, open, full)",
            "開設状況は 未開設・開設・満員 のどれかにしてください。",
        )
    registry = await asyncio.to_thread(_registries.get)
    reference = request.match_info["place"]
    places = registry.find(reference)
    if not places:
        return error_response(
            404, "unknown_place", f"no place {reference!r} in the shelter data", "その場所はデータにありません。"
        )
    if len(places) > 1:
        return error_response(
            409,
            "ambiguous_place",
            f"several places are named {reference!r}: use a 共通ID",
            "同じ名前の場所が複数あります。共通IDで指定してください。",
            candidates=[{"place_id": p.id, "name": p.name, "address": p.address} for p in places],
        )
    place = places[0]
    try:
        conn = await connect_async()
        async with conn:
            updated_at = await status_store.set_status_async(conn, place.id, new_status, ADMIN_SOURCE)
    except (psycopg.Error, OSError) as exc:
        return _database_down(exc)
    logger.info("admin API: %s (%s) set to %s", place.id, place.name, new_status.value)
    return json_response(
        {
            "place_id": place.id,
            "name": place.name,
            "status": new_status.official,
            "status_code": new_status.value,
            "updated_at": updated_at.isoformat(),
        }
    )


async def reset_statuses(request: web.Request) -> web.Response:
    try:
        conn = await connect_async()
        async with conn:
            changed = await status_store.reset_statuses_async(conn, ADMIN_SOURCE)
    except (psycopg.Error, OSError) as exc:
        return _database_down(exc)
    return json_response({"changed": changed})


# --- disaster mode -------------------------------------------------------------------------------------------


async def get_disaster(request: web.Request) -> web.Response:
    try:
        conn = await connect_async()
        async with conn:
            state = await disaster_store.current_async(conn)
    except (psycopg.Error, OSError) as exc:
        return _database_down(exc)
    return json_response(state.as_json() if state else {"active": False})


async def disaster_on(request: web.Request) -> web.Response:
    body = await _json_body(request, DisasterOn)
    if isinstance(body, web.Response):
        return body
    try:
        alert = Alert.parse(body.hazard, body.level, body.message)
    except InvalidAlert as exc:
        return error_response(400, "invalid_alert", str(exc), str(exc))
    broadcaster = None
    if body.broadcast:
        # Known before anything changes: a broadcast that cannot happen is refused, not silently skipped.
        try:
            broadcaster = load_broadcaster()
        except BroadcasterUnavailable as exc:
            return error_response(400, "broadcast_unavailable", str(exc), f"一斉配信ができません: {exc}")
    try:
        conn = await connect_async()
        async with conn:
            state = await disaster_store.switch_on_async(conn, alert, ADMIN_SOURCE)
    except psycopg.errors.UniqueViolation:
        return error_response(409, "conflict", "disaster mode was changed at the same moment; try again")
    except (psycopg.Error, OSError) as exc:
        return _database_down(exc)
    announcement = Announcement.of(state)
    logger.info("admin API: disaster mode on (%s, level %d)", state.hazard.value, state.level)
    answer = state.as_json() | {"broadcast_text": announcement.text}
    if broadcaster is not None:
        try:
            await broadcaster(announcement)
            answer["broadcast"] = {"status": "sent", "retry_key": announcement.retry_key}
        except Exception as exc:  # disaster mode stays on; staff can retry the broadcast
            logger.exception("admin API: broadcast failed")
            answer["broadcast"] = {"status": "failed", "error": str(exc), "retry_key": announcement.retry_key}
    return json_response(answer)


async def disaster_off(request: web.Request) -> web.Response:
    try:
        conn = await connect_async()
        async with conn:
            ended = await disaster_store.switch_off_async(conn, ADMIN_SOURCE)
    except (psycopg.Error, OSError) as exc:
        return _database_down(exc)
    logger.info("admin API: disaster mode off")
    return json_response({"active": False, "ended": ended.as_json() | {"active": False} if ended else None})


def routes() -> list[web.RouteDef]:
    """The admin routes, or none at all when no (long enough) ADMIN_TOKEN is configured."""
    token = admin_token()
    if token is None:
        return []
    table: list[tuple[str, str, Handler]] = [
        ("GET", "/admin/shelters/status", list_statuses),
        ("DELETE", "/admin/shelters/status", reset_statuses),
        ("PUT", "/admin/shelters/{place}/status", set_status),
        ("GET", "/admin/disaster", get_disaster),
        ("PUT", "/admin/disaster", disaster_on),
        ("DELETE", "/admin/disaster", disaster_off),
    ]
    return [web.route(method, path, _authenticated(token, handler)) for method, path, handler in table]
