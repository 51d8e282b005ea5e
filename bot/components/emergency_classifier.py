"""Forces the `emergency` intent whenever a message contains an emergency word (emergency_patterns.py).

Runs after DIET and the FallbackClassifier. Recall on emergencies is a safety property, so it must not depend on
what a statistical classifier happened to learn: a message with an emergency word is `emergency` with
confidence 1.0. The classifier's own ranking is kept below it (without `emergency` and `nlu_fallback`), so the
emergency action can still handle the rest of the message ("水が入ってきた、避難所はどこ" → find_shelter) after
the 119/110 guidance. When the classifier saw only the emergency, explicit words (follow_up_cues.py: 避難所, 警戒レベル,
職員, ...) put the intent they name right below it. Button payloads ("/intent{...}") are never touched.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.components.emergency_patterns import find_emergency
from bot.components.follow_up_cues import follow_up_cue

EMERGENCY_INTENT = "emergency"
# Parse-data key listing the emergency word groups found (for logs and the action server).
EMERGENCY_WORDS_KEY = "emergency_words"
# Confidence given to a follow-up intent named by explicit words (follow_up_cues.py) when the classifier ranked
# it lower: enough for the emergency action to hand the message on to it.
CUE_CONFIDENCE = 0.5


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class EmergencyKeywordClassifier(GraphComponent, IntentClassifier):
    """Overrides the predicted intent with `emergency` when an emergency word is present."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"intent": EMERGENCY_INTENT}

    def __init__(self, config: dict[str, Any]) -> None:
        self._intent = str(config.get("intent", EMERGENCY_INTENT))

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EmergencyKeywordClassifier:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue
            matches = find_emergency(text)
            if matches:
                self._force_emergency(message, sorted({m.group for m in matches}), follow_up_cue(text))
        return messages

    def _force_emergency(self, message: Message, groups: list[str], cue: str | None) -> None:
        forced = {INTENT_NAME_KEY: self._intent, PREDICTED_CONFIDENCE_KEY: 1.0}
        others = [
            ranked
            for ranked in message.get(INTENT_RANKING_KEY) or []
            if ranked.get(INTENT_NAME_KEY) not in (self._intent, DEFAULT_NLU_FALLBACK_INTENT_NAME)
        ]
        best_other = others[0].get(PREDICTED_CONFIDENCE_KEY, 0.0) if others else 0.0
        if cue is not None and best_other < CUE_CONFIDENCE:
            # The words name what else is asked; the classifier, having learned the message as an emergency, did not.
            others = [{INTENT_NAME_KEY: cue, PREDICTED_CONFIDENCE_KEY: CUE_CONFIDENCE}] + [
                ranked for ranked in others if ranked.get(INTENT_NAME_KEY) != cue
            ]
        message.set(INTENT, forced, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [forced, *others], add_to_output=True)
        message.set(EMERGENCY_WORDS_KEY, groups, add_to_output=True)
