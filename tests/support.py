"""Helpers the tests share: free ports, and the real stack (Rasa, action server, gateway) on them."""

from __future__ import annotations

import contextlib
import secrets
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

from knowledge_base.storage import drop_database
from scripts.stack import LogSink, Stack, StackConfig, train_model

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_database_url() -> str:
    """A database of its own for one test session (created by ensure_database, dropped by drop_database)."""
    return f"postgresql://postgres@127.0.0.1:5432/joso_test_{secrets.token_hex(4)}"


test_database_url.__test__ = False  # a helper, not a test, despite its name


def isolated_config(tmp_dir: Path, **extra_env: str) -> StackConfig:
    """A stack configuration that shares nothing with `make run` or another test session."""
    return StackConfig(
        database_url=test_database_url(),
        gateway_port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        redis_prefix="test" + secrets.token_hex(6),
        state_dir=tmp_dir / "state",
        extra_env=dict(extra_env),
    )


@contextlib.contextmanager
def running_stack(config: StackConfig, log_name: str) -> Iterator[Stack]:
    ARTIFACTS.mkdir(exist_ok=True)
    sink = LogSink(sys.stderr, ARTIFACTS / f"{log_name}.log")
    stack = Stack(config, train_model(), sink)
    stack.start()
    try:
        if not stack.wait_healthy(timeout=600):
            raise RuntimeError(f"the stack did not become healthy; see {ARTIFACTS / log_name}.log")
        yield stack
    finally:
        stack.stop()
        sink.close()
        _forget_conversations(config.redis_prefix)
        drop_database(config.database_url)


def _forget_conversations(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
