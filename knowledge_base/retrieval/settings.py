"""The retriever's tunable numbers, read from knowledge_base/retrieval/calibration.yml.

`python -m benchmarks.faq_quality --calibrate` chooses the fusion weights and thresholds on the development
set and rewrites that file (the method is described in it and in knowledge_base/README.md). The lexical and
dense sections shape the built index, so they are part of its cache key. FAQ_RETRIEVAL_CONFIG points to
another file (experiments, tests).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge_base.retrieval.dense import KINDS, DenseSettings
from knowledge_base.retrieval.departments import RouteParams
from knowledge_base.retrieval.japanese import KANJI
from knowledge_base.retrieval.lexical import LexicalSettings
from settings import FaqSettings

DEFAULT_CONFIG = Path(__file__).resolve().parent / "calibration.yml"
# Kinds of query with parameters of their own, because the two scores behave differently on them:
# - ja: Japanese with kanji (both scores work);
# - kana: Japanese without kanji (the sentence encoder reads kana-only text poorly; the reading view of the
#   lexical score does not mind);
# - other: another language the sentence encoder was trained on (little lexical overlap unless the entry
#   has a translation in it);
# - uncovered: a language the encoder was not trained on (Vietnamese, Tagalog): its dense score is weak, so
#   the lexical one, through the entry's translation, carries more weight.
QUERY_GROUPS = ("ja", "kana", "other", "uncovered")
# Languages of the bot (language.SUPPORTED) that Universal Sentence Encoder Multilingual does not cover.
ENCODER_UNCOVERED = frozenset({"vi", "tl"})
_SPLIT_FROM = {"uncovered": "other"}


def query_group(query: str, language: str) -> str:
    if language in ENCODER_UNCOVERED:
        return "uncovered"
    if language != "ja":
        return "other"
    return "ja" if KANJI.search(unicodedata.normalize("NFKC", query)) else "kana"


@dataclass(frozen=True)
class Thresholds:
    answer: float  # confidence at or above this (and clear of the runner-up) gives an answer card
    margin: float  # the best must lead the second by at least this much, else "did you mean"
    suggest: float  # no card, but the best fused score at or above this: "did you mean"; below: no answer
    # confidence = best + lead_weight * (best - runner-up): a best entry far ahead of the others is surer
    # than the same score in a crowd of near-equal entries.
    lead_weight: float = 0.0

    def confidence(self, best: Any, runner_up: Any) -> Any:
        return best + self.lead_weight * (best - runner_up)


@dataclass(frozen=True)
class FusionParams:
    dense_weight: float  # fused = dense_weight * dense + (1 - dense_weight) * lexical
    thresholds: Thresholds

    def fuse(self, dense: Any, lexical: Any, comparable: Any = True) -> Any:
        """Fused scores. Where `comparable` is false (the entry has no text in the query's language, so the
        lexical view cannot see it: a Korean question and an entry not translated into Korean), the dense
        score stands alone instead of being pulled down by a lexical score that could only be zero."""
        import numpy as np

        fused = self.dense_weight * dense + (1.0 - self.dense_weight) * lexical
        return np.where(comparable, fused, dense)


@dataclass(frozen=True)
class RetrievalSettings:
    fusion: dict[str, FusionParams]
    lexical: LexicalSettings = field(default_factory=LexicalSettings)
    dense: DenseSettings = field(default_factory=DenseSettings)
    # Entries taken from each of the dense and the lexical ranking before fusing.
    candidate_depth: int = 20
    # Which department a question without an answer is sent to (departments.py).
    department_route: RouteParams = field(default_factory=RouteParams)
    calibrated: dict[str, Any] | None = None
    source: str = ""

    def params_for(self, query: str, language: str) -> FusionParams:
        return self.fusion[query_group(query, language)]

    def index_fingerprint(self) -> str:
        """Hash of what shapes a built index (not the thresholds: changing those needs no rebuild)."""
        shaped = {"lexical": asdict(self.lexical), "dense": asdict(self.dense)}
        return hashlib.sha256(json.dumps(shaped, sort_keys=True).encode()).hexdigest()[:16]


class SettingsError(ValueError):
    pass


def config_path() -> Path:
    return FaqSettings().retrieval_config


def load_settings(path: Path | None = None) -> RetrievalSettings:
    path = path or config_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SettingsError(f"{path}: cannot read the retrieval settings: {exc}") from exc
    return parse_settings(raw, str(path))


def parse_settings(raw: dict[str, Any], source: str = "") -> RetrievalSettings:
    try:
        groups = raw["fusion"]
        # A file calibrated before a group existed: the group takes the parameters it was split from.
        fusion = {group: _fusion(groups.get(group) or groups[_SPLIT_FROM.get(group, group)]) for group in QUERY_GROUPS}
        lexical = LexicalSettings(
            spelling_ngrams=_pair(raw.get("lexical", {}).get("spelling_ngrams", (2, 3))),
            reading_ngrams=_pair(raw.get("lexical", {}).get("reading_ngrams", (2, 3))),
            reading_weight=float(raw.get("lexical", {}).get("reading_weight", 0.4)),
        )
        dense = DenseSettings(**(raw.get("dense") or {}))
        route = RouteParams(
            **{k: float(v) if k != "depth" else int(v) for k, v in (raw.get("department_route") or {}).items()}
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SettingsError(f"{source}: invalid retrieval settings: {exc!r}") from exc
    if dense.large_kind not in KINDS:
        raise SettingsError(f"{source}: dense.large_kind must be one of {', '.join(KINDS)}")
    if not 0.0 <= lexical.reading_weight <= 1.0:
        raise SettingsError(f"{source}: lexical.reading_weight must be between 0 and 1")
    if route.temperature <= 0.0 or not 0.0 <= route.min_share <= 1.0 or route.depth < 1:
        raise SettingsError(f"{source}: department_route needs temperature > 0, 0 <= min_share <= 1, depth >= 1")
    return RetrievalSettings(
        fusion=fusion,
        lexical=lexical,
        dense=dense,
        candidate_depth=int(raw.get("candidate_depth", 20)),
        department_route=route,
        calibrated=raw.get("calibrated"),
        source=source,
    )


def _pair(value: Any) -> tuple[int, int]:
    low, high = (int(v) for v in value)
    if not 1 <= low <= high <= 6:
        raise ValueError(f"n-gram range {value!r} must be 1 <= low <= high <= 6")
    return low, high


def _fusion(raw: dict[str, Any]) -> FusionParams:
    params = FusionParams(
        dense_weight=float(raw["dense_weight"]),
        thresholds=Thresholds(
            answer=float(raw["answer"]),
            margin=float(raw["margin"]),
            suggest=float(raw["suggest"]),
            lead_weight=float(raw.get("lead_weight", 0.0)),
        ),
    )
    if not 0.0 <= params.dense_weight <= 1.0:
        raise ValueError("dense_weight must be between 0 and 1")
    if params.thresholds.suggest > params.thresholds.answer:
        raise ValueError("the suggest threshold must not exceed the answer threshold")
    if params.thresholds.lead_weight < 0.0:
        raise ValueError("lead_weight must not be negative")
    return params


def fusion_to_yaml(params: FusionParams) -> dict[str, float]:
    return {
        "dense_weight": round(float(params.dense_weight), 3),
        "answer": round(float(params.thresholds.answer), 3),
        "margin": round(float(params.thresholds.margin), 3),
        "suggest": round(float(params.thresholds.suggest), 3),
        "lead_weight": round(float(params.thresholds.lead_weight), 3),
    }


def route_to_yaml(params: RouteParams) -> dict[str, float]:
    return {
        "temperature": round(float(params.temperature), 3),
        "min_share": round(float(params.min_share), 3),
        "min_score": round(float(params.min_score), 3),
        "depth": int(params.depth),
    }
