"""What the evacuation actions share: the shelter registry, the database reads, and the resident's context.

The registry is loaded once per process (in a worker thread: at national scale it takes seconds) and reloaded
when staff replace the CSV files. Opening status and disaster mode are read from PostgreSQL on every turn
that needs them, so staff changes are effective at once; if the database cannot be reached the answer still
comes, without that information.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
import time
import unicodedata
from collections.abc import AsyncIterator
from typing import Any

import psycopg
from rasa_sdk import Tracker

from actions.conversation.tracker_facts import resident_language
from knowledge_base.disaster.state import DisasterState, current_async
from knowledge_base.shelters.registry import Registry, RegistryCache
from knowledge_base.shelters.status import Status, fetch_statuses
from knowledge_base.storage import database_url

logger = logging.getLogger(__name__)

__all__ = ["resident_language"]  # the shelter and alert-level actions import it from here

DB_CONNECT_TIMEOUT_S = 2

_registries = RegistryCache()
# Load as soon as the action server imports the actions, not on the first resident's question: a national
# file takes seconds to load (a per-municipality one, milliseconds).
threading.Thread(target=_registries.get, name="shelter-registry-preload", daemon=True).start()


async def shelter_registry() -> Registry:
    return await asyncio.to_thread(_registries.get)


@contextlib.asynccontextmanager
async def _database() -> AsyncIterator[psycopg.AsyncConnection]:
    conn = await psycopg.AsyncConnection.connect(database_url(), autocommit=True, connect_timeout=DB_CONNECT_TIMEOUT_S)
    try:
        yield conn
    finally:
        await conn.close()


async def disaster_state() -> DisasterState | None:
    """The active alert, or None (also when the database cannot be read: logged, never shown as an error)."""
    try:
        async with _database() as conn:
            return await current_async(conn)
    except (psycopg.Error, OSError) as exc:
        logger.error("disaster mode unknown (database): %s", exc)
        return None


async def statuses_and_disaster(place_ids: list[str]) -> tuple[dict[str, Status] | None, DisasterState | None]:
    """Opening status of these places (None when unknown) and the active alert, in one connection."""
    try:
        async with _database() as conn:
            return await fetch_statuses(conn, place_ids), await current_async(conn)
    except (psycopg.Error, OSError) as exc:
        logger.error("opening status unknown (database): %s", exc)
        return None, None


def typed_text(tracker: Tracker) -> str:
    """What the resident typed this turn ("" for a button or a shared location)."""
    text = (tracker.latest_message or {}).get("text") or ""
    return "" if text.startswith("/") else text


def turn_time(tracker: Tracker) -> float:
    """When Rasa received this turn's message (seconds since the epoch)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user" and event.get("timestamp"):
            return float(event["timestamp"])
    return time.time()


def entity(tracker: Tracker, name: str) -> Any:
    for found in (tracker.latest_message or {}).get("entities") or []:
        if found.get("entity") == name:
            return found.get("value")
    return None


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "はい")
    return value is True or value == 1


# Words by which residents say they (or the person they help) need care or time to evacuate.
_NEEDS_CARE = re.compile(
    r"高齢|年寄|老人|介助|介護|車いす|車椅子|要配慮|障害|障がい|寝たきり|妊娠|妊婦|足が悪|目が見えな|耳が聞こえな"
    r"|一人で(?:は)?(?:逃げ|避難|歩け)|助けが(?:必要|いる)"
    r"|elderly|old age|senior|wheelchair|disab|pregnan|need (?:help|care)|cannot walk|can't walk"
    r"|idos[oa]|cadeira de rodas|deficien|grávida|gestante|preciso de ajuda|não consigo andar",
    re.IGNORECASE,
)


def mentions_need_care(text: str) -> bool:
    return bool(_NEEDS_CARE.search(unicodedata.normalize("NFKC", text)))
