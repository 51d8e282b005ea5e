"""Long texts cut to LINE's limit at paragraph, line or sentence ends."""

from __future__ import annotations

from typing import Any

from connectors.line import limits

LineMessage = dict[str, Any]

# Where a long text is best cut, in order of preference (the cut keeps the separator with the first part).
_BREAKS = ("\n\n", "\n", "。", "！", "？", "、", " ")


def split_text(text: str, limit: int = limits.TEXT_LENGTH) -> list[str]:
    """Text in parts of at most `limit` units, cut at paragraph, line or sentence ends where possible."""
    parts: list[str] = []
    rest = text.strip()
    while limits.length(rest) > limit:
        head = _prefix_within(rest, limit)
        cut = max(1, _best_cut(head))
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return [part for part in parts if part]


def _prefix_within(text: str, limit: int) -> str:
    used = 0
    for index, char in enumerate(text):
        used += limits.length(char)
        if used > limit:
            return text[:index]
    return text


def _best_cut(head: str) -> int:
    # Only cut in the second half: a break near the start would make many tiny messages.
    for separator in _BREAKS:
        position = head.rfind(separator)
        if position >= len(head) // 2:
            return position + len(separator)
    return len(head)


def text_messages(text: str) -> list[LineMessage]:
    return [{"type": "text", "text": part} for part in split_text(text)]
