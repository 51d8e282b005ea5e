"""The conversation actions Rasa calls (names in bot/domain/conversation.yml, rules in data/rules/conversation.yml).

Each action only gathers facts from the tracker and puts texts together; the logic lives in the modules beside it.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import menus
from actions.conversation.emergency import POSSIBLE, answer_as, emergency_language, emergency_tier, follow_up_events
from actions.conversation.feedback_store import Feedback, record_feedback
from actions.conversation.handoff import handoff_message
from actions.conversation.office_hours import load_office_hours
from actions.conversation.texts import general_language, text
from actions.conversation.tracker_facts import (
    channel,
    latest_entity,
    resident_language,
    user_turns_in_session,
)
from actions.payloads import button
from actions.texts import emergency_line

EventList = list[dict[str, Any]]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ActionGreet(Action):
    """A greeting and the main menu; within a session a returning resident is not welcomed as new."""

    def name(self) -> str:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> EventList:
        lang = general_language(resident_language(tracker))
        key = "greeting.again" if user_turns_in_session(tracker) > 1 else "greeting.new"
        dispatcher.utter_message(text=text(key, lang), buttons=menus.main_menu_buttons(lang))
        return []


class ActionShowMenu(Action):
    """A menu button: main, procedures (手続き) or evacuation and safety (避難・防災)."""

    def name(self) -> str:
        return "action_show_menu"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> EventList:
        prompt, buttons = menus.menu(latest_entity(tracker, "menu") or menus.MAIN, resident_language(tracker))
        dispatcher.utter_message(text=prompt, buttons=buttons)
        return []


class ActionEmergency(Action):
    """119/110 first, in the resident's language: the full guidance when the engine is sure (then the rest of the
    message, where safe), one line when it is only possible (then the message as it would have been answered)."""

    def name(self) -> str:
        return "action_emergency"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> EventList:
        message = tracker.latest_message or {}
        typed = not str(message.get("text") or "").startswith("/")
        lang = emergency_language(message) if typed else resident_language(tracker)
        if typed and emergency_tier(message) == POSSIBLE:
            dispatcher.utter_message(text=emergency_line(lang))
            return follow_up_events(message, answer_as(message))
        follow_up = follow_up_events(message) if typed else []
        # With nothing else to hand on, one way forward besides the phone: where to flee.
        buttons = [] if follow_up else [button(text("menu.find_shelter", general_language(lang)), "find_shelter")]
        dispatcher.utter_message(text=text("emergency.guidance", lang), buttons=buttons)
        return follow_up


class ActionHumanHandoff(Action):
    def name(self) -> str:
        return "action_human_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> EventList:
        faq_id = tracker.get_slot("faq_id")
        dispatcher.utter_message(text=handoff_message(faq_id, resident_language(tracker), _now(), load_office_hours()))
        return []


class _FeedbackAction(Action, ABC):
    """Records one 👍/👎 and thanks the resident (abstract: the action server registers only its subclasses)."""

    rating = ""

    @abstractmethod
    def name(self) -> str: ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> EventList:
        resident = resident_language(tracker)
        # A button may name the entry it rates; otherwise it is the entry last answered.
        entry_id = latest_entity(tracker, "faq_id") or tracker.get_slot("faq_id")
        await record_feedback(Feedback(self.rating, entry_id, channel(tracker), resident))
        self.thank(dispatcher, general_language(resident))
        return []

    @abstractmethod
    def thank(self, dispatcher: CollectingDispatcher, lang: str) -> None: ...


class ActionFeedbackGood(_FeedbackAction):
    rating = "good"

    def name(self) -> str:
        return "action_feedback_good"

    def thank(self, dispatcher: CollectingDispatcher, lang: str) -> None:
        dispatcher.utter_message(text=text("feedback.thanks", lang))


class ActionFeedbackBad(_FeedbackAction):
    """Records 👎, apologises and offers a person (a typed yes/no is read by the rules that follow)."""

    rating = "bad"

    def name(self) -> str:
        return "action_feedback_bad"

    def thank(self, dispatcher: CollectingDispatcher, lang: str) -> None:
        buttons = [menus.staff_button(lang), button(text("menu.no", lang), "deny")]
        dispatcher.utter_message(text=text("feedback.sorry", lang), buttons=buttons)


class ActionOutOfScope(Action):
    """Says what the bot can do, with the menu; never tries an FAQ answer."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> EventList:
        lang = general_language(resident_language(tracker))
        dispatcher.utter_message(text=text("chat.out_of_scope", lang), buttons=menus.main_menu_buttons(lang))
        return []


class ActionBotChallenge(Action):
    def name(self) -> str:
        return "action_bot_challenge"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> EventList:
        lang = general_language(resident_language(tracker))
        dispatcher.utter_message(text=text("chat.bot_challenge", lang), buttons=[menus.staff_button(lang)])
        return []


class _SimpleReply(Action, ABC):
    """Says one text; with the main menu when `with_menu` (abstract: only subclasses are registered)."""

    key = ""
    with_menu = False

    @abstractmethod
    def name(self) -> str: ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> EventList:
        lang = general_language(resident_language(tracker))
        buttons = menus.main_menu_buttons(lang) if self.with_menu else []
        dispatcher.utter_message(text=text(self.key, lang), buttons=buttons)
        return []


class ActionThanks(_SimpleReply):
    key = "chat.thanks"

    def name(self) -> str:
        return "action_thanks"


class ActionGoodbye(_SimpleReply):
    key = "chat.goodbye"

    def name(self) -> str:
        return "action_goodbye"


class ActionAcknowledge(_SimpleReply):
    """A yes or no that answers nothing the bot asked: acknowledge and show the menu."""

    key = "chat.acknowledge"
    with_menu = True

    def name(self) -> str:
        return "action_acknowledge"
