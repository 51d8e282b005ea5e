"""One resident's journey in each of the eight languages, and what each step must read like in that language.

Shared by the end-to-end tests of the web API (tests/test_languages_end_to_end.py) and of LINE
(tests/line/test_line_languages_end_to_end.py). Nothing depends on a particular FAQ answer: each of the three
FAQ outcomes (answer, did you mean, no answer) has its own fixed texts, and those must be in the language.
"""

from __future__ import annotations

import re
from typing import Any

from actions import texts as faq_texts
from actions.evacuation_texts import level_text, t
from knowledge_base.shelters.hazards import Hazard
from knowledge_base.texts import LANGUAGES, other_language_notice, text

NEAR_DEMO_G = {"latitude": 36.0230, "longitude": 139.9930}
FLOOD = '/choose_hazard{"hazard": "flood"}'

# What each resident types first: the residence-certificate question of the procedures menu, in their language.
QUESTIONS = {language: text("topic.residence_certificate.question", language) for language in LANGUAGES}


def faq_outcome_problems(language: str, said: list[str], customs: list[dict[str, Any]]) -> list[str]:
    """Why the FAQ step is not in `language` (empty when it is). `said`: every text shown, in order."""
    cards = [c for c in customs if c.get("kind") == "faq_answer"]
    joined = "\n".join(said)
    if not cards:
        found = any(e in joined for e in no_card_replies(language))
        return [] if found else [f"neither did-you-mean nor no-answer in {language}"]
    problems = []
    shown = str(cards[0].get("language"))
    notice = other_language_notice(language, shown)
    if notice is not None and notice not in said:
        problems.append(f"answer in {shown} without the notice in {language}")
    if not any(f in joined for f in follow_ups(language)):
        problems.append(f"follow-up not in {language}")
    return problems


def follow_ups(language: str) -> list[str]:
    """What follows an answer card (with or without related questions)."""
    return [faq_texts.follow_up_text(language, has_related) for has_related in (True, False)]


def no_card_replies(language: str) -> list[str]:
    """What the bot says when it gives no card: did you mean, or no answer."""
    return [faq_texts.did_you_mean_text(language), faq_texts.no_answer_text(language)]


def feedback_titles(language: str) -> list[str]:
    return list(faq_texts.feedback_titles(language))


def location_prompt(language: str) -> str:
    return t("ask_location_no_town", language)


def hazard_question(language: str) -> str:
    return t("ask_hazard", language)


def flood_label(language: str) -> str:
    return Hazard.FLOOD.label(language)


def alert_levels_intro(language: str) -> str:
    return level_text("intro", language)


def alert_level_buttons(language: str) -> list[str]:
    return [level_text("care_button", language), text("menu.find_shelter", language)]


def handoff_problems(language: str, said: str) -> list[str]:
    """The hand-off names a phone and says, in the language, whether the office is open now."""
    closed = text("handoff.closed_now", language, next_open="\x00").split("\x00")[0]
    if "📞" not in said:
        return ["no phone number"]
    if text("handoff.open_now", language) not in said and closed not in said:
        return [f"open/closed not said in {language}"]
    return []


def distance_pattern(language: str) -> re.Pattern[str]:
    """LINE's distance line, e.g. ここから約850m / Cách đây khoảng 1.2km."""
    return re.compile(re.escape(text("line.distance", language, distance="\x00")).replace("\x00", r"[\d.]+k?m"))
