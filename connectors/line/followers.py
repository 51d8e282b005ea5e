"""Who follows the city's LINE account, so that disaster news can reach them (broadcast.py).

A LINE user id is personal data: the table keeps it encrypted (AES-GCM, key LINE_FOLLOWER_KEY or one generated
in JOSO_STATE_DIR) next to its keyed hash (connectors/pseudonym.py), which finds and de-duplicates rows without
decrypting anything. Following again after blocking updates the row; unfollowing deletes it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from knowledge_base.storage import connect_async, ensure_schema_async

logger = logging.getLogger(__name__)

KEY_FILE = "line_follower.key"
KEY_BYTES = 32
NONCE_BYTES = 12

# One statement string runs as one transaction: the advisory lock serializes the first creation, since two
# concurrent CREATE TABLE IF NOT EXISTS can otherwise collide in PostgreSQL's catalog.
SCHEMA = """
SELECT pg_advisory_xact_lock(hashtext('line_followers'));
CREATE TABLE IF NOT EXISTS line_followers (
    id_hash text PRIMARY KEY,
    user_id_encrypted bytea NOT NULL,
    key_id text NOT NULL,
    followed_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE line_followers IS
    'LINE followers for disaster broadcasts: id_hash = keyed hash of the user id; user_id_encrypted = '
    'AES-GCM (12-byte nonce + ciphertext, associated data id_hash) under the key named by key_id';
"""


def decode_key(text: str) -> bytes:
    """A 32-byte key written as 64 hex digits or as base64."""
    text = text.strip()
    try:
        key = bytes.fromhex(text) if len(text) == 2 * KEY_BYTES else base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        key = b""
    if len(key) != KEY_BYTES:
        raise ValueError("LINE_FOLLOWER_KEY must be 32 bytes, written as 64 hex digits or base64")
    return key


def load_or_create_key(configured: str | None, state_dir: Path) -> bytes:
    """The configured key, or one generated once per installation and kept private on disk (0600)."""
    if configured:
        return decode_key(configured)
    path = state_dir / KEY_FILE
    if path.exists():
        return decode_key(path.read_text())
    state_dir.mkdir(parents=True, exist_ok=True)
    # O_EXCL: when two processes start at once, one creates the key and the other reads it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return decode_key(path.read_text())
    key = secrets.token_bytes(KEY_BYTES)
    with os.fdopen(fd, "w") as handle:
        handle.write(key.hex())
    return key


class FollowerCipher:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)
        # Names the key without revealing it, so rows sealed under an older key can be told apart.
        self.key_id = hashlib.sha256(b"joso line follower key\0" + key).hexdigest()[:16]

    def seal(self, user_id: str, id_hash: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, user_id.encode(), id_hash.encode())

    def open(self, sealed: bytes, id_hash: str) -> str:
        """The user id; raises InvalidTag when the row was tampered with or sealed under another key."""
        return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], id_hash.encode()).decode()


@dataclass(frozen=True)
class Recipients:
    user_ids: list[str]
    unreadable: int  # rows sealed under another key (or damaged): they cannot be reached


class FollowerStore:
    def __init__(self, database_url: str, cipher: FollowerCipher, pseudonymize: Callable[[str, str], str]) -> None:
        self._url = database_url
        self._cipher = cipher
        self._pseudonymize = pseudonymize

    def id_hash(self, user_id: str) -> str:
        return self._pseudonymize("line", user_id)

    async def _connect(self) -> psycopg.AsyncConnection:
        conn = await connect_async(self._url)
        await ensure_schema_async(conn, "line_followers", SCHEMA)
        return conn

    async def add(self, user_id: str) -> None:
        id_hash = self.id_hash(user_id)
        async with await self._connect() as conn:
            await conn.execute(
                """
                INSERT INTO line_followers (id_hash, user_id_encrypted, key_id) VALUES (%s, %s, %s)
                ON CONFLICT (id_hash) DO UPDATE
                SET user_id_encrypted = EXCLUDED.user_id_encrypted, key_id = EXCLUDED.key_id, followed_at = now()
                """,
                (id_hash, self._cipher.seal(user_id, id_hash), self._cipher.key_id),
            )

    async def remove(self, user_id: str) -> bool:
        async with await self._connect() as conn:
            cursor = await conn.execute("DELETE FROM line_followers WHERE id_hash = %s", (self.id_hash(user_id),))
            return cursor.rowcount > 0

    async def count(self) -> int:
        async with await self._connect() as conn:
            row = await (await conn.execute("SELECT count(*) FROM line_followers")).fetchone()
            return int(row[0]) if row else 0

    async def recipients(self) -> Recipients:
        """Every follower's user id, decrypted (in memory only, for one broadcast)."""
        async with await self._connect() as conn:
            rows = await (
                await conn.execute("SELECT id_hash, user_id_encrypted FROM line_followers ORDER BY followed_at")
            ).fetchall()
        user_ids: list[str] = []
        unreadable = 0
        for id_hash, sealed in rows:
            try:
                user_ids.append(self._cipher.open(bytes(sealed), id_hash))
            except (InvalidTag, ValueError):
                unreadable += 1
        if unreadable:
            logger.warning("%d follower rows cannot be decrypted with the current key", unreadable)
        return Recipients(user_ids, unreadable)
