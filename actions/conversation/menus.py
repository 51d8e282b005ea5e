"""The menus residents tap through: main (手続き, 避難・防災, 職員に相談), procedures, evacuation and safety.

Topic buttons send a typed-looking question as their payload: it goes through NLU as ask_question and the FAQ
retriever answers it, so a button never points at an FAQ entry id that staff may rename or remove. Every payload
question below is also an ask_question training example (data/nlu/questions.yml) and is checked by the story
tests (tests/stories/test_menus.yml).
"""

from __future__ import annotations

from actions.conversation.texts import general_language, text
from actions.payloads import button
from knowledge_base.texts import LANGUAGES

MAIN = "main"
PROCEDURES = "procedures"
DISASTER = "disaster"
MENUS = (MAIN, PROCEDURES, DISASTER)


# Topic ids: each has `topic.<id>.title` and `topic.<id>.question` in the resident catalogue.
PROCEDURE_TOPICS = (
    "residence_certificate",
    "moving",
    "my_number",
    "family_register",
    "birth_death",
    "garbage",
    "taxes",
    "children",
)
DISASTER_TOPICS = ("hazard_map", "emergency_kit", "shelter_or_site")


def _topic_button(topic: str, language: str) -> dict[str, str]:
    return {"title": text(f"topic.{topic}.title", language), "payload": text(f"topic.{topic}.question", language)}


def main_menu_buttons(language: str) -> list[dict[str, str]]:
    lang = general_language(language)
    return [
        button(text("menu.procedures_button", lang), "show_menu", menu=PROCEDURES),
        button(text("menu.disaster_button", lang), "show_menu", menu=DISASTER),
        staff_button(lang),
    ]


def staff_button(language: str) -> dict[str, str]:
    return button(text("menu.staff", general_language(language)), "human_handoff")


def menu(name: str, language: str) -> tuple[str, list[dict[str, str]]]:
    """The prompt and buttons of one menu; an unknown name gives the main menu."""
    lang = general_language(language)
    back = button(text("menu.back", lang), "show_menu", menu=MAIN)
    if name == PROCEDURES:
        return text("menu.procedures", lang), [_topic_button(t, lang) for t in PROCEDURE_TOPICS] + [back]
    if name == DISASTER:
        buttons = [
            button(text("menu.find_shelter", lang), "find_shelter"),
            button(text("menu.alert_levels", lang), "alert_level"),
            *(_topic_button(t, lang) for t in DISASTER_TOPICS),
            back,
        ]
        return text("menu.disaster", lang), buttons
    return text("menu.main", lang), main_menu_buttons(lang)


def all_topic_questions() -> list[str]:
    """Every question a topic button can send, in every language (tests check each is an ask_question)."""
    topics = PROCEDURE_TOPICS + DISASTER_TOPICS
    return [text(f"topic.{topic}.question", language) for topic in topics for language in LANGUAGES]
