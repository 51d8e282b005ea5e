"""action_find_shelter: the nearest places designated for the hazard at hand (find_shelter, share_location,
choose_hazard).

It gathers what it needs over one or more turns and asks for what is missing, location first:
- where: a shared location (LINE location message or the widget's geolocation, both arrive as
  /share_location{"latitude": .., "longitude": ..}), or a town name typed in the message (町名, positioned from
  the official data), or the location shared earlier in the conversation if it is at most LOCATION_MAX_AGE_S old;
- which hazard: a button (/choose_hazard{"hazard": ..}), a hazard named in the message, the one chosen earlier,
  or, in disaster mode, the disaster's hazard;
- need care: a button (/find_shelter{"need_care": true}), words in the message, or said earlier.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import payloads
from actions.evacuation import (
    disaster_state,
    entity,
    mentions_need_care,
    resident_language,
    shelter_registry,
    statuses_and_disaster,
    truthy,
    turn_time,
    typed_text,
)
from actions.evacuation_texts import HAZARD_MAP_PORTAL, area_name, shelter_list_text, shelter_notes, t
from knowledge_base.shelters.finder import candidates, rank
from knowledge_base.shelters.hazards import Hazard, hazard_mentioned, parse_hazard
from knowledge_base.shelters.registry import Registry, Whereabouts
from settings import ShelterSettings

logger = logging.getLogger(__name__)

# A location older than this is never reused: people move, and 15 minutes on foot is about a kilometre,
# the spacing of shelters in town. Sharing again is one tap.
LOCATION_MAX_AGE_S = ShelterSettings().location_max_age_minutes * 60

LOCATION_SLOT = "shelter_location"
HAZARD_SLOT = "hazard"
NEED_CARE_SLOT = "need_care"


def _coordinate(value: Any, limit: float) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and -limit <= number <= limit else None


def stored_location(tracker: Tracker, now: float) -> tuple[dict[str, Any] | None, bool]:
    """(location, stale): the location kept from an earlier turn if it is fresh enough."""
    value = tracker.get_slot(LOCATION_SLOT)
    if not isinstance(value, dict):
        return None, False
    try:
        age = now - float(value["at"])
        latitude, longitude = float(value["latitude"]), float(value["longitude"])
    except (KeyError, TypeError, ValueError):
        return None, False
    if not 0 <= age <= LOCATION_MAX_AGE_S:
        return None, True
    return value | {"latitude": latitude, "longitude": longitude}, False


class ActionFindShelter(Action):
    def name(self) -> str:
        return "action_find_shelter"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = resident_language(tracker)
        registry = await shelter_registry()
        if not registry.usable:
            dispatcher.utter_message(text=t("data_unavailable", language))
            return []
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        text = typed_text(tracker)
        now = turn_time(tracker)
        events: list[dict[str, Any]] = []

        need_care = bool(tracker.get_slot(NEED_CARE_SLOT))
        if not need_care and (truthy(entity(tracker, "need_care")) or mentions_need_care(text)):
            need_care = True
            events.append(SlotSet(NEED_CARE_SLOT, True))

        # Which hazard. choose_hazard with no value is the "another hazard" button: ask again.
        hazard_given = entity(tracker, "hazard")
        hazard: Hazard | None = parse_hazard(hazard_given) or (hazard_mentioned(text) if text else None)
        unknown_hazard = hazard_given is not None and hazard is None
        choosing = intent == "choose_hazard" and hazard is None
        if hazard is not None:
            events.append(SlotSet(HAZARD_SLOT, hazard.value))
        elif choosing or unknown_hazard:
            events.append(SlotSet(HAZARD_SLOT, None))  # the earlier choice no longer holds
        else:
            hazard = parse_hazard(tracker.get_slot(HAZARD_SLOT))

        # Where.
        location, stale, town = None, False, None
        if intent == "share_location":
            latitude = _coordinate(entity(tracker, "latitude"), 90)
            longitude = _coordinate(entity(tracker, "longitude"), 180)
            if latitude is None or longitude is None:
                self._ask_location(dispatcher, registry, language, prefix=t("bad_location", language))
                return events
            location = {"latitude": latitude, "longitude": longitude, "at": now, "source": "location"}
            events.append(SlotSet(LOCATION_SLOT, location))
        elif text and (found_town := registry.towns.find(text)) is not None:
            town = found_town.name
            location = {"latitude": found_town.latitude, "longitude": found_town.longitude, "at": now}
            location |= {"source": "town", "town": town}
            events.append(SlotSet(LOCATION_SLOT, location))
        else:
            location, stale = stored_location(tracker, now)
            if stale:
                events.append(SlotSet(LOCATION_SLOT, None))
            elif location is not None and location.get("source") == "town":
                town = location.get("town")

        if location is None:
            self._ask_location(dispatcher, registry, language, prefix=t("stale_location", language) if stale else "")
            return events

        if hazard is None and not choosing and not unknown_hazard:
            # In disaster mode the disaster's hazard is the default.
            disaster = await disaster_state()
            hazard = disaster.hazard if disaster is not None else None
        if hazard is None:
            self._ask_hazard(dispatcher, registry, language, unknown=unknown_hazard)
            return events

        found = candidates(registry, location["latitude"], location["longitude"], hazard, need_care=need_care)
        if found.whereabouts is Whereabouts.OUTSIDE_JAPAN:
            events.append(SlotSet(LOCATION_SLOT, None))
            self._ask_location(dispatcher, registry, language, prefix=t("outside_japan", language), example=False)
            return events
        if found.whereabouts is Whereabouts.NO_DATA_NEARBY:
            area = area_name(registry.municipalities(), language)
            dispatcher.utter_message(text=t("no_data_nearby", language, area=area, portal=HAZARD_MAP_PORTAL))
            return events

        statuses, disaster = await statuses_and_disaster(found.place_ids())
        search = rank(found, statuses or {}, disaster_mode=disaster is not None, demo=registry.demo)
        notes = shelter_notes(
            search, language, town=town, statuses_known=statuses is not None, disaster=disaster, need_care=need_care
        )
        text_out = shelter_list_text(search, language, notes)
        note = "\n".join(([t("demo", language)] if search.demo else []) + notes) or None
        dispatcher.utter_message(json_message=payloads.shelter_list(search, text_out, note, language))
        buttons = []
        if not need_care and any(p.welfare for p in registry.places):
            buttons.append(payloads.button(t("button_care", language), "find_shelter", need_care=True))
        if len(registry.hazards_available()) > 1:
            buttons.append(payloads.button(t("button_other_hazard", language), "choose_hazard"))
        if buttons:
            dispatcher.utter_message(text=t("more", language), buttons=buttons)
        return events

    def _ask_location(
        self,
        dispatcher: CollectingDispatcher,
        registry: Registry,
        language: str,
        prefix: str = "",
        example: bool = True,
    ) -> None:
        towns = sorted(registry.towns.towns, key=lambda town: -town.places)
        if example and towns:
            question = t("ask_location", language, example=towns[0].name)
        else:
            question = t("ask_location_no_town", language)
        text = f"{prefix}\n{question}" if prefix else question
        dispatcher.utter_message(json_message=payloads.location_request(text, language=language))

    def _ask_hazard(self, dispatcher: CollectingDispatcher, registry: Registry, language: str, unknown: bool) -> None:
        question = t("ask_hazard", language)
        if unknown:
            question = f"{t('unknown_hazard', language)}\n{question}"
        buttons = [
            payloads.button(hazard.label(language), "choose_hazard", hazard=hazard.value)
            for hazard in registry.hazards_available()
        ]
        dispatcher.utter_message(text=question, buttons=buttons)
