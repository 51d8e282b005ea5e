"""Builders for the structured messages channels render (contract: docs/message-contract.md)."""

from __future__ import annotations

import json
from typing import Any

from knowledge_base.catalog import FaqEntry


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


def location_request(text: str, buttons: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"kind": "location_request", "text": text, "buttons": buttons or []}
