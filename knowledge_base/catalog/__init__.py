"""The FAQ catalog: schema, loading and validation of knowledge_base/faq/*.yml."""

from knowledge_base.catalog.loader import LoadResult, Problem, load_directory
from knowledge_base.catalog.model import CITY_MAIN_PHONE, FaqEntry, Translation

__all__ = ["CITY_MAIN_PHONE", "FaqEntry", "LoadResult", "Problem", "Translation", "load_directory"]
