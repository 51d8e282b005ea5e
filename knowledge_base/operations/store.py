"""The database as the operations use it: one short connection, and an unreachable database said plainly."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg

from knowledge_base.operations.errors import Conflict, StoreUnavailable
from knowledge_base.storage import connect_async

logger = logging.getLogger(__name__)


@asynccontextmanager
async def database() -> AsyncIterator[psycopg.AsyncConnection]:
    try:
        conn = await connect_async()
        async with conn:
            yield conn
    except psycopg.errors.UniqueViolation as exc:
        # Only disaster mode has such a constraint (one active alert): two switches at the same moment.
        raise Conflict(
            "conflict",
            "同時に別の操作がありました。もう一度実行してください。",
            "changed by someone else at the same moment; try again",
        ) from exc
    except (psycopg.Error, OSError) as exc:
        logger.error("database unavailable: %s", exc)
        raise StoreUnavailable(
            "database_unavailable",
            "データベースに接続できません（DATABASE_URL を確認してください）。",
            "the database cannot be reached",
        ) from exc
