"""What the gateway reads: its own settings group and the local state (settings/ defines both)."""

from __future__ import annotations

from settings import ROOT, GatewaySettings, StateSettings

REPO_ROOT = ROOT


class Settings(GatewaySettings, StateSettings):
    """Read from the environment when constructed; tests give fields by name (rasa_url=..., state_dir=...)."""
