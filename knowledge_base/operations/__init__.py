"""Staff operations: shelter opening status, disaster mode and its broadcast, in one place.

The command line (python -m knowledge_base.shelters / .disaster) and the admin API (connectors/admin.py) call
these functions, and so will the staff console: each checks its input, refuses with an OperationError whose
Japanese message staff can act on, and records who acted. The broadcaster is always passed in.
"""

from knowledge_base.operations import disaster, shelters
from knowledge_base.operations.errors import (
    Ambiguous,
    BroadcastUnavailable,
    Conflict,
    InvalidRequest,
    NotFound,
    OperationError,
    StoreUnavailable,
)

__all__ = [
    "Ambiguous",
    "BroadcastUnavailable",
    "Conflict",
    "InvalidRequest",
    "NotFound",
    "OperationError",
    "StoreUnavailable",
    "disaster",
    "shelters",
]
