"""LINE Messaging API limits the gateway renders to (https://developers.line.biz/en/reference/messaging-api/)."""

from __future__ import annotations

MESSAGES_PER_CALL = 5  # reply, push and multicast alike
TEXT_LENGTH = 5000
QUICK_REPLY_ITEMS = 13
ACTION_LABEL = 20  # quick reply item labels
FLEX_BUTTON_LABEL = 40
POSTBACK_DATA = 300
DISPLAY_TEXT = 300
ALT_TEXT = 1500
CAROUSEL_BUBBLES = 12
URI_LENGTH = 1000
LOCATION_TITLE = 100
MULTICAST_RECIPIENTS = 500


def length(text: str) -> int:
    """Length as LINE counts it; UTF-16 code units, so an emoji may count twice (the safe reading)."""
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int, ellipsis: str = "…") -> str:
    """`text` cut to at most `limit` units, marked with an ellipsis when cut."""
    if length(text) <= limit:
        return text
    budget = limit - length(ellipsis)
    kept = []
    for char in text:
        budget -= length(char)
        if budget < 0:
            break
        kept.append(char)
    return "".join(kept) + ellipsis
