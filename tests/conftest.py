from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.stack import Stack
from tests.support import isolated_config, running_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Real Rasa + action server + gateway, shared by the end-to-end tests of one session."""
    tmp: Path = tmp_path_factory.mktemp("stack")
    with running_stack(isolated_config(tmp), "stack") as running:
        yield running
