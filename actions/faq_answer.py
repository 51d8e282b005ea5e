"""Answer a resident's question from the FAQ, or say honestly that we do not know."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import retriever
from actions.texts import answer_card_text, no_answer_text

# Below this score the best entry is more likely wrong than right (tuned in the retrieval work).
ANSWER_THRESHOLD = 0.35


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        question = (tracker.latest_message or {}).get("text") or ""
        candidates = retriever().search(question, k=3)
        if candidates and candidates[0].score >= ANSWER_THRESHOLD:
            dispatcher.utter_message(text=answer_card_text(candidates[0].entry))
        else:
            dispatcher.utter_message(text=no_answer_text())
        return []
