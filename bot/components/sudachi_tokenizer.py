"""Japanese tokenizer for Rasa, on SudachiPy with the dictionary shipped on PyPI.

Rasa's WhitespaceTokenizer refuses Japanese (no spaces between words). Sudachi splits the text
into morphemes; each token keeps its surface form and offsets in the message, and its lemma is
Sudachi's normalized form, so spelling variants (引越し / 引っ越し, 下さい / ください) share
features downstream. Latin-script messages (English, Portuguese...) come out as words too.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

# Part-of-speech groups that carry no meaning for intent classification.
_SKIPPED_POS = {"補助記号", "空白"}


def _lemma(surface: str, normalized: str) -> str:
    # Sudachi "normalizes" Latin words to katakana (How -> ハウ); keep those as they are.
    if surface.isascii():
        return surface.lower()
    return normalized.lower()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class SudachiTokenizer(Tokenizer):
    """Splits Japanese (and mixed) text into Sudachi morphemes."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            # A: shortest units, robust to how residents split compounds; B/C: longer units.
            "split_mode": "A",
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["sudachipy", "sudachidict_core"]

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        from sudachipy import Dictionary, SplitMode

        mode = getattr(SplitMode, str(config.get("split_mode", "A")).upper())
        self._tokenizer = Dictionary(dict="core").tokenizer(mode)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SudachiTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text: str | None = message.get(attribute)
        if not text:
            return []
        tokens: list[Token] = []
        for morpheme in self._tokenizer.tokenize(text):
            surface = morpheme.surface()
            if not surface.strip() or morpheme.part_of_speech()[0] in _SKIPPED_POS:
                continue
            tokens.append(
                Token(
                    surface,
                    morpheme.begin(),
                    end=morpheme.end(),
                    lemma=_lemma(surface, morpheme.normalized_form()),
                )
            )
        if not tokens:
            # Rasa needs at least one token per message (e.g. a message of only "？").
            tokens.append(Token(text, 0, end=len(text), lemma=text))
        return self._apply_token_pattern(tokens)
