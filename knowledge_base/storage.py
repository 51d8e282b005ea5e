"""PostgreSQL access shared by the action server, the gateway and the staff commands.

Each feature owns its tables and creates them idempotently (CREATE TABLE IF NOT EXISTS) the first time it
connects, through ensure_schema(); there is no central migration list to edit.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/joso"

_schemas_done: set[tuple[str, str]] = set()
_schemas_lock = threading.Lock()


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def ensure_database(url: str | None = None) -> None:
    """Create the database named in the URL if it does not exist yet (needs CREATEDB on the server)."""
    info = psycopg.conninfo.conninfo_to_dict(url or database_url())
    name = info.get("dbname") or "postgres"
    admin = psycopg.conninfo.make_conninfo(**(info | {"dbname": "postgres"}))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(url)
    admin = psycopg.conninfo.make_conninfo(**(info | {"dbname": "postgres"}))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(info["dbname"])))


def ensure_schema(conn: psycopg.Connection, name: str, ddl: str) -> None:
    """Run a feature's idempotent DDL once per process and database."""
    key = (conn.info.dsn, name)
    with _schemas_lock:
        if key in _schemas_done:
            return
        conn.execute(ddl)
        _schemas_done.add(key)


@contextmanager
def connect(url: str | None = None) -> Iterator[psycopg.Connection]:
    """A short-lived autocommit connection (staff commands, rare writes)."""
    with psycopg.connect(url or database_url(), autocommit=True, connect_timeout=5) as conn:
        yield conn


async def connect_async(url: str | None = None) -> psycopg.AsyncConnection:
    """A short-lived async autocommit connection (action server, gateway); close it after use."""
    return await psycopg.AsyncConnection.connect(url or database_url(), autocommit=True, connect_timeout=5)


async def ensure_schema_async(conn: psycopg.AsyncConnection, name: str, ddl: str) -> None:
    key = (conn.info.dsn, name)
    if key in _schemas_done:
        return
    await conn.execute(ddl)
    with _schemas_lock:
        _schemas_done.add(key)
