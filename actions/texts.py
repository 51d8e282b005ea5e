"""What the resident reads from the FAQ actions, from the resident catalogue (knowledge_base.texts).

The FAQ answers themselves are written by staff, in the YAML; where an entry has no translation in the
resident's language it is shown in the first language of the fallback chain it has, with a one-line notice.
"""

from __future__ import annotations

from knowledge_base.catalog import FaqEntry
from knowledge_base.retrieval.departments import Department
from knowledge_base.texts import other_language_notice, text

# Languages whose punctuation is full-width (no space after a colon or between sentences).
_FULL_WIDTH = ("ja", "zh")


def _date(entry: FaqEntry, language: str) -> str:
    day = entry.updated
    if language in _FULL_WIDTH:
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def answer_card_text(entry: FaqEntry, language: str = "ja", answer: str | None = None) -> str:
    """The plain-text form of an answer card (every channel can show it); `language` of the answer text."""
    colon = "：" if language in _FULL_WIDTH else ": "
    lines = [
        answer or entry.answer,
        "",
        f"{text('card.department', language)}{colon}{entry.department}",
        f"{text('card.phone', language)}{colon}{entry.phone}",
        f"{text('card.hours', language)}{colon}{entry.hours}",
    ]
    if entry.url:
        lines.append(f"{text('card.more', language)}{colon}{entry.url}")
    updated = text("card.updated", language)
    lines.append(
        f"（{_date(entry, language)} {updated}）"
        if language in _FULL_WIDTH
        else f"({updated}: {_date(entry, language)})"
    )
    return "\n".join(lines)


def japanese_only_notice(language: str) -> str | None:
    """One line in the resident's language saying the answer below is in Japanese (None for Japanese)."""
    return other_language_notice(language, "ja")


def follow_up_text(language: str, has_related: bool) -> str:
    follow_up = text("faq.follow_up", language)
    if has_related:
        follow_up = text("faq.follow_up_related", language) + ("" if language in _FULL_WIDTH else " ") + follow_up
    return follow_up


def feedback_titles(language: str) -> tuple[str, str]:
    return text("faq.helpful", language), text("faq.not_helpful", language)


def did_you_mean_text(language: str, emergency: bool = False, department: Department | None = None) -> str:
    """The "did you mean" line; when the topic's department is clear, also whom to ask if no button fits."""
    body = text("faq.did_you_mean", language)
    if department is not None:
        route = text("faq.not_listed_route", language, department=department.name, phone=department.phone)
        body = f"{body}\n{route}"
    return _with_emergency(body, language, emergency)


def no_answer_text(language: str = "ja", emergency: bool = False, department: Department | None = None) -> str:
    """The no-answer reply: the department that handles the topic when it is clear (its name and hours are
    staff's words, shown as written), else the city's main number."""
    if department is None:
        body = text("faq.no_answer", language)
    else:
        body = text(
            "faq.department_route",
            language,
            department=department.name,
            phone=department.phone,
            hours=department.hours,
        )
    return _with_emergency(body, language, emergency)


def entry_gone_text(language: str) -> str:
    return text("faq.entry_gone", language)


# ---- emergencies: a chatbot is not an emergency line


def emergency_line(language: str) -> str:
    """The one-line 119/110 hint, for a message the engine finds possibly an emergency."""
    return text("emergency.call_now_line", language)


def _with_emergency(body: str, language: str, emergency: bool) -> str:
    return f"{emergency_line(language)}\n{body}" if emergency else body
