"""LINE configuration from the environment: clear errors, secrets kept out of reprs."""

from __future__ import annotations

import pytest

from connectors.line.config import REAL_LINE_API, LineConfig


def test_configuration_errors_name_the_variable() -> None:
    with pytest.raises(ValueError, match="LINE_SEND_ATTEMPTS"):
        LineConfig.from_env({"LINE_SEND_ATTEMPTS": "many"})


def test_what_is_missing_is_named_and_secrets_stay_out_of_the_repr() -> None:
    config = LineConfig.from_env({"LINE_CHANNEL_SECRET": "very-secret", "LINE_API_BASE_URL": "http://127.0.0.1:9/"})
    assert config.missing == ["LINE_CHANNEL_ACCESS_TOKEN"] and not config.configured
    assert config.api_base_url == "http://127.0.0.1:9"
    assert "very-secret" not in repr(config)
    assert LineConfig.from_env({}).api_base_url == REAL_LINE_API
