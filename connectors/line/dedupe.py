"""Each webhook event is handled once: LINE may redeliver an event, or deliver it twice at once.

The first handler to claim a webhookEventId (Redis SET NX, shared by every gateway process) handles it;
the claim expires after a few days, long after LINE stops redelivering.
"""

from __future__ import annotations

import hashlib
import logging
import re

import redis.asyncio as redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_PLAIN_ID = re.compile(r"^[0-9A-Za-z]{1,64}$")  # LINE's ids are ULIDs


class EventLedger:
    def __init__(self, client: redis.Redis, prefix: str, ttl_seconds: int) -> None:
        self._client = client
        self._prefix = prefix
        self._ttl = ttl_seconds

    def key(self, event_id: str) -> str:
        safe = event_id if _PLAIN_ID.match(event_id) else hashlib.sha256(event_id.encode()).hexdigest()
        return f"{self._prefix}:line:event:{safe}"

    async def claim(self, event_id: str) -> bool:
        """True for the one handler that gets to handle this event."""
        try:
            return bool(await self._client.set(self.key(event_id), "1", nx=True, ex=self._ttl))
        except RedisError as exc:
            # Without Redis a duplicate cannot be told apart; answering twice beats not answering at all.
            logger.warning("event ledger unavailable (%s): handling event %s without dedupe", exc, event_id)
            return True
