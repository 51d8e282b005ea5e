"""What residents read on LINE besides the conversation (which comes from Rasa): labels, cards, notices.

Every text is in the resident catalogue (knowledge_base.texts, ids `line.*`); these name them for the LINE code.
Quick reply labels: LINE shows at most 20 characters (limits.ACTION_LABEL clips them).
"""

from __future__ import annotations

from knowledge_base.shelters.status import parse_status
from knowledge_base.texts import text


def welcome(language: str = "ja") -> str:
    return text("line.welcome", language)


def unsupported_sticker(language: str = "ja") -> str:
    return text("line.sticker", language)


def unsupported_media(language: str = "ja") -> str:
    return text("line.media", language)


def send_location(language: str = "ja") -> str:
    return text("line.send_location", language)


def menu_nearest_shelter(language: str = "ja") -> str:
    return text("line.menu_nearest_shelter", language)


def menu_alert_level(language: str = "ja") -> str:
    return text("line.menu_alert_level", language)


def menu_alert_level_said(language: str = "ja") -> str:
    """What appears in the chat as the resident's own message when they tap the alert-level quick reply."""
    return text("line.menu_alert_level_said", language)


def more_choices(language: str = "ja") -> str:
    """The title of the choices when they do not all fit in the quick reply."""
    return text("line.more_choices", language)


def shelter_status(status: str, language: str = "ja") -> str:
    """A site's status word (未開設 / 開設 / 満員 in the contract, or its code) in the resident's language."""
    parsed = parse_status(status)
    return parsed.label(language) if parsed is not None else status


def distance_label(metres: float, language: str = "ja") -> str:
    distance = f"{max(10, round(metres / 10) * 10)}m" if metres < 1000 else f"{metres / 1000:.1f}km"
    return text("line.distance", language, distance=distance)


def alert_heading(level: object, language: str = "ja") -> str:
    return text("alert.heading_level", language, level=level) if level else text("alert.heading_notice", language)
