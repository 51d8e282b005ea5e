"""What a resident reads when they ask for a person: whom to call, the hours, and whether the office is open now."""

from __future__ import annotations

import datetime as dt

from actions.conversation.contacts import contact_for
from actions.conversation.office_hours import OfficeHours
from actions.conversation.texts import general_language, text, weekday


def handoff_message(faq_id: str | None, language: str, now: dt.datetime, hours: OfficeHours) -> str:
    """Whom to call (the department of the last answer, else the city), its hours, and whether it is open now."""
    lang = general_language(language)
    contact = contact_for(faq_id)
    department_hours = hours.hours_of(contact.department)
    opens, closes = department_hours.label()
    if hours.is_open(now, contact.department):
        status = text("handoff.open_now", lang)
    else:
        status = text(
            "handoff.closed_now", lang, next_open=format_moment(hours.next_opening(now, contact.department), lang)
        )
    return text(
        "handoff.call",
        lang,
        department=contact.department or text("handoff.city_main_office", lang),
        phone=contact.phone,
        hours=text("handoff.office_hours", lang, opens=opens, closes=closes),
        status=status,
    )


def format_moment(moment: dt.datetime, language: str) -> str:
    """A short local date and time, e.g. 11月30日（月）8:30 or Mon 11/30, 8:30."""
    return text(
        "handoff.moment",
        language,
        month=moment.month,
        day=moment.day,
        weekday=weekday(moment.weekday(), language),
        clock=f"{moment.hour}:{moment.minute:02d}",
    )
