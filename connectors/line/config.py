"""LINE channel configuration: the LINE settings group, with the stores and the local state it also needs."""

from __future__ import annotations

from settings import LineSettings, StateSettings, StoreSettings

REAL_LINE_API = LineSettings.model_fields["api_base_url"].default


class LineConfig(LineSettings, StoreSettings, StateSettings):
    """Read from the environment when constructed (settings/groups.py has every variable and default)."""

    @property
    def missing(self) -> list[str]:
        """Environment variables that must still be set before the webhook can work."""
        needed = {"LINE_CHANNEL_SECRET": self.channel_secret, "LINE_CHANNEL_ACCESS_TOKEN": self.access_token}
        return [name for name, value in needed.items() if not value]

    @property
    def configured(self) -> bool:
        return not self.missing
