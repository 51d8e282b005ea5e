"""What else an emergency message asks for, when the classifier cannot tell.

"家に水が入ってきた、避難所はどこ": DIET learned such messages as emergencies and gives the shelter search almost no
confidence, yet the resident also asked where to go. After the 119/110 guidance the emergency action hands the
message on to one safe follow-up intent (actions/conversation/emergency.py); these explicit cues name it when the
classifier's own ranking does not. Pure Python, like emergency_patterns.py; same normalization.
Only the three follow-ups that are clearly named by words: a place to go, the alert level, a person to call.
"""

from __future__ import annotations

import re

from bot.components.emergency_patterns import fold_accents, normalize

# Checked in this order: the first that matches wins.
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "find_shelter",
        re.compile(
            r"避難所|避難場所|ひなんじょ|ひなんばしょ|避難先|逃げる場所|逃げ場所|にげるばしょ|どこに(?:逃げ|避難)|"
            r"どこへ(?:逃げ|避難)|避难所|避难场所|\bshelters?\b|\bevacuation (?:center|centre|site)s?\b|"
            r"\bwhere (?:should|can|do) (?:i|we) (?:go|evacuate)\b|\babrigos?\b|\brefugios?\b|\balbergues?\b|"
            r"\blanh nan\b|\bso tan\b|\blumikas\b"
        ),
    ),
    (
        "alert_level",
        re.compile(
            r"警戒れべる|警戒レベル|れべる ?[1-5]|避難指示|高齢者等避難|緊急安全確保|避難情報|"
            r"\balert level\b|\bevacuation order\b|\bnivel de alerta\b|\bordem de evacuacao\b|"
            r"\borden de evacuacion\b"
        ),
    ),
    (
        "human_handoff",
        re.compile(
            r"職員|市役所に電話|市役所の人|担当者|人と話|\bcity hall\b|\bstaff\b|\bfuncionario\b|\bprefeitura\b|"
            r"\bayuntamiento\b"
        ),
    ),
)


def follow_up_cue(text: str) -> str | None:
    """The follow-up intent the message names explicitly, or None."""
    folded = fold_accents(normalize(text))
    normalized = normalize(text)
    for intent, pattern in _CUES:
        if pattern.search(normalized) or pattern.search(folded):
            return intent
    return None
