"""Whom a resident should call: the department of the FAQ entry last answered, or the city's main number.

The department and its phone come from the FAQ files staff keep (knowledge_base/faq/*.yml), read once per
process; the opening hours come from office_hours.yml (one place for them).
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from knowledge_base import FAQ_DIR
from knowledge_base.catalog import load_directory
from knowledge_base.catalog.model import CITY_MAIN_PHONE

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Contact:
    # None means the city office as a whole (main number).
    department: str | None
    phone: str


CITY_MAIN = Contact(department=None, phone=CITY_MAIN_PHONE)

_lock = threading.Lock()
# FAQ directory -> entry id -> contact; the files are read once per process (the action server restarts when
# staff publish new FAQ files).
_by_directory: dict[Path, dict[str, Contact]] = {}


def _faq_directory() -> Path:
    return Path(os.environ.get("FAQ_DIR") or FAQ_DIR)


def _contacts_by_entry() -> dict[str, Contact]:
    directory = _faq_directory()
    with _lock:
        if directory not in _by_directory:
            loaded = load_directory(directory)
            _by_directory[directory] = {
                entry.id: Contact(entry.department, entry.phone or CITY_MAIN_PHONE)
                for entry in loaded.entries
                if entry.department
            }
            logger.info("contacts: %d FAQ entries with a department in %s", len(_by_directory[directory]), directory)
        return _by_directory[directory]


def contact_for(faq_id: str | None) -> Contact:
    """The department of FAQ entry `faq_id`; the city's main number when there is none or it is unknown."""
    if not faq_id:
        return CITY_MAIN
    return _contacts_by_entry().get(faq_id, CITY_MAIN)
