"""Opening status of each place (未開設 / 開設 / 満員), set by staff, stored in PostgreSQL.

Table shelter_status holds the current status of every place staff have touched (a place with no row is
未開設); shelter_status_log keeps every change, so nothing a staff member set is lost. The action server reads
the status of the candidate places on every query, so a change is effective at once and survives restarts.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import psycopg

from knowledge_base.storage import connect, ensure_schema, ensure_schema_async
from knowledge_base.texts import text


class Status(StrEnum):
    CLOSED = "closed"  # 未開設
    OPEN = "open"  # 開設
    FULL = "full"  # 満員

    @property
    def official(self) -> str:
        """The word staff and the city use (also the `status` value of the shelter_list message)."""
        return {Status.CLOSED: "未開設", Status.OPEN: "開設", Status.FULL: "満員"}[self]

    def label(self, language: str = "ja") -> str:
        """What residents read (resident catalogue `status.<code>`)."""
        return text(f"status.{self.value}", language)


_WORDS = {
    "closed": Status.CLOSED,
    "未開設": Status.CLOSED,
    "閉鎖": Status.CLOSED,
    "open": Status.OPEN,
    "開設": Status.OPEN,
    "開設中": Status.OPEN,
    "full": Status.FULL,
    "満員": Status.FULL,
}


def parse_status(value: object) -> Status | None:
    if not isinstance(value, str):
        return None
    return _WORDS.get(unicodedata.normalize("NFKC", value).strip().lower())


SCHEMA = """
CREATE TABLE IF NOT EXISTS shelter_status (
    place_id   text PRIMARY KEY,
    status     text NOT NULL CHECK (status IN ('closed', 'open', 'full')),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL
);
CREATE TABLE IF NOT EXISTS shelter_status_log (
    id         bigserial PRIMARY KEY,
    place_id   text NOT NULL,
    status     text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by text NOT NULL
);
"""

_UPSERT = """
INSERT INTO shelter_status (place_id, status, updated_at, updated_by) VALUES (%(id)s, %(status)s, now(), %(by)s)
ON CONFLICT (place_id) DO UPDATE SET status = EXCLUDED.status, updated_at = now(), updated_by = EXCLUDED.updated_by
RETURNING updated_at
"""
_LOG = "INSERT INTO shelter_status_log (place_id, status, changed_by) VALUES (%(id)s, %(status)s, %(by)s)"
_SELECT_SOME = "SELECT place_id, status FROM shelter_status WHERE place_id = ANY(%s)"
_SELECT_ALL = "SELECT place_id, status, updated_at, updated_by FROM shelter_status ORDER BY place_id"
_RESET_LOG = """
INSERT INTO shelter_status_log (place_id, status, changed_by)
SELECT place_id, 'closed', %s FROM shelter_status WHERE status <> 'closed'
"""


@dataclass(frozen=True)
class StatusRecord:
    place_id: str
    status: Status
    updated_at: dt.datetime
    updated_by: str


# --- staff commands (synchronous) ---------------------------------------------------------------------------


def set_status(place_id: str, status: Status, by: str, url: str | None = None) -> dt.datetime:
    with connect(url) as conn, conn.transaction():
        ensure_schema(conn, "shelter_status", SCHEMA)
        params = {"id": place_id, "status": status.value, "by": by}
        updated_at = conn.execute(_UPSERT, params).fetchone()[0]
        conn.execute(_LOG, params)
    return updated_at


def all_statuses(url: str | None = None) -> list[StatusRecord]:
    with connect(url) as conn:
        ensure_schema(conn, "shelter_status", SCHEMA)
        return [StatusRecord(r[0], Status(r[1]), r[2], r[3]) for r in conn.execute(_SELECT_ALL).fetchall()]


def reset_statuses(by: str, url: str | None = None) -> int:
    """Every place back to 未開設 (after a disaster); the log keeps what they were. Returns how many changed."""
    with connect(url) as conn, conn.transaction():
        ensure_schema(conn, "shelter_status", SCHEMA)
        conn.execute(_RESET_LOG, (by,))
        changed = conn.execute("DELETE FROM shelter_status WHERE status <> 'closed'").rowcount
        conn.execute("DELETE FROM shelter_status")
        return changed


# --- action server and gateway (asynchronous) ---------------------------------------------------------------


async def fetch_statuses(conn: psycopg.AsyncConnection, place_ids: Iterable[str]) -> dict[str, Status]:
    """Status of each given place that has one (absent means 未開設)."""
    await ensure_schema_async(conn, "shelter_status", SCHEMA)
    cursor = await conn.execute(_SELECT_SOME, (list(place_ids),))
    return {place_id: Status(status) for place_id, status in await cursor.fetchall()}


async def set_status_async(conn: psycopg.AsyncConnection, place_id: str, status: Status, by: str) -> dt.datetime:
    await ensure_schema_async(conn, "shelter_status", SCHEMA)
    params = {"id": place_id, "status": status.value, "by": by}
    async with conn.transaction():
        cursor = await conn.execute(_UPSERT, params)
        updated_at = (await cursor.fetchone())[0]
        await conn.execute(_LOG, params)
    return updated_at


async def all_statuses_async(conn: psycopg.AsyncConnection) -> list[StatusRecord]:
    await ensure_schema_async(conn, "shelter_status", SCHEMA)
    cursor = await conn.execute(_SELECT_ALL)
    return [StatusRecord(r[0], Status(r[1]), r[2], r[3]) for r in await cursor.fetchall()]


async def reset_statuses_async(conn: psycopg.AsyncConnection, by: str) -> int:
    await ensure_schema_async(conn, "shelter_status", SCHEMA)
    async with conn.transaction():
        await conn.execute(_RESET_LOG, (by,))
        cursor = await conn.execute("DELETE FROM shelter_status WHERE status <> 'closed'")
        changed = cursor.rowcount
        await conn.execute("DELETE FROM shelter_status")
    return changed
