"""The engine's emergency verdict, and after the 119/110 guidance (or the one-line hint), how to hand the message on.

The engine's detector (bot/components/emergency_classifier.py) is the only judge: it writes its verdict to the
parse data under `emergency` ({"tier": "sure" | "possible" | "none", "answer_as": {...}, ...}) and makes the
intent `emergency` for both tiers that come with 119/110, so action_emergency always speaks first:
- sure: the full guidance, then the safe follow-up below (if any);
- possible: one 119/110 line, then the same message re-read as the intent it would have had (`answer_as`), so
  whatever answers it (FAQ card, did you mean, no answer, shelter search, small talk) comes after the line.
The actions never look for emergency words of their own.

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
# Parse-data key of the engine's verdict, and its tiers.
EMERGENCY_KEY = "emergency"
SURE = "sure"
POSSIBLE = "possible"
NONE = "none"
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


def emergency_tier(parse_data: dict[str, Any]) -> str:
    """The engine's tier for this message. Without a verdict (an `/emergency` payload, a model from before the
    detector) an emergency intent is sure: the full guidance is never withheld for want of a verdict."""
    verdict = parse_data.get(EMERGENCY_KEY)
    if isinstance(verdict, dict) and verdict.get("tier") in (SURE, POSSIBLE, NONE):
        return str(verdict["tier"])
    return SURE if (parse_data.get("intent") or {}).get("name") == "emergency" else NONE


def after_emergency(parse_data: dict[str, Any]) -> bool:
    """Whether this is the re-read of a message that action_emergency has already answered with 119/110."""
    return bool((parse_data.get("metadata") or {}).get(FOLLOW_UP_METADATA_KEY))


def line_still_owed(parse_data: dict[str, Any]) -> bool:
    """Whether an answering action must put the 119/110 line first itself: the engine says the message may be an
    emergency, and action_emergency has not spoken for it (rules send every such message there first, so this is
    a safety net for a flow that bypasses it)."""
    return emergency_tier(parse_data) != NONE and not after_emergency(parse_data)


def answer_as(parse_data: dict[str, Any]) -> dict[str, Any]:
    """The intent a 'possible' message is answered as after the line (the FAQ retriever when the engine gave none)."""
    verdict = parse_data.get(EMERGENCY_KEY) or {}
    intent = verdict.get("answer_as") if isinstance(verdict, dict) else None
    if isinstance(intent, dict) and intent.get("name") and intent.get("name") != "emergency":
        return {"name": str(intent["name"]), "confidence": float(intent.get("confidence") or 0.0)}
    return {"name": "nlu_fallback", "confidence": 0.0}


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


def follow_up_events(parse_data: dict[str, Any], intent: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Events that make Rasa handle the same message again as `intent` (default: its safe follow-up after the full
    guidance; none when there is none)."""
    intent = intent if intent is not None else follow_up_intent(parse_data)
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
