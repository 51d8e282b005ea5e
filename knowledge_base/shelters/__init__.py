"""Shelter registry: the official GSI data (指定緊急避難場所・指定避難所), the nearest safe place per hazard,
and the opening status staff set. Staff commands: python -m knowledge_base.shelters (see README.md here)."""

from knowledge_base.shelters.gsi_csv import FileKind, Problem
from knowledge_base.shelters.hazards import Hazard, hazard_mentioned, parse_hazard
from knowledge_base.shelters.places import Place
from knowledge_base.shelters.registry import Nearby, Registry, Whereabouts, load_registry, registry_from_env
from knowledge_base.shelters.status import Status, parse_status

__all__ = [
    "FileKind",
    "Hazard",
    "Nearby",
    "Place",
    "Problem",
    "Registry",
    "Status",
    "Whereabouts",
    "hazard_mentioned",
    "load_registry",
    "parse_hazard",
    "parse_status",
    "registry_from_env",
]
