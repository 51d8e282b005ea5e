"""LINE channel configuration, read once from the environment when the gateway starts."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from connectors.settings import REPO_ROOT
from knowledge_base.storage import DEFAULT_DATABASE_URL

REAL_LINE_API = "https://api.line.me"


def _number(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name)
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None


@dataclass(frozen=True)
class LineConfig:
    channel_secret: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)
    api_base_url: str = REAL_LINE_API
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_prefix: str = "joso"
    database_url: str = DEFAULT_DATABASE_URL
    state_dir: Path = REPO_ROOT / "var"
    # Key of the AES-GCM encryption of follower ids (hex or base64, 32 bytes); generated when unset.
    follower_key: str | None = field(default=None, repr=False)
    # How long a handled webhookEventId is remembered (LINE redelivers within hours, not days).
    event_ttl_seconds: int = 3 * 24 * 3600
    # Events handled at once; the rest wait (in order per chat). Rasa serves a few at a time anyway.
    max_concurrent_events: int = 8
    loading_seconds: int = 20
    api_timeout: float = 10.0
    # Pushes and multicasts: attempts on a transient failure (same X-Line-Retry-Key each time).
    send_attempts: int = 4
    retry_backoff: float = 1.0
    # On shutdown, events in progress get this long to finish before they are cancelled.
    drain_seconds: float = 20.0

    @property
    def missing(self) -> list[str]:
        """Environment variables that must still be set before the webhook can work."""
        needed = {"LINE_CHANNEL_SECRET": self.channel_secret, "LINE_CHANNEL_ACCESS_TOKEN": self.access_token}
        return [name for name, value in needed.items() if not value]

    @property
    def configured(self) -> bool:
        return not self.missing

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, state_dir: Path | None = None) -> LineConfig:
        env = os.environ if environ is None else environ
        return cls(
            channel_secret=env.get("LINE_CHANNEL_SECRET") or None,
            access_token=env.get("LINE_CHANNEL_ACCESS_TOKEN") or None,
            api_base_url=(env.get("LINE_API_BASE_URL") or REAL_LINE_API).rstrip("/"),
            redis_url=env.get("REDIS_URL") or cls.redis_url,
            redis_prefix=env.get("REDIS_KEY_PREFIX") or cls.redis_prefix,
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            state_dir=state_dir or Path(env.get("JOSO_STATE_DIR") or cls.state_dir),
            follower_key=env.get("LINE_FOLLOWER_KEY") or None,
            event_ttl_seconds=int(_number(env, "LINE_EVENT_TTL_SECONDS", cls.event_ttl_seconds)),
            max_concurrent_events=int(_number(env, "LINE_MAX_CONCURRENT_EVENTS", cls.max_concurrent_events)),
            loading_seconds=int(_number(env, "LINE_LOADING_SECONDS", cls.loading_seconds)),
            api_timeout=_number(env, "LINE_API_TIMEOUT", cls.api_timeout),
            send_attempts=int(_number(env, "LINE_SEND_ATTEMPTS", cls.send_attempts)),
            retry_backoff=_number(env, "LINE_RETRY_BACKOFF", cls.retry_backoff),
            drain_seconds=_number(env, "LINE_DRAIN_SECONDS", cls.drain_seconds),
        )
