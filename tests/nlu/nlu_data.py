"""Reading Rasa NLU YAML files (training data and the held-out set) without Rasa: the tests run in the app venv."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
TRAINING_DIR = ROOT / "data" / "nlu"
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
# Written after tuning on HELDOUT and never used to choose anything (reported, not asserted).
HELDOUT_BLIND = ROOT / "tests" / "nlu" / "heldout_blind.yml"


def examples(path: Path) -> dict[str, list[str]]:
    """intent -> its example texts, from one Rasa NLU YAML file."""
    found: dict[str, list[str]] = defaultdict(list)
    for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
        if "intent" not in block:
            continue
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                found[block["intent"]].append(line[2:].strip())
    return dict(found)


def training_examples() -> dict[str, list[str]]:
    merged: dict[str, list[str]] = defaultdict(list)
    for path in sorted(TRAINING_DIR.glob("*.yml")):
        for intent, texts in examples(path).items():
            merged[intent].extend(texts)
    return dict(merged)


def comparable(text: str) -> str:
    """A text without case, width, spaces and punctuation (symbols such as 👍 stay): copies differ only in these."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(c for c in text if not (c.isspace() or unicodedata.category(c).startswith("P")))
