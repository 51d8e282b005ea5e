"""Residents' 👍/👎 on answers, kept in PostgreSQL (table conversation_feedback).

One row per press: the FAQ entry it was about, the rating, when, and through which channel and in which
language. Nothing personal: no user id (not even the pseudonym), no message text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from knowledge_base.storage import connect_async, ensure_schema_async

logger = logging.getLogger(__name__)

RATINGS = ("good", "bad")

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversation_feedback (
    id          bigserial   PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now(),
    rating      text        NOT NULL CHECK (rating IN ('good', 'bad')),
    entry_id    text,
    channel     text,
    language    text
);
CREATE INDEX IF NOT EXISTS conversation_feedback_entry ON conversation_feedback (entry_id, created_at);
"""


@dataclass(frozen=True)
class Feedback:
    rating: str
    entry_id: str | None
    channel: str | None
    language: str | None

    def __post_init__(self) -> None:
        if self.rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, got {self.rating!r}")


async def record_feedback(feedback: Feedback, database_url: str | None = None) -> bool:
    """Store one feedback; False (and a log line without anything personal) when the database fails."""
    try:
        conn = await connect_async(database_url)
        try:
            await ensure_schema_async(conn, "conversation_feedback", SCHEMA)
            await conn.execute(
                "INSERT INTO conversation_feedback (rating, entry_id, channel, language) VALUES (%s, %s, %s, %s)",
                (feedback.rating, feedback.entry_id, feedback.channel, feedback.language),
            )
        finally:
            await conn.close()
    except Exception:
        # The resident is thanked anyway; the log keeps the (non-personal) feedback so it is not lost.
        logger.exception("could not record feedback %s", feedback)
        return False
    return True
