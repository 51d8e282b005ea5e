"""The action server's access to the knowledge base, loaded once per process."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from knowledge_base import FAQ_DIR
from knowledge_base.catalog import load_directory
from knowledge_base.retrieval import LexicalRetriever, Retriever

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_retriever: Retriever | None = None


def faq_directory() -> Path:
    return Path(os.environ.get("FAQ_DIR") or FAQ_DIR)


def retriever() -> Retriever:
    global _retriever
    with _lock:
        if _retriever is None:
            loaded = load_directory(faq_directory())
            for problem in loaded.problems:
                logger.warning("FAQ: %s", problem)
            _retriever = LexicalRetriever(loaded.entries)
            logger.info("FAQ: %d entries loaded from %s", len(loaded.entries), faq_directory())
        return _retriever
