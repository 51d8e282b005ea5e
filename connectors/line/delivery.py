"""Sending to LINE: reply first (free), push only when the reply cannot be used, retry pushes safely.

A reply token is single-use, short-lived and carries at most 5 messages. A turn's first 5 messages go with
the reply token; if it has expired (LINE's 400 "Invalid reply token") or the reply fails, they go by push
instead, and so does anything past the first 5. Every push and multicast carries an X-Line-Retry-Key (a UUID)
that is reused when the same request is retried after a transient failure, so LINE delivers it once (409 on a
duplicate means it was already accepted).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from linebot.v3.messaging import (
    AsyncMessagingApi,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
)
from linebot.v3.messaging.exceptions import ApiException

from connectors.line.config import LineConfig
from connectors.line.render import LineMessage, batches

logger = logging.getLogger(__name__)


@dataclass
class SendResult:
    ok: bool
    attempts: int
    retry_key: str | None = None
    status: int | None = None  # LINE's HTTP status of the last attempt (None: no answer)
    error: str = ""


@dataclass
class Delivery:
    """What happened to one turn's messages."""

    replied: int = 0
    pushed: int = 0
    undelivered: int = 0
    pushes: list[SendResult] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.undelivered == 0


def _describe(exc: BaseException) -> tuple[int | None, str]:
    if isinstance(exc, ApiException):
        # LINE's error bodies name the problem ("Invalid reply token"), never a user id.
        return exc.status, f"HTTP {exc.status} {str(exc.body or '')[:200]}"
    return None, f"{exc.__class__.__name__} {exc}"[:200]


def is_transient(exc: BaseException) -> bool:
    """Worth retrying with the same retry key: LINE's server errors, rate limits, the network."""
    if isinstance(exc, ApiException):
        if exc.status == 429:
            return "monthly limit" not in str(exc.body or "").lower()  # the quota does not come back soon
        return exc.status >= 500
    return isinstance(exc, aiohttp.ClientError | TimeoutError)


class Outbox:
    def __init__(self, api: AsyncMessagingApi, config: LineConfig) -> None:
        self._api = api
        self._config = config

    async def show_loading(self, chat_id: str) -> None:
        """The "typing" animation in a one-to-one chat while the engine works; never blocks an answer."""
        seconds = min(60, max(5, 5 * round(self._config.loading_seconds / 5)))
        try:
            await self._api.show_loading_animation_with_http_info(
                ShowLoadingAnimationRequest(chatId=chat_id, loadingSeconds=seconds),
                _request_timeout=self._config.api_timeout,
            )
        except (ApiException, aiohttp.ClientError, TimeoutError) as exc:
            logger.info("loading animation not shown: %s", _describe(exc)[1])

    async def deliver(self, chat_id: str, reply_token: str | None, messages: list[LineMessage], who: str) -> Delivery:
        """One turn's messages, in order: the first 5 by reply when possible, everything else by push."""
        delivery = Delivery()
        groups = batches(messages)
        if groups and reply_token and await self._reply(reply_token, groups[0], who):
            delivery.replied = len(groups[0])
            groups = groups[1:]
        for group in groups:
            result = await self.push(chat_id, group, who)
            delivery.pushes.append(result)
            if result.ok:
                delivery.pushed += len(group)
            else:
                delivery.undelivered += len(group)
        return delivery

    async def _reply(self, reply_token: str, messages: list[LineMessage], who: str) -> bool:
        request = ReplyMessageRequest.from_dict({"replyToken": reply_token, "messages": messages})
        try:
            await self._api.reply_message_with_http_info(request, _request_timeout=self._config.api_timeout)
            return True
        except (ApiException, aiohttp.ClientError, TimeoutError) as exc:
            status, detail = _describe(exc)
            expired = status == 400 and "reply token" in detail.lower()
            logger.log(
                logging.INFO if expired else logging.WARNING,
                "reply to %s %s; pushing instead (%s)",
                who,
                "token expired" if expired else "failed",
                detail,
            )
            return False

    async def push(self, to: str, messages: list[LineMessage], who: str) -> SendResult:
        request = PushMessageRequest.from_dict({"to": to, "messages": messages})

        async def call(retry_key: str) -> Any:
            return await self._api.push_message_with_http_info(
                request, x_line_retry_key=retry_key, _request_timeout=self._config.api_timeout
            )

        result = await self.with_retry_key(call)
        if not result.ok:
            logger.error("push to %s failed after %d attempt(s): %s", who, result.attempts, result.error)
        return result

    async def multicast(self, to: list[str], messages: list[LineMessage], retry_key: str | None = None) -> SendResult:
        request = MulticastRequest.from_dict({"to": to, "messages": messages})

        async def call(retry_key: str) -> Any:
            return await self._api.multicast_with_http_info(
                request, x_line_retry_key=retry_key, _request_timeout=self._config.api_timeout
            )

        return await self.with_retry_key(call, retry_key)

    async def with_retry_key(self, call: Callable[[str], Awaitable[Any]], retry_key: str | None = None) -> SendResult:
        """Call with one retry key (new unless given), retrying transient failures with that same key."""
        retry_key = retry_key or str(uuid.uuid4())
        attempts = max(1, self._config.send_attempts)
        for attempt in range(1, attempts + 1):
            try:
                await call(retry_key)
                return SendResult(ok=True, attempts=attempt, retry_key=retry_key, status=200)
            except (ApiException, aiohttp.ClientError, TimeoutError) as exc:
                status, detail = _describe(exc)
                if status == 409:
                    # LINE already accepted a request with this key (an earlier attempt got through).
                    return SendResult(ok=True, attempts=attempt, retry_key=retry_key, status=409)
                if not is_transient(exc) or attempt == attempts:
                    return SendResult(False, attempt, retry_key, status, detail)
                delay = min(30.0, self._config.retry_backoff * 2 ** (attempt - 1))
                logger.info("LINE call failed (%s); retry %d in %.1f s with the same key", detail, attempt, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")
