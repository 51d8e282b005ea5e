"""The NLU training data and the held-out set: sizes, coverage, and that the held-out set is really held out."""

from __future__ import annotations

import yaml

from actions.conversation.menus import all_topic_questions
from bot.components.emergency_patterns import is_emergency
from tests.nlu.nlu_data import HELDOUT, HELDOUT_BLIND, ROOT, comparable, examples, training_examples

INTENTS = (
    "greet",
    "goodbye",
    "thanks",
    "affirm",
    "deny",
    "ask_question",
    "find_shelter",
    "share_location",
    "alert_level",
    "emergency",
    "human_handoff",
    "feedback_good",
    "feedback_bad",
    "out_of_scope",
    "bot_challenge",
)


def test_every_intent_has_at_least_20_distinct_training_examples() -> None:
    training = training_examples()
    for intent in INTENTS:
        distinct = {comparable(t) for t in training.get(intent, [])}
        assert len(distinct) >= 20, f"{intent}: {len(distinct)} distinct examples"


def test_no_training_example_is_listed_under_two_intents() -> None:
    seen: dict[str, str] = {}
    for intent, texts in training_examples().items():
        for text in texts:
            key = comparable(text)
            assert seen.setdefault(key, intent) == intent, f"{text!r} under {seen[key]} and {intent}"


def test_the_heldout_sets_share_no_example_with_the_training_data_or_each_other() -> None:
    trained = {comparable(t) for texts in training_examples().values() for t in texts}
    heldout = {comparable(t) for texts in examples(HELDOUT).values() for t in texts}
    blind = {comparable(t) for texts in examples(HELDOUT_BLIND).values() for t in texts}
    assert heldout & trained == set()
    assert blind & trained == set()
    assert blind & heldout == set()


def test_the_heldout_set_covers_every_intent() -> None:
    heldout = examples(HELDOUT)
    assert set(heldout) == set(INTENTS)
    assert all(len(texts) >= 10 for texts in heldout.values())


def test_every_menu_topic_question_is_an_ask_question_example_and_no_emergency() -> None:
    asked = {comparable(t) for t in training_examples()["ask_question"]}
    for question in all_topic_questions():
        assert comparable(question) in asked, question
        assert not is_emergency(question), question


def test_emergency_words_force_every_training_and_heldout_emergency_and_nothing_else_in_training() -> None:
    for source in (training_examples(), examples(HELDOUT), examples(HELDOUT_BLIND)):
        missed = [t for t in source["emergency"] if not is_emergency(t)]
        assert missed == []
    wrongly = [(i, t) for i, texts in training_examples().items() if i != "emergency" for t in texts if is_emergency(t)]
    assert wrongly == []


def test_the_menu_story_tests_cover_every_menu_topic_question() -> None:
    stories = yaml.safe_load((ROOT / "tests" / "stories" / "test_menus.yml").read_text(encoding="utf-8"))["stories"]
    tested = {step["user"].strip() for story in stories for step in story["steps"] if "user" in step}
    assert tested == set(all_topic_questions())
