"""The bounded tracker store (bot/tracker_store.py): a long conversation is cut, its state is not. Engine venv."""

from __future__ import annotations

import json
import secrets
import subprocess
from typing import Any

import pytest

from scripts.stack import ENGINE_BIN, ROOT, engine_env

# One engine process builds a long conversation the way Rasa records it, bounds it, and reports what is left;
# then saves and reloads it through the real store on Redis. Importing Rasa is the slow part.
SCRIPT = """
import asyncio, json, sys
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from bot.tracker_store import BoundedRedisTrackerStore, bounded_events

given = json.loads(sys.stdin.read())
domain = Domain.load(["bot/domain"])
clock = [1_000_000.0]

def at():
    clock[0] += 1.0
    return clock[0]

def turn(text, intent, action, slots=()):
    events = [ActionExecuted("action_listen", timestamp=at()),
              UserUttered(text, {"name": intent, "confidence": 1.0}, timestamp=at())]
    events.append(ActionExecuted(action, timestamp=at()))
    events += [SlotSet(name, value, timestamp=at()) for name, value in slots]
    events.append(BotUttered("reply", timestamp=at()))
    return events

events = [ActionExecuted("action_session_start", timestamp=at()), SessionStarted(timestamp=at())]
for i in range(given["turns_before"]):
    events += turn('/show_menu{"menu": "main"}', "show_menu", "action_show_menu")
events += turn("住民票の写しがほしい", "ask_question", "action_answer_question", [("faq_id", "shiminka-juminhyo")])
events += turn("Where is the nearest shelter?", "find_shelter", "action_find_shelter",
               [("shelter_location", {"latitude": 36.02, "longitude": 139.99}), ("hazard", "flood")])
for i in range(given["turns_after"]):
    events += turn('/show_menu{"menu": "main"}', "show_menu", "action_show_menu")
events.append(ActionExecuted("action_listen", timestamp=at()))

def state(evts):
    tracker = DialogueStateTracker.from_events("t", evts, domain.slots)
    typed = [e.text for e in evts if isinstance(e, UserUttered) and not e.text.startswith("/")]
    return {
        "slots": {k: v for k, v in tracker.current_slot_values().items() if v is not None},
        "latest": tracker.latest_message.text,
        "last_typed": typed[-1] if typed else None,
        "sessions": sum(isinstance(e, SessionStarted) for e in evts),
        "first": [e.as_dict()["event"] for e in evts[:2]],
        "listening": tracker.latest_action_name,
        "last_user_time": tracker.get_last_event_for(UserUttered).timestamp,
        "length": len(evts),
    }

bounded = bounded_events(events, given["max_events"], domain)
again = bounded_events(bounded + turn("ありがとう", "thanks", "utter_thanks"), given["max_events"], domain)

async def through_redis():
    store = BoundedRedisTrackerStore(domain, host="127.0.0.1", port=6379, db=0, key_prefix=given["prefix"],
                                     max_events=given["max_events"], record_exp=60)
    tracker = DialogueStateTracker.from_events("resident", events, domain.slots)
    await store.save(tracker)
    stored = await store.retrieve("resident")
    store.red.delete(store.key_prefix + "resident")
    return state(list(stored.events))

print(json.dumps({"full": state(events), "bounded": state(bounded), "again": state(again),
                  "stored": asyncio.run(through_redis())}, ensure_ascii=False))
"""


def run_engine(**given: Any) -> dict[str, Any]:
    done = subprocess.run(
        [str(ENGINE_BIN / "python"), "-c", SCRIPT],
        input=json.dumps(given),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=engine_env(),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def long_conversation() -> dict[str, Any]:
    # button turns around the typed ones: 16 after them, the typed message still fits the bound; 200, it cannot
    return {
        "near": run_engine(turns_before=10, turns_after=16, max_events=100, prefix="testbound" + secrets.token_hex(4)),
        "far": run_engine(turns_before=0, turns_after=200, max_events=100, prefix="testbound" + secrets.token_hex(4)),
    }


def test_a_long_conversation_is_cut_to_the_bound(long_conversation: dict[str, Any]) -> None:
    far = long_conversation["far"]
    assert far["full"]["length"] > 800
    assert far["bounded"]["length"] <= 100
    assert far["again"]["length"] <= 100
    assert far["stored"]["length"] <= 100


def test_slots_session_and_the_latest_turn_survive_the_cut(long_conversation: dict[str, Any]) -> None:
    for case in long_conversation.values():
        full = case["full"]
        for cut in (case["bounded"], case["again"], case["stored"]):
            assert cut["slots"] == full["slots"]
        for cut in (case["bounded"], case["stored"]):
            assert cut["latest"] == full["latest"]
            assert cut["listening"] == "action_listen"
            assert cut["last_user_time"] == full["last_user_time"]
            # still one session, opened by Rasa's session start: the resident is not greeted as new
            assert cut["sessions"] == 1
            assert cut["first"] == ["action", "session_started"]
    assert long_conversation["far"]["full"]["slots"]["hazard"] == "flood"


def test_the_resident_s_latest_typed_words_are_kept_when_they_fit(long_conversation: dict[str, Any]) -> None:
    near = long_conversation["near"]
    assert near["full"]["length"] > 100
    assert near["bounded"]["length"] <= 100
    assert near["bounded"]["last_typed"] == "Where is the nearest shelter?"
