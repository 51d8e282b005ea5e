"""A local stand-in for the LINE Messaging API: LINE's wire format, LINE's checks, every call recorded.

Endpoints: /v2/bot/message/reply, /v2/bot/message/push, /v2/bot/message/multicast, /v2/bot/chat/loading/start.
Like LINE it refuses a wrong access token (401), bodies LINE would refuse (400 with LINE's error shape: more than
5 messages, a quick reply of more than 13 items, text over 5,000 characters, labels over 20, ...), reply tokens
it did not issue, used twice or marked expired (400 "Invalid reply token"), a malformed X-Line-Retry-Key (400),
and a retry key it already accepted (409). It can be told to fail the next calls of an endpoint transiently
(500), optionally after accepting the request (the answer is lost, as when a connection drops).
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

REPLY = "/v2/bot/message/reply"
PUSH = "/v2/bot/message/push"
MULTICAST = "/v2/bot/message/multicast"
LOADING = "/v2/bot/chat/loading/start"

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_URI_SCHEMES = ("https://", "http://", "tel:", "line://")


def line_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Call:
    endpoint: str
    headers: dict[str, str]
    body: Any
    status: int
    to: list[str] = field(default_factory=list)  # whom the request names (a reply: the token's chat)
    delivered: bool = False  # LINE accepted it: the messages reached `to` (even if the answer was lost)
    received_at: float = field(default_factory=time.monotonic)

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", []) if isinstance(self.body, dict) else []

    @property
    def retry_key(self) -> str | None:
        return self.headers.get("X-Line-Retry-Key")

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class _Failure:
    status: int
    after_accepting: bool


class _Invalid(Exception):
    def __init__(self, prop: str, message: str) -> None:
        super().__init__(message)
        self.prop = prop
        self.message = message


class LineApiStandIn:
    def __init__(self, access_token: str = "test-channel-access-token") -> None:
        self.access_token = access_token
        self.calls: list[Call] = []
        self._reply_tokens: dict[str, str] = {}  # issued token -> chat id
        self._used_tokens: set[str] = set()
        self._expired_tokens: set[str] = set()
        self._accepted_keys: set[str] = set()
        self._failures: dict[str, list[_Failure]] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # ---- test controls ----
    def new_reply_token(self, chat_id: str) -> str:
        """A reply token as LINE would put in a webhook event of this chat."""
        token = secrets.token_hex(16)
        self._reply_tokens[token] = chat_id
        return token

    def expire(self, reply_token: str) -> None:
        self._expired_tokens.add(reply_token)

    def fail_next(self, endpoint: str, times: int = 1, status: int = 500, after_accepting: bool = False) -> None:
        self._failures.setdefault(endpoint, []).extend(_Failure(status, after_accepting) for _ in range(times))

    def calls_to(self, endpoint: str) -> list[Call]:
        return [call for call in self.calls if call.endpoint == endpoint]

    def delivered_to(self, chat_id: str) -> list[dict[str, Any]]:
        """Every message LINE accepted for this chat, in order (replies, pushes and multicasts)."""
        return [m for call in self.calls if call.delivered and chat_id in call.to for m in call.messages]

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 60.0) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), timeout)

    # ---- server ----
    async def start(self, port: int = 0) -> str:
        """Listen on 127.0.0.1 (`port`, or any free one); returns the base URL to give the gateway."""
        app = web.Application()
        app.router.add_post(REPLY, self._reply)
        app.router.add_post(PUSH, self._push)
        app.router.add_post(MULTICAST, self._multicast)
        app.router.add_post(LOADING, self._loading)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self.url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _handle(
        self,
        request: web.Request,
        endpoint: str,
        check: Callable[[Any], list[str]],
        ok_status: int = 200,
        with_messages: bool = True,
    ) -> web.Response:
        headers = dict(request.headers)
        raw = await request.read()
        call = Call(endpoint, headers, None, 0)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        call.body = body
        status, answer = self._answer(request, endpoint, body, check, ok_status, call, with_messages)
        call.status = status
        await self._record(call)
        return web.json_response(answer, status=status)

    def _answer(
        self,
        request: web.Request,
        endpoint: str,
        body: Any,
        check: Callable[[Any], list[str]],
        ok_status: int,
        call: Call,
        with_messages: bool,
    ) -> tuple[int, dict[str, Any]]:
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            return 401, {"message": "Authentication failed. Confirm that the access token is valid."}
        if not isinstance(body, dict):
            details = [{"message": "must be a JSON object", "property": ""}]
            return 400, {"message": "The request body has 1 error(s)", "details": details}
        retry_key = request.headers.get("X-Line-Retry-Key")
        if retry_key is not None and not _UUID.match(retry_key):
            return 400, {"message": "The value for the 'X-Line-Retry-Key' header is invalid"}
        problems: list[_Invalid] = []
        try:
            call.to = check(body)
        except _Invalid as invalid:
            problems.append(invalid)
        if not problems and with_messages:
            problems += _problems(body.get("messages"))
        if problems:
            return 400, {
                "message": f"The request body has {len(problems)} error(s)",
                "details": [{"message": p.message, "property": p.prop} for p in problems],
            }
        if retry_key is not None and retry_key in self._accepted_keys:
            return 409, {"message": "The retry key is already accepted", "sentMessages": []}
        failures = self._failures.get(endpoint)
        if failures:
            failure = failures.pop(0)
            if not failure.after_accepting:
                return failure.status, {"message": "An error occurred in the server"}
            if retry_key is not None:
                self._accepted_keys.add(retry_key)
            # Accepted and delivered, but the answer never reaches the caller.
            call.delivered = True
            return failure.status, {"message": "An error occurred in the server"}
        if endpoint == REPLY:
            token = body["replyToken"]
            if token not in self._reply_tokens or token in self._used_tokens or token in self._expired_tokens:
                return 400, {"message": "Invalid reply token"}
            self._used_tokens.add(token)
        if retry_key is not None:
            self._accepted_keys.add(retry_key)
        call.delivered = endpoint != LOADING
        sent = [{"id": str(uuid.uuid4().int)[:18], "quoteToken": secrets.token_hex(8)} for _ in call.messages]
        return ok_status, ({"sentMessages": sent} if endpoint in (REPLY, PUSH) else {})

    async def _reply(self, request: web.Request) -> web.Response:
        def check(body: dict[str, Any]) -> list[str]:
            token = body.get("replyToken")
            if not isinstance(token, str) or not token:
                raise _Invalid("replyToken", "must be specified")
            return [self._reply_tokens.get(token, "")]

        return await self._handle(request, REPLY, check)

    async def _push(self, request: web.Request) -> web.Response:
        def check(body: dict[str, Any]) -> list[str]:
            to = body.get("to")
            if not isinstance(to, str) or not to:
                raise _Invalid("to", "must be specified")
            return [to]

        return await self._handle(request, PUSH, check)

    async def _multicast(self, request: web.Request) -> web.Response:
        def check(body: dict[str, Any]) -> list[str]:
            to = body.get("to")
            if not isinstance(to, list) or not 1 <= len(to) <= 500 or not all(isinstance(t, str) for t in to):
                raise _Invalid("to", "Size must be between 1 and 500")
            return list(to)

        return await self._handle(request, MULTICAST, check)

    async def _loading(self, request: web.Request) -> web.Response:
        def check(body: dict[str, Any]) -> list[str]:
            if not isinstance(body.get("chatId"), str):
                raise _Invalid("chatId", "must be specified")
            seconds = body.get("loadingSeconds", 20)
            if not isinstance(seconds, int) or seconds % 5 or not 5 <= seconds <= 60:
                raise _Invalid("loadingSeconds", "must be a multiple of 5 between 5 and 60")
            return [body["chatId"]]

        return await self._handle(request, LOADING, check, ok_status=202, with_messages=False)


# ---- message checks (what LINE refuses) ----


def message_problems(messages: Any) -> list[str]:
    """What LINE would refuse in a list of messages, as "property: problem" lines (empty: accepted)."""
    return [f"{problem.prop}: {problem.message}" for problem in _problems(messages)]


def _problems(messages: Any) -> list[_Invalid]:
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        return [_Invalid("messages", "Size must be between 1 and 5")]
    problems: list[_Invalid] = []
    for index, message in enumerate(messages):
        try:
            _check_message(message, f"messages[{index}]")
        except _Invalid as invalid:
            problems.append(invalid)
    return problems


def _require_text(value: Any, prop: str, limit: int) -> None:
    if not isinstance(value, str) or not value:
        raise _Invalid(prop, "must be specified")
    if line_length(value) > limit:
        raise _Invalid(prop, f"Length must be between 0 and {limit}")


def _check_uri(value: Any, prop: str) -> None:
    _require_text(value, prop, 1000)
    if not value.startswith(_URI_SCHEMES):
        raise _Invalid(prop, "invalid uri scheme")


def _check_action(action: Any, prop: str, label_limit: int) -> None:
    if not isinstance(action, dict):
        raise _Invalid(prop, "must be an object")
    kind = action.get("type")
    if kind not in ("postback", "message", "uri", "location", "camera", "cameraRoll", "datetimepicker", "clipboard"):
        raise _Invalid(f"{prop}.type", "unknown action type")
    # Quick reply items and flex buttons both need a label.
    _require_text(action.get("label"), f"{prop}.label", label_limit)
    if kind == "postback":
        _require_text(action.get("data"), f"{prop}.data", 300)
        if "displayText" in action:
            _require_text(action["displayText"], f"{prop}.displayText", 300)
    elif kind == "message":
        _require_text(action.get("text"), f"{prop}.text", 300)
    elif kind == "uri":
        _check_uri(action.get("uri"), f"{prop}.uri")


def _check_quick_reply(quick_reply: Any, prop: str) -> None:
    items = quick_reply.get("items") if isinstance(quick_reply, dict) else None
    if not isinstance(items, list) or not 1 <= len(items) <= 13:
        raise _Invalid(f"{prop}.items", "Size must be between 1 and 13")
    for index, item in enumerate(items):
        if not isinstance(item, dict) or item.get("type") != "action":
            raise _Invalid(f"{prop}.items[{index}].type", "must be 'action'")
        _check_action(item.get("action"), f"{prop}.items[{index}].action", 20)


def _check_flex_component(component: Any, prop: str) -> None:
    if not isinstance(component, dict):
        raise _Invalid(prop, "must be an object")
    kind = component.get("type")
    if kind == "box":
        if component.get("layout") not in ("horizontal", "vertical", "baseline"):
            raise _Invalid(f"{prop}.layout", "invalid layout")
        for index, child in enumerate(component.get("contents") or []):
            _check_flex_component(child, f"{prop}.contents[{index}]")
    elif kind == "text":
        _require_text(component.get("text"), f"{prop}.text", 2000)
    elif kind == "button":
        _check_action(component.get("action"), f"{prop}.action", 40)
    elif kind not in ("image", "icon", "separator", "filler", "span", "video"):
        raise _Invalid(f"{prop}.type", "unknown component type")


def _check_bubble(bubble: Any, prop: str) -> None:
    if not isinstance(bubble, dict) or bubble.get("type") != "bubble":
        raise _Invalid(f"{prop}.type", "must be 'bubble'")
    for block in ("header", "hero", "body", "footer"):
        if block in bubble:
            _check_flex_component(bubble[block], f"{prop}.{block}")


def _check_message(message: Any, prop: str) -> None:
    if not isinstance(message, dict):
        raise _Invalid(prop, "must be an object")
    kind = message.get("type")
    if kind == "text":
        _require_text(message.get("text"), f"{prop}.text", 5000)
    elif kind == "location":
        _require_text(message.get("title"), f"{prop}.title", 100)
        _require_text(message.get("address"), f"{prop}.address", 100)
        for axis in ("latitude", "longitude"):
            if not isinstance(message.get(axis), int | float):
                raise _Invalid(f"{prop}.{axis}", "must be a number")
    elif kind == "image":
        for key in ("originalContentUrl", "previewImageUrl"):
            _require_text(message.get(key), f"{prop}.{key}", 2000)
            if not message[key].startswith("https://"):
                raise _Invalid(f"{prop}.{key}", "must be https")
    elif kind == "flex":
        _require_text(message.get("altText"), f"{prop}.altText", 1500)
        contents = message.get("contents")
        if isinstance(contents, dict) and contents.get("type") == "carousel":
            bubbles = contents.get("contents")
            if not isinstance(bubbles, list) or not 1 <= len(bubbles) <= 12:
                raise _Invalid(f"{prop}.contents.contents", "Size must be between 1 and 12")
            for index, bubble in enumerate(bubbles):
                _check_bubble(bubble, f"{prop}.contents.contents[{index}]")
        else:
            _check_bubble(contents, f"{prop}.contents")
    elif kind == "sticker":
        _require_text(message.get("packageId"), f"{prop}.packageId", 100)
        _require_text(message.get("stickerId"), f"{prop}.stickerId", 100)
    else:
        raise _Invalid(f"{prop}.type", "unknown message type")
    if "quickReply" in message:
        _check_quick_reply(message["quickReply"], f"{prop}.quickReply")
