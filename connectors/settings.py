"""Gateway configuration, read once from the environment (defaults suit one machine)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    rasa_url: str = "http://127.0.0.1:5005"
    action_server_url: str = "http://127.0.0.1:5055"
    # Time limits (seconds) for every call the gateway makes to the engine.
    # 4.5 s: a resident whose answer cannot come gets the apology within 5 s (Rasa gives up on the action
    # server after ACTION_TIMEOUT, 4 s, so an action that hangs is cut off first).
    rasa_timeout: float = 4.5
    health_timeout: float = 2.0
    health_interval: float = 2.0
    # failed health probes in a row (timeouts, not refused connections) before a component counts as down
    health_failures: int = 3
    state_dir: Path = REPO_ROOT / "var"
    pseudonym_key: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            host=os.environ.get("GATEWAY_HOST", cls.host),
            port=int(os.environ.get("GATEWAY_PORT", cls.port)),
            rasa_url=os.environ.get("RASA_URL", cls.rasa_url).rstrip("/"),
            action_server_url=os.environ.get("ACTION_SERVER_URL", cls.action_server_url).rstrip("/"),
            rasa_timeout=_float("RASA_TIMEOUT", cls.rasa_timeout),
            health_timeout=_float("HEALTH_TIMEOUT", cls.health_timeout),
            health_interval=_float("HEALTH_INTERVAL", cls.health_interval),
            health_failures=int(os.environ.get("HEALTH_FAILURES") or cls.health_failures),
            state_dir=Path(os.environ.get("JOSO_STATE_DIR") or cls.state_dir),
            pseudonym_key=os.environ.get("PSEUDONYM_KEY") or None,
        )
