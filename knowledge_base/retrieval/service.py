"""The FAQ index a running server answers from, swapped without a restart when the FAQ files change.

A background thread polls a fingerprint of the FAQ files (and of the retrieval settings). On a change it
validates the files; with errors it logs every problem and keeps serving the index it has (or, at start,
the last good index on disk); otherwise it loads the index staff built with `python -m knowledge_base
build`, or builds it itself, and swaps it in. A request holds the retriever it started with, so a swap
never changes an answer half-way; the old index is freed when the last such request ends.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.catalog.loader import directory_fingerprint
from knowledge_base.catalog.validator import validate_directory
from knowledge_base.retrieval.encoder import load_encoder
from knowledge_base.retrieval.hybrid import HybridRetriever
from knowledge_base.retrieval.settings import RetrievalSettings, SettingsError, config_path, load_settings
from knowledge_base.retrieval.store import build_and_store, environment_key, index_key, latest_good, open_index

logger = logging.getLogger(__name__)

# After an unexpected failure (not a YAML error) the same content is tried again after this long.
RETRY_AFTER_SECONDS = 60.0


@dataclass(frozen=True)
class Served:
    retriever: HybridRetriever
    directory: Path
    state: str  # fingerprint of the FAQ files and settings this index answers for ("" for a fallback)


def _state(faq_dir: Path) -> str:
    settings_file = config_path()
    settings_bytes = settings_file.read_bytes() if settings_file.is_file() else b""
    return directory_fingerprint(faq_dir) + ":" + hashlib.sha256(settings_bytes).hexdigest()[:16]


class FaqService:
    def __init__(self, faq_dir: Path, poll_interval: float = 5.0) -> None:
        self.faq_dir = Path(faq_dir)
        self.poll_interval = poll_interval
        self._served: Served | None = None
        self._seen: str | None = None  # state last acted on (served, or rejected for errors)
        self._failed_state: str | None = None
        self._failed_at = 0.0
        self._refresh_lock = threading.Lock()
        self._first_attempt = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ---- what requests use
    def current(self, timeout: float | None = None) -> HybridRetriever | None:
        """The retriever in service; waits up to `timeout` seconds for the first load."""
        if self._served is None and timeout:
            self._first_attempt.wait(timeout)
        served = self._served
        return served.retriever if served else None

    @property
    def served(self) -> Served | None:
        return self._served

    # ---- lifecycle
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="faq-index", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.refresh()
            except Exception:  # the poller must survive anything; the reason is logged
                logger.exception("FAQ: reloading failed; still serving the previous index")
            finally:
                self._first_attempt.set()
            if self.poll_interval <= 0:
                return
            self._stop.wait(self.poll_interval)

    # ---- one check
    def refresh(self) -> bool:
        """Check the FAQ files once; True when a new index went into service."""
        with self._refresh_lock:
            state = _state(self.faq_dir)
            if state == self._seen:
                return False
            recently_failed = time.monotonic() - self._failed_at < RETRY_AFTER_SECONDS
            if state == self._failed_state and recently_failed:
                return False
            try:
                return self._load(state)
            except Exception:
                self._failed_state, self._failed_at = state, time.monotonic()
                raise

    def _load(self, state: str) -> bool:
        try:
            settings = load_settings()
        except SettingsError as exc:
            logger.error("FAQ: %s; still serving the previous index", exc)
            self._seen = state
            self._fallback(None)
            return False
        result = validate_directory(self.faq_dir)
        if result.errors:
            for problem in result.errors:
                logger.error("FAQ: %s", problem)
            logger.error(
                "FAQ: %d error(s) in %s: not reloading; still serving the previous index (fix and save again)",
                len(result.errors),
                self.faq_dir,
            )
            self._seen = state
            self._fallback(settings)
            return False
        key = index_key(result.fingerprint, settings)
        started = time.monotonic()
        directory, built = build_and_store(result.entries, key, settings)
        retriever = HybridRetriever(open_index(directory, settings), load_encoder(), settings)
        previous = self._served
        self._served = Served(retriever, directory, state)
        self._seen = state
        logger.info(
            "FAQ: serving %d entries from %s (%s in %.1f s)%s",
            len(retriever.index.entries),
            directory,
            "built" if built else "loaded",
            time.monotonic() - started,
            "" if previous is None else f"; replaced {previous.directory.name}",
        )
        return True

    def _fallback(self, settings: RetrievalSettings | None) -> None:
        """At start with broken YAML: serve the newest good index on disk rather than nothing."""
        if self._served is not None or settings is None:
            return
        directory = latest_good(environment_key(settings))
        if directory is None:
            logger.error("FAQ: no earlier index to fall back on: questions get the 'cannot answer' reply")
            return
        retriever = HybridRetriever(open_index(directory, settings), load_encoder(), settings)
        self._served = Served(retriever, directory, "")
        logger.warning("FAQ: serving the last good index %s (%d entries)", directory, len(retriever.index.entries))
