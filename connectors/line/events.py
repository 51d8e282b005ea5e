"""LINE webhook bodies: signature check, parsing, and what each event asks of the gateway.

The LINE ids an event carries (user, group, room, reply token) stay in memory only, and never in a repr:
logs name the event by its webhookEventId and the resident by the keyed hash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhooks import (
    FollowEvent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
)


class BadSignature(Exception):
    """X-Line-Signature is missing or does not match the body: the request is not from LINE."""


class MalformedWebhook(Exception):
    """Signed correctly, but not a webhook body LINE would send."""


class Kind(StrEnum):
    TEXT = "text"
    LOCATION = "location"
    POSTBACK = "postback"
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"
    UNSUPPORTED = "unsupported"  # a message type the bot cannot read (sticker, image, ...): a kind reply
    IGNORED = "ignored"  # nothing to do (standby mode, join, beacon, unknown event types, ...)


# Kinds that are one turn of the conversation in Rasa.
CONVERSATION = frozenset({Kind.TEXT, Kind.LOCATION, Kind.POSTBACK})


@dataclass(frozen=True)
class Incoming:
    kind: Kind
    event_id: str
    event_type: str
    detail: str = ""  # e.g. the message type of an unsupported message, or why an event is ignored
    engine_text: str | None = None  # what Rasa receives for this event
    redelivery: bool = False
    chat_type: str | None = None  # user, group or room
    chat_id: str | None = field(default=None, repr=False)
    user_id: str | None = field(default=None, repr=False)
    reply_token: str | None = field(default=None, repr=False)


def typed_text(text: str) -> str:
    """Typed text is never read as a "/intent" command: only buttons (postbacks) send those."""
    text = text.strip()
    return "／" + text[1:] if text.startswith("/") else text


def share_location_turn(latitude: float, longitude: float) -> str:
    return "/share_location" + json.dumps({"latitude": float(latitude), "longitude": float(longitude)})


def parse(parser: WebhookParser, body: bytes, signature: str | None) -> list[Incoming]:
    """The events of a webhook body, after checking it was signed with our channel secret."""
    if not signature:
        raise BadSignature("X-Line-Signature is missing")
    # Undecodable bytes are replaced, so such a body can never match its signature (401), never crash.
    text = body.decode("utf-8", errors="replace")
    try:
        events = parser.parse(text, signature)
    except InvalidSignatureError as exc:
        raise BadSignature("X-Line-Signature does not match the body") from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        # The SDK's messages may quote the body (and so a user id): keep only the class name.
        raise MalformedWebhook(f"not a LINE webhook body ({exc.__class__.__name__})") from None
    raw_events = json.loads(text).get("events")
    if not isinstance(raw_events, list) or not all(isinstance(raw, dict) for raw in raw_events):
        raise MalformedWebhook("events must be a list of objects")
    return [_incoming(event, raw) for event, raw in zip(events, raw_events, strict=True)]


def _chat(raw: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(chat type, chat id, user id) from an event's source; replies go to the chat."""
    source = raw.get("source")
    if not isinstance(source, dict):
        return None, None, None
    kind = source.get("type")
    user_id = source.get("userId") if isinstance(source.get("userId"), str) else None
    chat_id = {"user": user_id, "group": source.get("groupId"), "room": source.get("roomId")}.get(kind)
    if not isinstance(chat_id, str) or not chat_id:
        return None, None, user_id
    return kind, chat_id, user_id


def _incoming(event: Any, raw: dict[str, Any]) -> Incoming:
    chat_type, chat_id, user_id = _chat(raw)
    reply_token = raw.get("replyToken") if isinstance(raw.get("replyToken"), str) else None
    base = {
        "event_id": event.webhook_event_id,
        "event_type": str(raw.get("type")),
        "redelivery": bool(event.delivery_context.is_redelivery),
        "chat_type": chat_type,
        "chat_id": chat_id,
        "user_id": user_id,
        "reply_token": reply_token,
    }
    if str(getattr(event.mode, "value", event.mode)) != "active":
        # Another channel (e.g. the city's staff inbox) holds the chat: the bot must stay silent.
        return Incoming(Kind.IGNORED, detail="standby", **base)
    if chat_id is None:
        return Incoming(Kind.IGNORED, detail="no source", **base)
    if isinstance(event, MessageEvent):
        return _message(event, base)
    if isinstance(event, PostbackEvent):
        data = event.postback.data.strip()
        return Incoming(Kind.POSTBACK, engine_text=data, **base) if data else Incoming(Kind.IGNORED, **base)
    if isinstance(event, FollowEvent) and chat_type == "user":
        return Incoming(Kind.FOLLOW, engine_text="/greet", **base)
    if isinstance(event, UnfollowEvent) and chat_type == "user":
        return Incoming(Kind.UNFOLLOW, **base)
    if raw.get("type") == "message":
        # A message type newer than this SDK: still answered kindly.
        message = raw.get("message")
        detail = str(message.get("type")) if isinstance(message, dict) else "unknown"
        return Incoming(Kind.UNSUPPORTED, detail=detail, **base)
    return Incoming(Kind.IGNORED, detail="event type not handled", **base)


def _message(event: MessageEvent, base: dict[str, Any]) -> Incoming:
    content = event.message
    if isinstance(content, TextMessageContent):
        text = typed_text(content.text)
        return Incoming(Kind.TEXT, engine_text=text, **base) if text else Incoming(Kind.IGNORED, **base)
    if isinstance(content, LocationMessageContent):
        return Incoming(Kind.LOCATION, engine_text=share_location_turn(content.latitude, content.longitude), **base)
    detail = "sticker" if isinstance(content, StickerMessageContent) else str(content.type)
    return Incoming(Kind.UNSUPPORTED, detail=detail, **base)
