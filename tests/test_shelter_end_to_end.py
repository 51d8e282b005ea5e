"""Evacuation through the real gateway, the real Rasa server and the real action server (demo data)."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from knowledge_base.disaster import state as disaster_store
from knowledge_base.disaster.state import Alert
from knowledge_base.shelters.hazards import Hazard
from knowledge_base.shelters.registry import DEMO_EMERGENCY_SITES, DEMO_SHELTERS, load_registry
from scripts.stack import ROOT, Stack, app_env
from tests.test_end_to_end import get, post

pytestmark = pytest.mark.slow

NEAR_DEMO_G = {"latitude": 36.0230, "longitude": 139.9930}


def session() -> str:
    return "e2e-shelter-" + uuid.uuid4().hex[:12]


def kinds(body: dict) -> list[str]:
    return [(m.get("custom") or {}).get("kind", "text") for m in body["messages"]]


def custom(body: dict, kind: str) -> dict:
    [found] = [m["custom"] for m in body["messages"] if (m.get("custom") or {}).get("kind") == kind]
    return found


def test_location_then_hazard_button_gives_the_nearest_flood_sites(stack: Stack) -> None:
    sid = session()
    status, body = post(stack, "/api/chat", {"session_id": sid, "location": NEAR_DEMO_G})
    assert status == 200
    # Outside disaster mode the bot asks which hazard, with one button per hazard in the data.
    [question] = body["messages"]
    assert '/choose_hazard{"hazard": "flood"}' in [b["payload"] for b in question["buttons"]]
    status, body = post(stack, "/api/chat", {"session_id": sid, "payload": '/choose_hazard{"hazard": "flood"}'})
    assert status == 200
    card = custom(body, "shelter_list")
    demo = load_registry(DEMO_EMERGENCY_SITES, DEMO_SHELTERS, demo=True)
    expected = demo.nearest(NEAR_DEMO_G["latitude"], NEAR_DEMO_G["longitude"], Hazard.FLOOD, k=3)
    assert [s["id"] for s in card["sites"]] == [n.place.id for n in expected]
    assert all(Hazard.FLOOD in demo.get(s["id"]).hazards for s in card["sites"])
    assert card["demo"] is True and card["text"].startswith("【デモデータ】")
    assert card["sites"][0]["map_url"].startswith("https://www.google.com/maps/search/?api=1&query=")


def test_asking_for_a_shelter_without_a_location_asks_for_it(stack: Stack) -> None:
    status, body = post(stack, "/api/chat", {"session_id": session(), "payload": "/find_shelter"})
    assert status == 200
    request = custom(body, "location_request")
    assert "位置情報を送ってください" in request["text"]


def test_staff_status_change_is_seen_by_the_next_answer(stack: Stack) -> None:
    env = app_env({"DATABASE_URL": stack.config.database_url})
    command = [sys.executable, "-m", "knowledge_base.shelters", "status", "set", "デモ避難所G", "満員"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    try:
        sid = session()
        post(stack, "/api/chat", {"session_id": sid, "payload": '/choose_hazard{"hazard": "flood"}'})
        _, body = post(stack, "/api/chat", {"session_id": sid, "location": NEAR_DEMO_G})
        sites = {s["name"]: s["status"] for s in custom(body, "shelter_list")["sites"]}
        assert sites["デモ避難所G"] == "満員"
    finally:
        reset = [sys.executable, "-m", "knowledge_base.shelters", "status", "reset"]
        subprocess.run(reset, cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)


def test_disaster_mode_leads_the_first_reply_of_every_conversation_with_the_alert(stack: Stack) -> None:
    url = stack.config.database_url
    disaster_store.switch_on(Alert(Hazard.FLOOD, 4, "鬼怒川が氾濫するおそれがあります"), "test", url)
    try:
        sid = session()
        status, body = post(stack, "/api/chat", {"session_id": sid, "text": "こんにちは"})
        assert status == 200
        # Rasa's REST channel returns what action_session_start sent, ahead of the reply to the message.
        assert kinds(body)[:2] == ["alert", "text"]
        alert = body["messages"][0]["custom"]
        assert alert["level"] == 4 and alert["hazard"] == "flood"
        assert alert["text"].startswith("【警戒レベル4 避難指示】洪水")
        assert body["messages"][1]["buttons"] == [{"title": "避難場所をさがす", "payload": "/find_shelter"}]
        assert "常総市" in body["messages"][-1]["text"]  # the greeting itself still comes
        # Only the first reply: the conversation goes on without repeating the alert.
        _, again = post(stack, "/api/chat", {"session_id": sid, "text": "こんにちは"})
        assert "alert" not in kinds(again)
        # The button, then the location: flood by default in disaster mode, no hazard question.
        _, asked = post(stack, "/api/chat", {"session_id": sid, "payload": "/find_shelter"})
        assert kinds(asked) == ["location_request"]
        _, listed = post(stack, "/api/chat", {"session_id": sid, "location": NEAR_DEMO_G})
        card = custom(listed, "shelter_list")
        assert card["hazard"] == "flood" and "警戒レベル4" in card["note"]
        # A shared location as the very first message gets the alert, then the list.
        _, first = post(stack, "/api/chat", {"session_id": session(), "location": NEAR_DEMO_G})
        assert kinds(first)[0] == "alert" and "shelter_list" in kinds(first)
    finally:
        disaster_store.switch_off("test", url)
    _, calm = post(stack, "/api/chat", {"session_id": session(), "text": "こんにちは"})
    assert "alert" not in kinds(calm)


def test_alert_levels_through_the_stack(stack: Stack) -> None:
    status, body = post(stack, "/api/chat", {"session_id": session(), "payload": '/alert_level{"need_care": true}'})
    assert status == 200
    text = body["messages"][-1]["text"]
    assert "【レベル3】高齢者等避難：危険な場所から高齢者等は避難" in text
    assert "すぐに避難を始めてください" in text


def test_admin_api_is_absent_when_no_token_is_configured(stack: Stack) -> None:
    status, body = get(stack, "/admin/disaster")
    assert status == 404 and body["error"]["code"]
    status, _ = post(stack, "/admin/disaster", {"hazard": "flood", "level": 4, "message": "x"})
    assert status == 404
