"""Builders for the structured messages channels render (contract: docs/message-contract.md)."""

from __future__ import annotations

import json
from typing import Any

from knowledge_base.catalog import FaqEntry
from knowledge_base.disaster.levels import level
from knowledge_base.disaster.state import DisasterState
from knowledge_base.shelters.finder import ShelterSearch, Suggestion
from knowledge_base.shelters.geo import gsi_map_url, map_url


def button(title: str, intent: str, **entities: Any) -> dict[str, str]:
    """A button whose payload triggers `intent` with the given entities when pressed."""
    payload = f"/{intent}" + (json.dumps(entities, ensure_ascii=False) if entities else "")
    return {"title": title, "payload": payload}


def faq_answer(entry: FaqEntry, text: str, language: str, question: str, answer: str) -> dict[str, Any]:
    return {
        "kind": "faq_answer",
        "text": text,
        "entry_id": entry.id,
        "question": question,
        "answer": answer,
        "department": entry.department,
        "phone": entry.phone,
        "hours": entry.hours,
        "url": entry.url,
        "updated": entry.updated.isoformat(),
        "language": language,
        "translated_from_ja": language != "ja",
    }


def location_request(text: str, buttons: list[dict[str, str]] | None = None, language: str = "ja") -> dict[str, Any]:
    return {"kind": "location_request", "text": text, "buttons": buttons or [], "language": language}


def shelter_site(suggestion: Suggestion, language: str) -> dict[str, Any]:
    place = suggestion.place
    return {
        "id": place.id,
        "name": place.name,
        "address": place.address,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "distance_m": round(suggestion.distance_m),
        "map_url": map_url(place.latitude, place.longitude),
        "gsi_map_url": gsi_map_url(place.latitude, place.longitude),
        # 未開設 / 開設 / 満員, the words staff and the city use; status_label is in the resident's language.
        "status": suggestion.status.official,
        "status_code": suggestion.status.value,
        "status_label": suggestion.status.label(language),
        "welfare": place.welfare,
    }


def shelter_list(search: ShelterSearch, text: str, note: str | None, language: str) -> dict[str, Any]:
    return {
        "kind": "shelter_list",
        "text": text,
        "hazard": search.hazard.value,
        "hazard_label": search.hazard.label(language),
        "demo": search.demo,
        "note": note,
        "sites": [shelter_site(s, language) for s in search.sites],
        # Welfare shelters (福祉避難所) for a resident who needs care; not necessarily designated for the hazard.
        "welfare_sites": [shelter_site(s, language) for s in search.welfare],
        "language": language,
    }


def alert(state: DisasterState, text: str, language: str = "ja") -> dict[str, Any]:
    return {
        "kind": "alert",
        "text": text,
        "level": state.level,
        "level_name": level(state.level).name[language],
        "hazard": state.hazard.value,
        "hazard_label": state.hazard.label(language),
        "language": language,
        "message": state.message,
        "issued_at": state.started_at.isoformat(),
    }
