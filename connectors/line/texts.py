"""What residents read on LINE besides the conversation (which comes from Rasa): labels, cards, notices.

Every text is in the resident catalogue (knowledge_base.texts, ids `line.*`: the welcome, the sticker and media
notices, quick reply labels, card labels); these put together the ones that take a value.
Quick reply labels: LINE shows at most 20 characters (limits.ACTION_LABEL clips them).
"""

from __future__ import annotations

from knowledge_base.shelters.status import parse_status
from knowledge_base.texts import LANGUAGES, text


def welcome() -> str:
    """The welcome to a new friend: Japanese (nothing shows their language yet), then one line in each other
    language saying that they can write in it."""
    others = [text("line.write_in_your_language", language) for language in LANGUAGES if language != "ja"]
    return "\n\n".join([text("line.welcome", "ja"), "\n".join(others)])


def shelter_status(status: str, language: str = "ja") -> str:
    """A site's status word (未開設 / 開設 / 満員 in the contract, or its code) in the resident's language."""
    parsed = parse_status(status)
    return parsed.label(language) if parsed is not None else status


def distance_label(metres: float, language: str = "ja") -> str:
    distance = f"{max(10, round(metres / 10) * 10)}m" if metres < 1000 else f"{metres / 1000:.1f}km"
    return text("line.distance", language, distance=distance)


def alert_heading(level: object, language: str = "ja") -> str:
    return text("alert.heading_level", language, level=level) if level else text("alert.heading_notice", language)
