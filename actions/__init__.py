"""Custom actions served to Rasa by the rasa-sdk action server (python -m rasa_sdk --actions actions)."""

import settings

# rasa-sdk imports this package first: an invalid variable stops the action server with its name.
settings.exit_on_invalid(*settings.GROUPS)
