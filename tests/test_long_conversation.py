"""A long conversation through the real stack: Rasa keeps a bounded history, and the conversation's state survives.

Runs in the session's shared stack; the cut itself is tested in test_tracker_bounds.py.
"""

from __future__ import annotations

import json

import pytest
import redis

from knowledge_base.texts import text
from scripts.stack import Stack
from tests.test_conversation_end_to_end import Resident

pytestmark = pytest.mark.slow


def stored_event_counts(stack: Stack) -> list[int]:
    client = redis.Redis.from_url(stack.config.redis_url)
    return [
        len(json.loads(client.get(key))["events"]) for key in client.scan_iter(f"{stack.config.redis_prefix}:tracker:*")
    ]


def test_after_many_turns_the_history_is_bounded_and_the_slots_and_session_survive(stack: Stack) -> None:
    resident = Resident(stack, "long")
    assert resident.says("こんにちは")[0]["text"] == text("greeting.new", "ja")
    resident.says("マイナンバーカードをなくしました")  # the FAQ answer sets faq_id (市民課)
    for _ in range(40):  # about 200 events: well past the bound of 100
        resident.presses('/show_menu{"menu": "main"}')
    assert max(stored_event_counts(stack)) <= 100

    # still the same session: not welcomed as new
    assert resident.says("こんにちは")[0]["text"] == text("greeting.again", "ja")
    # faq_id survived the cut: the handoff names the department of the last answer, not the main number
    handoff = resident.says("職員と話したい")[0]["text"]
    fresh = Resident(stack, "long-fresh").says("職員と話したい")[0]["text"]
    assert "市民課" in handoff
    assert handoff != fresh
