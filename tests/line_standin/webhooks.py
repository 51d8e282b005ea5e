"""Webhook bodies as LINE sends them, signed as LINE signs them (base64 HMAC-SHA256 of the raw body)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def sign(body: bytes, channel_secret: str) -> str:
    return base64.b64encode(hmac.new(channel_secret.encode(), body, hashlib.sha256).digest()).decode()


def new_user_id() -> str:
    return "U" + secrets.token_hex(16)


def new_event_id() -> str:
    """A ULID, as LINE's webhookEventId is."""
    return "".join(secrets.choice(_CROCKFORD) for _ in range(26))


def body(*events: dict[str, Any], destination: str = "U" + "0" * 32) -> bytes:
    return json.dumps({"destination": destination, "events": list(events)}, ensure_ascii=False).encode()


def event(
    kind: str,
    user_id: str,
    reply_token: str | None = None,
    *,
    mode: str = "active",
    redelivery: bool = False,
    event_id: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": kind,
        "mode": mode,
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": event_id or new_event_id(),
        "deliveryContext": {"isRedelivery": redelivery},
    }
    if reply_token is not None:
        data["replyToken"] = reply_token
    return data | fields


def text(user_id: str, reply_token: str, message: str, **options: Any) -> dict[str, Any]:
    content = {"id": str(secrets.randbelow(10**18)), "type": "text", "text": message, "quoteToken": "q"}
    return event("message", user_id, reply_token, message=content, **options)


def location(user_id: str, reply_token: str, latitude: float, longitude: float, **options: Any) -> dict[str, Any]:
    content = {
        "id": str(secrets.randbelow(10**18)),
        "type": "location",
        "title": "現在地",
        "address": "茨城県常総市",
        "latitude": latitude,
        "longitude": longitude,
    }
    return event("message", user_id, reply_token, message=content, **options)


def sticker(user_id: str, reply_token: str, **options: Any) -> dict[str, Any]:
    content = {
        "id": str(secrets.randbelow(10**18)),
        "type": "sticker",
        "packageId": "446",
        "stickerId": "1988",
        "stickerResourceType": "STATIC",
        "quoteToken": "q",
    }
    return event("message", user_id, reply_token, message=content, **options)


def image(user_id: str, reply_token: str, **options: Any) -> dict[str, Any]:
    content = {
        "id": str(secrets.randbelow(10**18)),
        "type": "image",
        "contentProvider": {"type": "line"},
        "quoteToken": "q",
    }
    return event("message", user_id, reply_token, message=content, **options)


def postback(user_id: str, reply_token: str, data: str, **options: Any) -> dict[str, Any]:
    return event("postback", user_id, reply_token, postback={"data": data}, **options)


def follow(user_id: str, reply_token: str, **options: Any) -> dict[str, Any]:
    return event("follow", user_id, reply_token, follow={"isUnblocked": False}, **options)


def unfollow(user_id: str, **options: Any) -> dict[str, Any]:
    return event("unfollow", user_id, **options)
