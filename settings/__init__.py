"""The app's settings: every environment variable, typed, grouped, and named in a clear error when invalid.

    from settings import FaqSettings
    FaqSettings().reload_interval      # read from the environment now (tests change it with monkeypatch)

Each process checks the whole environment at its start (`exit_on_invalid(*GROUPS)`): an invalid variable
stops it with one line per problem, e.g. `GATEWAY_PORT='abc': Input should be a valid integer`.
Only the app venv has pydantic-settings: the engine side (bot/, bot/endpoints.yml) reads its own variables.
"""

from settings.base import ROOT, Group, SettingsError, check, exit_on_invalid
from settings.groups import (
    GROUPS,
    CacheSettings,
    ConversationSettings,
    FaqSettings,
    GatewaySettings,
    LineSettings,
    ShelterSettings,
    StackSettings,
    StateSettings,
    StoreSettings,
)

__all__ = [
    "GROUPS",
    "ROOT",
    "CacheSettings",
    "ConversationSettings",
    "FaqSettings",
    "GatewaySettings",
    "Group",
    "LineSettings",
    "SettingsError",
    "ShelterSettings",
    "StackSettings",
    "StateSettings",
    "StoreSettings",
    "check",
    "exit_on_invalid",
]
