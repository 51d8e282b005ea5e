"""Why a staff operation was refused: a code, a Japanese message for staff, an English one for logs and clients.

Each front end maps the kind to its own terms (the admin API to an HTTP status, the command line to an exit
code); the wording is the operation's, the same everywhere.
"""

from __future__ import annotations

from typing import Any


class OperationError(Exception):
    """Refused before anything changed, unless the subclass says otherwise."""

    def __init__(self, code: str, message_ja: str, message_en: str, **details: Any) -> None:
        super().__init__(message_ja)
        self.code = code
        self.message_ja = message_ja
        self.message_en = message_en
        self.details = details


class InvalidRequest(OperationError):
    """What staff gave cannot be done as given (a bad status, hazard, level, message)."""


class NotFound(OperationError):
    """No such place in the shelter data."""


class Ambiguous(OperationError):
    """Several places match; details["candidates"] lists them."""


class Conflict(OperationError):
    """Someone else changed the same thing at the same moment; trying again is safe."""


class BroadcastUnavailable(OperationError):
    """A broadcast was asked for but no channel can send now."""


class StoreUnavailable(OperationError):
    """The database cannot be reached."""
