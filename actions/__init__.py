"""Custom actions served to Rasa by the rasa-sdk action server (python -m rasa_sdk --actions actions)."""
