"""action_alert_level: what the five evacuation alert levels mean and what to do, in the resident's language;
personalised for residents who say they are elderly or need help (for them level 3 means: go now)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import payloads
from actions.evacuation import disaster_state, entity, mentions_need_care, resident_language, truthy, typed_text
from actions.evacuation_texts import alert_levels_text, level_text, t
from actions.shelters import NEED_CARE_SLOT

_ASKED_LEVEL = re.compile(r"(?:レベル|level|nível|nivel)(?:\s*de\s*alerta)?\s*([1-5])", re.IGNORECASE)


def asked_level(text: str) -> int | None:
    """The level a message asks about ("レベル4って何？"), if it names one."""
    match = _ASKED_LEVEL.search(unicodedata.normalize("NFKC", text))
    return int(match.group(1)) if match else None


class ActionAlertLevel(Action):
    def name(self) -> str:
        return "action_alert_level"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = resident_language(tracker)
        text = typed_text(tracker)
        events: list[dict[str, Any]] = []
        need_care = bool(tracker.get_slot(NEED_CARE_SLOT))
        if not need_care and (truthy(entity(tracker, "need_care")) or mentions_need_care(text)):
            need_care = True
            events.append(SlotSet(NEED_CARE_SLOT, True))
        disaster = await disaster_state()
        answer = alert_levels_text(language, need_care=need_care, asked=asked_level(text), disaster=disaster)
        buttons = []
        if not need_care:
            buttons.append(payloads.button(level_text("care_button", language), "alert_level", need_care=True))
        buttons.append(payloads.button(t("button_find_shelter", language), "find_shelter"))
        dispatcher.utter_message(text=answer, buttons=buttons)
        return events
