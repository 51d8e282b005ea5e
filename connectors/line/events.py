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
from linebot.v3.models.events import UnknownEvent
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

# Event and message types this SDK knows: when one of them fails the SDK's validation, the body is malformed.
# (A message type newer than the SDK is not malformed: it gets the kind "cannot read this" reply.)
_HANDLED_EVENTS = frozenset({"message", "postback", "follow", "unfollow"})
_KNOWN_MESSAGES = frozenset({"text", "image", "video", "audio", "file", "location", "sticker"})


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
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
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
    # Raises first when an event we handle is malformed: the whole body is refused, nothing is handled.
    newer_message_type = _new_message_type(raw) if isinstance(event, UnknownEvent) else None
    if str(getattr(event.mode, "value", event.mode)) != "active":
        # Another module channel holds the chat (LINE's chat control): the bot must stay silent.
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
    if newer_message_type is not None:
        # A message type newer than this SDK: still answered kindly.
        return Incoming(Kind.UNSUPPORTED, detail=newer_message_type, **base)
    return Incoming(Kind.IGNORED, detail="event type not handled", **base)


def _new_message_type(raw: dict[str, Any]) -> str | None:
    """For an event the SDK could not read: the message type when it is simply newer than the SDK, None when
    the event is of a type we do not handle anyway; MalformedWebhook when it is one we handle, but broken."""
    if raw.get("type") not in _HANDLED_EVENTS:
        return None
    message = raw.get("message")
    message_type = message.get("type") if isinstance(message, dict) else None
    if raw.get("type") != "message" or not isinstance(message_type, str) or message_type in _KNOWN_MESSAGES:
        raise MalformedWebhook(f"a {raw.get('type')} event LINE would not send")
    return message_type


def _message(event: MessageEvent, base: dict[str, Any]) -> Incoming:
    content = event.message
    if isinstance(content, TextMessageContent):
        text = typed_text(content.text)
        return Incoming(Kind.TEXT, engine_text=text, **base) if text else Incoming(Kind.IGNORED, **base)
    if isinstance(content, LocationMessageContent):
        return Incoming(Kind.LOCATION, engine_text=share_location_turn(content.latitude, content.longitude), **base)
    detail = "sticker" if isinstance(content, StickerMessageContent) else str(content.type)
    return Incoming(Kind.UNSUPPORTED, detail=detail, **base)
