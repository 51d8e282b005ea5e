"""Helpers of the FAQ retrieval tests: the fixture FAQ (tests/fixtures/faq, test-only content) and a
retriever over it, built once per test process (the sentence encoder loads once per process anyway)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from knowledge_base.catalog.validator import validate_directory
from knowledge_base.retrieval.encoder import load_encoder
from knowledge_base.retrieval.hybrid import HybridRetriever
from knowledge_base.retrieval.index import build_index
from knowledge_base.retrieval.service import FaqService
from knowledge_base.retrieval.settings import load_settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_FAQ = FIXTURES / "faq"
FIXTURE_DEVSET = FIXTURES / "devset.yml"


@functools.cache
def fixture_retriever() -> HybridRetriever:
    result = validate_directory(FIXTURE_FAQ)
    assert result.errors == [], result.errors
    settings = load_settings()
    model = load_encoder()
    return HybridRetriever(build_index(result.entries, model, settings), model, settings)


def serve_faq(monkeypatch: pytest.MonkeyPatch, directory: Path, cache: Path, poll_interval: float = 0) -> FaqService:
    """The action server's FAQ service over `directory` (index cached under `cache`), loaded before returning."""
    import actions.knowledge

    monkeypatch.setenv("JOSO_CACHE_DIR", str(cache))
    service = FaqService(directory, poll_interval=poll_interval)
    assert service.refresh(), f"no index for {directory}"
    if poll_interval > 0:
        service.start()
    monkeypatch.setattr(actions.knowledge, "_service", service)
    return service
