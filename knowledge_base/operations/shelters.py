"""Opening status of shelters (未開設 / 開設 / 満員): the staff operations the command line and the admin API share.

Each takes the shelter data to resolve places in (the caller's registry: the gateway caches one, a command
loads it) and who acts (recorded with every change).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from knowledge_base.operations.errors import Ambiguous, InvalidRequest, NotFound
from knowledge_base.operations.store import database
from knowledge_base.shelters import status as status_store
from knowledge_base.shelters.places import Place
from knowledge_base.shelters.registry import Registry
from knowledge_base.shelters.status import Status, parse_status


@dataclass(frozen=True)
class StatusEntry:
    place_id: str
    name: str | None  # None: the place is not in the current shelter data
    status: Status
    updated_at: dt.datetime
    updated_by: str


@dataclass(frozen=True)
class StatusChanged:
    place: Place
    status: Status
    updated_at: dt.datetime


async def list_statuses(registry: Registry) -> list[StatusEntry]:
    """Every status staff have set (places without one are 未開設)."""
    async with database() as conn:
        records = await status_store.all_statuses_async(conn)
    entries = []
    for record in records:
        place = registry.get(record.place_id)
        entries.append(
            StatusEntry(
                record.place_id, place.name if place else None, record.status, record.updated_at, record.updated_by
            )
        )
    return entries


def resolve_place(registry: Registry, reference: str) -> Place:
    """The one place a 共通ID (of either file) or an exact facility name means."""
    places = registry.find(reference)
    if not places:
        raise NotFound(
            "unknown_place",
            f"「{reference}」という場所がデータにありません（共通IDか施設・場所名で指定してください）。",
            f"no place {reference!r} in the shelter data",
        )
    if len(places) > 1:
        raise Ambiguous(
            "ambiguous_place",
            f"「{reference}」は複数あります。共通IDで指定してください。",
            f"several places are named {reference!r}: use a 共通ID",
            candidates=[{"place_id": p.id, "name": p.name, "address": p.address} for p in places],
        )
    return places[0]


def parse_new_status(value: object) -> Status:
    status = parse_status(value)
    if status is None:
        raise InvalidRequest(
            "invalid_status",
            f"開設状況「{value}」は使えません。未開設・開設・満員のどれかを指定してください。",
            "status must be one of: 未開設, 開設, 満員 (closed, open, full)",
        )
    return status


async def set_status(registry: Registry, reference: str, status: object, actor: str) -> StatusChanged:
    """Set one place's status; effective at once for every resident (the action server reads it per query)."""
    new_status = parse_new_status(status)
    place = resolve_place(registry, reference)
    async with database() as conn:
        updated_at = await status_store.set_status_async(conn, place.id, new_status, actor)
    return StatusChanged(place, new_status, updated_at)


async def reset_statuses(actor: str) -> int:
    """Every place back to 未開設 (after a disaster; the history is kept). Returns how many changed."""
    async with database() as conn:
        return await status_store.reset_statuses_async(conn, actor)
