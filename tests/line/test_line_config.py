"""LINE configuration from the environment: clear errors, secrets kept out of reprs and error messages."""

from __future__ import annotations

import pytest

from connectors.line.config import REAL_LINE_API, LineConfig
from settings import SettingsError


def test_configuration_errors_name_the_variable_and_never_echo_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINE_SEND_ATTEMPTS", "many")
    with pytest.raises(SettingsError, match="LINE_SEND_ATTEMPTS='many'"):
        LineConfig()
    monkeypatch.setenv("LINE_SEND_ATTEMPTS", "2")
    monkeypatch.setenv("LINE_LOADING_SECONDS", "7")
    with pytest.raises(SettingsError, match=r"LINE_LOADING_SECONDS='7': .*multiple of 5"):
        LineConfig()


def test_what_is_missing_is_named_and_secrets_stay_out_of_the_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LINE_CHANNEL_ACCESS_TOKEN", "LINE_API_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    assert LineConfig().api_base_url == REAL_LINE_API == "https://api.line.me"
    monkeypatch.setenv("LINE_CHANNEL_SECRET", "very-secret")
    monkeypatch.setenv("LINE_API_BASE_URL", "http://127.0.0.1:9/")
    config = LineConfig()
    assert config.missing == ["LINE_CHANNEL_ACCESS_TOKEN"] and not config.configured
    assert config.api_base_url == "http://127.0.0.1:9"
    assert "very-secret" not in repr(config)
