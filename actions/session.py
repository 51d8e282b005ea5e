"""action_session_start: Rasa's default session start, led by the alert while disaster mode is on.

Rasa runs it before the first message of every conversation (and after a session expired); the messages it
sends reach the resident ahead of the reply to that first message, through the REST channel like any other.
Otherwise it does what Rasa's default does: start the session, carry slots over only if the domain says so
(it does not), and listen.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import payloads
from actions.conversation.tracker_facts import resident_language
from actions.evacuation import disaster_state
from knowledge_base.disaster.announcement import alert_text, find_shelter_title
from knowledge_base.texts import text

logger = logging.getLogger(__name__)

# Slots Rasa fills itself; never carried over by hand.
_RASA_SLOTS = {"session_started_metadata"}


def _carried_over_slots(tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
    if not (domain.get("session_config") or {}).get("carry_over_slots_to_new_session"):
        return []
    return [
        SlotSet(name, value)
        for name, value in tracker.current_slot_values().items()
        if value is not None and name not in _RASA_SLOTS
    ]


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        state = await disaster_state()
        if state is not None:
            # A new resident has not written a word yet: "ja" then, and the alert carries every language.
            language = resident_language(tracker)
            known = language if language != "ja" else None
            dispatcher.utter_message(json_message=payloads.alert(state, alert_text(state, known), language))
            title = find_shelter_title(language)
            prompt = text("alert.find_shelter_prompt", language)
            dispatcher.utter_message(text=prompt, buttons=[payloads.button(title, "find_shelter")])
        return [SessionStarted(), *_carried_over_slots(tracker, domain), ActionExecuted("action_listen")]
