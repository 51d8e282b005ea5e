"""The gateway: translates each channel (LINE, web widget) to and from the Rasa conversation."""
