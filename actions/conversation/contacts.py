"""Whom a resident should call: the department of the FAQ entry last answered, or the city's main number.

The department and its phone come from the FAQ index the action server is serving right now (actions/knowledge:
it swaps in a new index when staff edit the FAQ files), so the hand-off names the same entry, with the same
phone, as the answer the resident just read; the opening hours come from office_hours.yml (one place for them).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from actions import knowledge
from knowledge_base.catalog.model import CITY_MAIN_PHONE

logger = logging.getLogger(__name__)

# How long a hand-off waits for the first index of a just-started action server (then: the main number).
FIRST_INDEX_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class Contact:
    # None means the city office as a whole (main number).
    department: str | None
    phone: str


CITY_MAIN = Contact(department=None, phone=CITY_MAIN_PHONE)


def contact_for(faq_id: str | None) -> Contact:
    """The department of FAQ entry `faq_id`; the city's main number when there is none or it is unknown."""
    if not faq_id:
        return CITY_MAIN
    retriever = knowledge.service().current(timeout=FIRST_INDEX_WAIT_SECONDS)
    entry = retriever.index.by_id.get(faq_id) if retriever else None
    if entry is None or not entry.department:
        return CITY_MAIN
    return Contact(entry.department, entry.phone or CITY_MAIN_PHONE)
