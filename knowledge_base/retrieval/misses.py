"""Questions the bot could not answer, kept for staff (table faq_misses), personal data removed.

Staff read them with `python -m knowledge_base misses` and add or improve entries. Nothing identifies the
resident: no user id, no channel id; the question itself goes through redaction.redact() first.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import psycopg

from knowledge_base import storage
from knowledge_base.retrieval.redaction import redact

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS faq_misses (
    id          bigserial PRIMARY KEY,
    asked_at    timestamptz NOT NULL DEFAULT now(),
    question    text NOT NULL,           -- redacted
    language    text NOT NULL,
    best_entry  text,                    -- what the bot almost answered, if anything
    best_score  real
);
CREATE INDEX IF NOT EXISTS faq_misses_asked_at ON faq_misses (asked_at DESC);
"""

# Longer questions are cut: a miss is a hint for staff, not a transcript.
MAX_QUESTION_CHARS = 500


@dataclass(frozen=True)
class Miss:
    asked_at: dt.datetime
    question: str
    language: str
    best_entry: str | None
    best_score: float | None


async def record_miss(
    question: str, language: str, best_entry: str | None, best_score: float | None, url: str | None = None
) -> None:
    """Store one miss; a database problem is logged, never passed on (the resident already has a reply)."""
    text = redact(question)[:MAX_QUESTION_CHARS]
    try:
        conn = await storage.connect_async(url)
        try:
            await storage.ensure_schema_async(conn, "faq_misses", SCHEMA)
            await conn.execute(
                "INSERT INTO faq_misses (question, language, best_entry, best_score) VALUES (%s, %s, %s, %s)",
                (text, language, best_entry, best_score),
            )
        finally:
            await conn.close()
    except (psycopg.Error, OSError) as exc:
        logger.warning("FAQ: could not record an unanswered question: %s", exc.__class__.__name__)


def list_misses(days: int = 30, limit: int = 200, url: str | None = None) -> list[Miss]:
    """The newest misses of the last `days` days."""
    with storage.connect(url) as conn:
        storage.ensure_schema(conn, "faq_misses", SCHEMA)
        rows = conn.execute(
            "SELECT asked_at, question, language, best_entry, best_score FROM faq_misses"
            " WHERE asked_at >= now() - make_interval(days => %s) ORDER BY asked_at DESC, id DESC LIMIT %s",
            (days, limit),
        ).fetchall()
    return [Miss(*row) for row in rows]
