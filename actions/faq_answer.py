"""Answer a resident's question from the FAQ, or say honestly that we do not know.

action_answer_question (ask_question, nlu_fallback): three outcomes by calibrated thresholds
(knowledge_base/retrieval/decision.py): an answer card, "did you mean" buttons, or no answer (the department
that handles the topic, or the city's main number when even that is unclear; the question is recorded for
staff with personal data removed).
action_show_faq (select_faq, from a "did you mean" or related-question button): the card of that entry.
Both set the slot faq_id to the entry answered (None otherwise): feedback and hand-off read it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import payloads, texts
from actions.conversation.emergency import line_still_owed
from actions.conversation.menus import main_menu_buttons
from actions.conversation.tracker_facts import resident_language
from actions.knowledge import service
from knowledge_base.catalog import FaqEntry
from knowledge_base.language import detect_language
from knowledge_base.retrieval.decision import Decision, Outcome
from knowledge_base.retrieval.hybrid import HybridRetriever
from knowledge_base.retrieval.misses import record_miss
from knowledge_base.texts import first_available, other_language_notice

logger = logging.getLogger(__name__)

# How long a question may wait for the index when the server has just started.
INDEX_WAIT_SECONDS = 60.0
SELECT_INTENT = "select_faq"


async def _retriever() -> HybridRetriever | None:
    retriever = await asyncio.to_thread(service().current, INDEX_WAIT_SECONDS)
    if retriever is None:
        logger.error("FAQ: no index in service; answering 'cannot answer'")
    return retriever


def in_fallback_language(entry: FaqEntry, language: str) -> tuple[str, str, str]:
    """(language, question, answer): the first of the resident's fallback chain that staff translated."""
    return entry.in_language(first_available(language, {"ja", *entry.translations}))


def send_answer_card(
    dispatcher: CollectingDispatcher, retriever: HybridRetriever, entry: FaqEntry, language: str
) -> list[dict[str, Any]]:
    """The card (custom faq_answer with a text fallback), then related questions and feedback buttons."""
    # Staff may not have translated this entry yet: the resident's fallback chain picks what to show instead.
    shown_language, question, answer = in_fallback_language(entry, language)
    notice = other_language_notice(language, shown_language)
    if notice:
        dispatcher.utter_message(text=notice)
    card_text = texts.answer_card_text(entry, shown_language, answer)
    dispatcher.utter_message(json_message=payloads.faq_answer(entry, card_text, shown_language, question, answer))
    related = [r for r in (retriever.entry(rid) for rid in entry.related) if r is not None]
    buttons = [payloads.button(in_fallback_language(r, language)[1], SELECT_INTENT, faq_id=r.id) for r in related[:3]]
    good, bad = texts.feedback_titles(language)
    buttons += [payloads.button(good, "feedback_good"), payloads.button(bad, "feedback_bad")]
    dispatcher.utter_message(text=texts.follow_up_text(language, bool(related)), buttons=buttons)
    return [SlotSet("faq_id", entry.id)]


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        question = ((tracker.latest_message or {}).get("text") or "").strip()
        language = resident_language(tracker)
        # The retriever searches in the language of the question itself (a number or a name shows none).
        question_language = detect_language(question)
        retriever = await _retriever()
        if retriever is None or not question:
            decision = Decision(Outcome.NO_ANSWER, (), None)
        else:
            decision = await asyncio.to_thread(retriever.answer, question, question_language)
        best = decision.best
        logger.info(
            "FAQ: %s (best %s %.3f%s)",
            decision.outcome.value,
            best.entry.id if best else "-",
            best.score if best else 0,
            f"; routed to {decision.department.name}" if decision.department else "",
        )
        if decision.outcome is Outcome.ANSWER and retriever is not None:
            return send_answer_card(dispatcher, retriever, decision.candidates[0].entry, language)
        # The engine's verdict, never words of our own; action_emergency normally gave the line already.
        emergency = line_still_owed(tracker.latest_message or {})
        if decision.outcome is Outcome.SUGGEST:
            buttons = [
                payloads.button(in_fallback_language(c.entry, language)[1], SELECT_INTENT, faq_id=c.entry.id)
                for c in decision.candidates
            ]
            reply = texts.did_you_mean_text(language, emergency, decision.department)
            dispatcher.utter_message(text=reply, buttons=buttons)
        else:
            # The menu and the staff button: a resident the bot could not help still has somewhere to go.
            reply = texts.no_answer_text(language, emergency, decision.department)
            dispatcher.utter_message(text=reply, buttons=main_menu_buttons(language))
        # Staff see every question that got no card: a "did you mean" is where a paraphrase or an entry is missing.
        if question:
            await record_miss(
                question, question_language, best.entry.id if best else None, best.score if best else None
            )
        return [SlotSet("faq_id", None)]


class ActionShowFaq(Action):
    def name(self) -> str:
        return "action_show_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = resident_language(tracker)
        faq_id = next(tracker.get_latest_entity_values("faq_id"), None)
        retriever = await _retriever()
        entry = retriever.entry(str(faq_id)) if retriever is not None and faq_id else None
        if retriever is None or entry is None:
            logger.info("FAQ: selected entry %r not found", faq_id)
            dispatcher.utter_message(text=texts.entry_gone_text(language))
            return [SlotSet("faq_id", None)]
        return send_answer_card(dispatcher, retriever, entry, language)
