"""After the 119/110 guidance, what else the emergency message asked, and how to hand it on.

"水が入ってきた、避難所はどこ" is an emergency AND a shelter search. The NLU forces `emergency` but keeps the
classifier's ranking of the other intents below it (bot/components/emergency_classifier.py). When the best of
those is a request that is safe and useful to answer right after the guidance (a shelter, the alert level, a
question, a person to call), the emergency action re-reads the same message as that intent: it logs a listen and
the resident's message again with that intent, and Rasa's rules for that intent take it from there (e.g. the
shelter search). Greetings, small talk, feedback and the like are never followed up: the guidance stands alone.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import ActionExecuted, UserUttered

from knowledge_base.language import detect_language

# Intents that may follow the guidance. The rest of a message with an emergency word is handled only as one of these.
SAFE_FOLLOW_UPS = frozenset({"find_shelter", "share_location", "alert_level", "ask_question", "human_handoff"})
# How sure the classifier must be that the message (besides the emergency) asks for it. The forced emergency
# leaves the other intents less confidence than usual, so this is lower than the NLU fallback threshold; but
# 「救急病院はどこ」 ranks find_shelter 0.26: a guess, not a request, and not followed.
FOLLOW_UP_MIN_CONFIDENCE = 0.3
# Marks the re-read message in its metadata, so that other actions can tell it came after an emergency.
FOLLOW_UP_METADATA_KEY = "after_emergency"
_NOT_FOLLOW_UPS = frozenset({"emergency", "nlu_fallback"})
# Parse-data key where the NLU lists the emergency word groups it found (bot/components/emergency_classifier.py).
EMERGENCY_WORDS_KEY = "emergency_words"
# Word groups that tell the language when the general detector cannot: "救命" has no kana and no
# simplified-only character, "cuu toi" no Vietnamese accent.
_LANGUAGE_OF_GROUP = {"zh": "zh", "ko": "ko", "vi": "vi", "tl": "tl"}


def emergency_language(parse_data: dict[str, Any]) -> str:
    """The language to give the 119/110 guidance in, for a typed emergency message."""
    text = parse_data.get("text") or ""
    detected = detect_language(text)
    groups = [str(g) for g in parse_data.get(EMERGENCY_WORDS_KEY) or []]
    if detected in ("ja", "en"):
        for group in groups:
            if group in _LANGUAGE_OF_GROUP and not (detected == "ja" and any(g.startswith("ja_") for g in groups)):
                return _LANGUAGE_OF_GROUP[group]
    if detected == "en" and any(g.startswith("pt_es") for g in groups) and not any(g.startswith("en_") for g in groups):
        # "socorro", "fogo": Portuguese or Spanish without a telltale word; most foreign residents are Brazilian.
        return "pt"
    return detected


def follow_up_intent(parse_data: dict[str, Any]) -> dict[str, Any] | None:
    """The intent (name, confidence) the rest of the message asks for, when it is safe to follow; else None."""
    for ranked in parse_data.get("intent_ranking") or []:
        name = ranked.get("name")
        if name in _NOT_FOLLOW_UPS:
            continue
        confidence = float(ranked.get("confidence") or 0.0)
        if name in SAFE_FOLLOW_UPS and confidence >= FOLLOW_UP_MIN_CONFIDENCE:
            return {"name": name, "confidence": confidence}
        return None
    return None


def follow_up_events(parse_data: dict[str, Any]) -> list[dict[str, Any]]:
    """Events that make Rasa handle the same message again as its follow-up intent (none when there is none)."""
    intent = follow_up_intent(parse_data)
    if intent is None:
        return []
    text = parse_data.get("text") or ""
    metadata = dict(parse_data.get("metadata") or {}) | {FOLLOW_UP_METADATA_KEY: True}
    reread = {
        "text": text,
        "intent": intent,
        "intent_ranking": [intent],
        "entities": [e for e in parse_data.get("entities") or [] if e.get("entity") in ("latitude", "longitude")],
        "metadata": metadata,
    }
    user = UserUttered(text, parse_data=reread) | {"metadata": metadata}
    return [ActionExecuted("action_listen"), user]
