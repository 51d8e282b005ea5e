"""Gateway messages residents may read (from the resident catalogue, knowledge_base.texts)."""

from knowledge_base.texts import text


def engine_unavailable(language: str = "ja") -> str:
    """The apology when Rasa or the action server cannot answer: the city's number, 119 and 110."""
    return text("gateway.engine_unavailable", language)


# The Japanese apology (the language of the city's own pages), for callers that name it.
ENGINE_UNAVAILABLE = engine_unavailable()
