"""The conversation actions' texts live in the resident catalogue (knowledge_base.texts); these are the names
the actions call them by. Every text exists in every supported language (tests/test_resident_texts.py)."""

from __future__ import annotations

from knowledge_base.texts import LANGUAGES, text


def general_language(language: str) -> str:
    """The language texts are given in: the resident's when supported, else Japanese."""
    return language if language in LANGUAGES else "ja"


def weekday(index: int, language: str) -> str:
    """Short weekday name, Monday = 0."""
    return text(f"weekday.{index}", language)


__all__ = ["general_language", "text", "weekday"]
