"""The LINE channel at work: events are handled in the background, after the webhook has been acknowledged.

Per chat, events are handled one at a time and in the order LINE sent them; across chats a few at a time
(the engine is the bottleneck). Each event is claimed once in the event ledger before anything is done.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator, Callable
from typing import Any

from connectors.engine import Engine, EngineUnavailable
from connectors.line import texts
from connectors.line.config import LineConfig
from connectors.line.dedupe import EventLedger
from connectors.line.delivery import Outbox
from connectors.line.events import CONVERSATION, Incoming, Kind
from connectors.line.followers import FollowerStore
from connectors.line.render import LineMessage, menu_actions, render
from connectors.replies import from_rasa, turn_language
from connectors.texts import engine_unavailable
from knowledge_base.texts import text

logger = logging.getLogger(__name__)

Pseudonymize = Callable[[str, str], str]

LOADING_WAIT_SECONDS = 3.0


class KeyedLocks:
    """One FIFO lock per key, forgotten when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: Counter[str] = Counter()

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] += 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key]
                del self._locks[key]


class ChatLanguages:
    """The language each chat was last answered in, for LINE's own texts on a turn that shows none (a sticker).

    Kept in this process only and bounded: a hint, not a record (Rasa's tracker is the conversation's memory).
    """

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._languages: OrderedDict[str, str] = OrderedDict()

    def get(self, who: str) -> str | None:
        return self._languages.get(who)

    def remember(self, who: str, language: str | None) -> None:
        if language is None:
            return
        self._languages[who] = language
        self._languages.move_to_end(who)
        while len(self._languages) > self._size:
            self._languages.popitem(last=False)


class LineChannel:
    def __init__(
        self,
        config: LineConfig,
        engine: Engine,
        outbox: Outbox,
        ledger: EventLedger,
        followers: FollowerStore,
        pseudonymize: Pseudonymize,
    ) -> None:
        self._config = config
        self._engine = engine
        self._outbox = outbox
        self._ledger = ledger
        self._followers = followers
        self._pseudonymize = pseudonymize
        self._chats = KeyedLocks()
        self._languages = ChatLanguages()
        self._slots = asyncio.Semaphore(max(1, config.max_concurrent_events))
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> int:
        """Events accepted but not yet handled."""
        return len(self._tasks)

    def accept(self, events: list[Incoming]) -> None:
        """Schedule the events and return at once: the webhook's answer never waits for them."""
        for event in events:
            if event.kind is Kind.IGNORED:
                logger.info("line event %s (%s) ignored: %s", event.event_id, event.event_type, event.detail)
                continue
            task = asyncio.create_task(self._run(event), name=f"line-event-{event.event_id}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        """Let events in progress finish (for a while), then cancel what is left."""
        if not self._tasks:
            return
        logger.info("waiting for %d LINE event(s) in progress", len(self._tasks))
        _done, pending = await asyncio.wait(set(self._tasks), timeout=self._config.drain_seconds)
        for task in pending:
            task.cancel()
        if pending:
            logger.error("%d LINE event(s) cancelled at shutdown", len(pending))
            await asyncio.gather(*pending, return_exceptions=True)

    def who(self, event: Incoming) -> str:
        """How logs and the engine name the chat: a keyed hash, never the LINE id."""
        return self._pseudonymize("line", event.chat_id or "")

    async def _run(self, event: Incoming) -> None:
        who = self.who(event)
        try:
            # The chat lock first: events of one chat are claimed and handled in the order they came.
            async with self._chats.hold(who):
                if not await self._ledger.claim(event.event_id):
                    logger.info("line event %s already handled (redelivery=%s)", event.event_id, event.redelivery)
                    return
                async with self._slots:
                    await self._handle(event, who)
        except Exception:
            logger.exception("line event %s (%s) of %s failed", event.event_id, event.kind, who)
            if event.kind in CONVERSATION:
                # A bug must not leave the resident without an answer: at least the apology, best effort.
                with contextlib.suppress(Exception):
                    language = self._languages.get(who) or "ja"
                    await self._send(event, who, render([{"text": engine_unavailable(language)}], language=language))

    async def _handle(self, event: Incoming, who: str) -> None:
        if event.kind in CONVERSATION:
            await self._converse(event, who, event.engine_text or "")
        elif event.kind is Kind.FOLLOW:
            await self._record_follower(event, who)
            await self._converse(event, who, event.engine_text or "/greet", lead=texts.welcome())
        elif event.kind is Kind.UNFOLLOW:
            await self._forget_follower(event, who)
        elif event.kind is Kind.UNSUPPORTED:
            language = self._languages.get(who) or "ja"
            notice = text("line.sticker" if event.detail == "sticker" else "line.media", language)
            await self._send(event, who, render([{"text": notice}], menu_actions(language), language))

    async def _converse(self, event: Incoming, who: str, turn: str, lead: str | None = None) -> None:
        loading = None
        if event.chat_type == "user" and event.chat_id:
            loading = asyncio.create_task(self._outbox.show_loading(event.chat_id))
        leading: list[dict[str, Any]] = [{"text": lead}] if lead else []
        try:
            replies = from_rasa(await self._engine.exchange(who, turn, {"channel": "line"}))
            language = turn_language(replies, turn, self._languages.get(who)) or "ja"
            self._languages.remember(who, language)
            messages = render(leading + replies, menu_actions(language) if lead else None, language)
        except EngineUnavailable as exc:
            logger.warning("engine unavailable for %s: %s", who, exc)
            language = turn_language([], turn, self._languages.get(who)) or "ja"
            apology = [{"text": engine_unavailable(language)}]
            messages = render(leading or apology, menu_actions(language) if lead else None, language)
        if loading is not None:
            # The animation must start before the answer, or it would linger after it; but a slow LINE API
            # must not hold the answer back for long either.
            _done, pending = await asyncio.wait({loading}, timeout=LOADING_WAIT_SECONDS)
            for task in pending:
                task.cancel()
        await self._send(event, who, messages)

    async def _send(self, event: Incoming, who: str, messages: list[LineMessage]) -> None:
        if not messages or not event.chat_id:
            logger.warning("line event %s: nothing to send to %s", event.event_id, who)
            return
        delivery = await self._outbox.deliver(event.chat_id, event.reply_token, messages, who)
        level = logging.INFO if delivery.complete else logging.ERROR
        logger.log(
            level,
            "line event %s (%s) for %s: %d message(s) replied, %d pushed, %d undelivered",
            event.event_id,
            event.kind,
            who,
            delivery.replied,
            delivery.pushed,
            delivery.undelivered,
        )

    async def _record_follower(self, event: Incoming, who: str) -> None:
        # Disaster news reaches only recorded followers: worth a few tries if the database blinks.
        attempts = max(1, self._config.send_attempts)
        for attempt in range(1, attempts + 1):
            try:
                await self._followers.add(event.user_id or event.chat_id or "")
                logger.info("follower %s recorded", who)
                return
            except Exception as exc:
                if attempt == attempts:
                    logger.exception("follower %s could not be recorded", who)
                    return
                logger.warning("follower %s not recorded yet (%s); trying again", who, exc.__class__.__name__)
                await asyncio.sleep(self._config.retry_backoff * attempt)

    async def _forget_follower(self, event: Incoming, who: str) -> None:
        try:
            removed = await self._followers.remove(event.user_id or event.chat_id or "")
            logger.info("follower %s %s", who, "forgotten" if removed else "was not recorded")
        except Exception:
            logger.exception("follower %s could not be forgotten", who)
