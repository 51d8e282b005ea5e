"""The action server's FAQ index: one FaqService per process, reloaded when the FAQ files change.

FAQ_DIR: the FAQ YAML directory (default knowledge_base/faq). FAQ_RELOAD_INTERVAL: seconds between checks
of the files (default 5; 0 checks once at start). FAQ_PRELOAD=1 (set by scripts/stack.py) starts loading
when the action server's worker imports the actions, so the first resident does not wait for the model.
Without it the index loads on the first question.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from knowledge_base.retrieval.service import FaqService
from settings import FaqSettings

_lock = threading.Lock()
_service: FaqService | None = None


def faq_directory() -> Path:
    return FaqSettings().directory


def service() -> FaqService:
    global _service
    with _lock:
        if _service is None:
            _service = FaqService(faq_directory(), FaqSettings().reload_interval)
            _service.start()
        return _service


# rasa-sdk imports the actions twice: in Sanic's main process, which only supervises, and in the worker
# that serves requests (Sanic names it in SANIC_WORKER_NAME). Only the worker needs the index.
# rasa-sdk configures logging in the supervising process only: give the worker the same kind of lines, so
# that index swaps and YAML errors reach the log.
if os.environ.get("SANIC_WORKER_NAME") and not logging.getLogger().handlers:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s  - %(message)s")
if FaqSettings().preload and os.environ.get("SANIC_WORKER_NAME"):
    service()
