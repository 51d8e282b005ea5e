"""Disaster mode: on (a hazard, an alert level, the city's message) or off, stored in PostgreSQL.

Table disaster_mode keeps every activation; the active one has ended_at NULL (at most one, enforced by a
partial unique index). Switching on while on replaces the active alert (e.g. level 3 → 4) and keeps the old
one in the history. Each activation has an announcement_id: the retry key of its broadcast, so that a retried
broadcast is not delivered twice.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from dataclasses import dataclass

import psycopg

from knowledge_base.shelters.hazards import Hazard, parse_hazard
from knowledge_base.storage import connect, ensure_schema, ensure_schema_async

MAX_MESSAGE_LENGTH = 500

SCHEMA = """
CREATE TABLE IF NOT EXISTS disaster_mode (
    id              bigserial PRIMARY KEY,
    hazard          text NOT NULL,
    level           smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    message         text NOT NULL,
    started_at      timestamptz NOT NULL DEFAULT now(),
    started_by      text NOT NULL,
    ended_at        timestamptz,
    ended_by        text,
    announcement_id uuid NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS disaster_mode_one_active ON disaster_mode ((true)) WHERE ended_at IS NULL;
"""

_COLUMNS = "id, hazard, level, message, started_at, started_by, announcement_id"
_CURRENT = f"SELECT {_COLUMNS} FROM disaster_mode WHERE ended_at IS NULL"
_END = f"UPDATE disaster_mode SET ended_at = now(), ended_by = %s WHERE ended_at IS NULL RETURNING {_COLUMNS}"
_START = f"""
INSERT INTO disaster_mode (hazard, level, message, started_by, announcement_id)
VALUES (%s, %s, %s, %s, %s) RETURNING {_COLUMNS}
"""


class InvalidAlert(ValueError):
    """What staff gave cannot be an alert; the message says why, in Japanese."""


@dataclass(frozen=True)
class DisasterState:
    id: int
    hazard: Hazard
    level: int
    message: str
    started_at: dt.datetime
    started_by: str
    announcement_id: uuid.UUID

    def as_json(self) -> dict[str, object]:
        return {
            "active": True,
            "hazard": self.hazard.value,
            "level": self.level,
            "message": self.message,
            "issued_at": self.started_at.isoformat(),
            "announcement_id": str(self.announcement_id),
        }


@dataclass(frozen=True)
class Alert:
    """A checked request to switch disaster mode on."""

    hazard: Hazard
    level: int
    message: str

    @classmethod
    def parse(cls, hazard: object, level: object, message: object) -> Alert:
        parsed_hazard = parse_hazard(hazard)
        if parsed_hazard is None:
            choices = "、".join(f"{h.value}（{h.column}）" for h in Hazard)
            raise InvalidAlert(f"災害の種類「{hazard}」が分かりません。次から選んでください: {choices}")
        if isinstance(level, bool) or not isinstance(level, int | str):
            raise InvalidAlert("警戒レベルは 1〜5 の数字で指定してください")
        try:
            number = int(unicodedata.normalize("NFKC", str(level)).strip())
        except ValueError:
            raise InvalidAlert("警戒レベルは 1〜5 の数字で指定してください") from None
        if not 1 <= number <= 5:
            raise InvalidAlert("警戒レベルは 1〜5 の数字で指定してください")
        if not isinstance(message, str) or not message.strip():
            raise InvalidAlert("住民に伝えるメッセージを入れてください（例: 鬼怒川が氾濫するおそれがあります）")
        text = message.strip()
        if len(text) > MAX_MESSAGE_LENGTH:
            raise InvalidAlert(f"メッセージは {MAX_MESSAGE_LENGTH} 文字以内にしてください（いま {len(text)} 文字）")
        return cls(parsed_hazard, number, text)


def _state(row: tuple) -> DisasterState:
    return DisasterState(row[0], Hazard(row[1]), row[2], row[3], row[4], row[5], row[6])


# --- staff commands (synchronous) ---------------------------------------------------------------------------


def current(url: str | None = None) -> DisasterState | None:
    with connect(url) as conn:
        ensure_schema(conn, "disaster_mode", SCHEMA)
        row = conn.execute(_CURRENT).fetchone()
    return _state(row) if row else None


def switch_on(alert: Alert, by: str, url: str | None = None) -> DisasterState:
    with connect(url) as conn, conn.transaction():
        ensure_schema(conn, "disaster_mode", SCHEMA)
        conn.execute(_END, (by,))
        row = conn.execute(_START, (alert.hazard.value, alert.level, alert.message, by, uuid.uuid4())).fetchone()
    return _state(row)


def switch_off(by: str, url: str | None = None) -> DisasterState | None:
    """The alert that was ended, or None when disaster mode was already off."""
    with connect(url) as conn:
        ensure_schema(conn, "disaster_mode", SCHEMA)
        row = conn.execute(_END, (by,)).fetchone()
    return _state(row) if row else None


# --- action server and gateway (asynchronous) ---------------------------------------------------------------


async def current_async(conn: psycopg.AsyncConnection) -> DisasterState | None:
    await ensure_schema_async(conn, "disaster_mode", SCHEMA)
    cursor = await conn.execute(_CURRENT)
    row = await cursor.fetchone()
    return _state(row) if row else None


async def switch_on_async(conn: psycopg.AsyncConnection, alert: Alert, by: str) -> DisasterState:
    await ensure_schema_async(conn, "disaster_mode", SCHEMA)
    async with conn.transaction():
        await conn.execute(_END, (by,))
        cursor = await conn.execute(_START, (alert.hazard.value, alert.level, alert.message, by, uuid.uuid4()))
        row = await cursor.fetchone()
    return _state(row)


async def switch_off_async(conn: psycopg.AsyncConnection, by: str) -> DisasterState | None:
    await ensure_schema_async(conn, "disaster_mode", SCHEMA)
    cursor = await conn.execute(_END, (by,))
    row = await cursor.fetchone()
    return _state(row) if row else None
