from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge_base.storage import drop_database, ensure_database
from scripts.stack import Stack
from tests.support import isolated_config, running_stack, test_database_url


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Real Rasa + action server + gateway, shared by the end-to-end tests of one session."""
    tmp: Path = tmp_path_factory.mktemp("stack")
    with running_stack(isolated_config(tmp), "stack") as running:
        yield running


@pytest.fixture
def database_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty PostgreSQL database of its own, also exported as DATABASE_URL; dropped afterwards."""
    url = test_database_url()
    ensure_database(url)
    monkeypatch.setenv("DATABASE_URL", url)
    try:
        yield url
    finally:
        drop_database(url)
