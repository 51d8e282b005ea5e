"""The evacuation actions, run through rasa-sdk's executor with trackers as Rasa sends them, on a real
PostgreSQL database (opening status, disaster mode) and the real Joso data or the demo data."""

from __future__ import annotations

import json
import time

import pytest

from knowledge_base.disaster import state as disaster_store
from knowledge_base.disaster.state import Alert
from knowledge_base.shelters.hazards import Hazard
from knowledge_base.shelters.registry import load_registry
from knowledge_base.shelters.status import Status, set_status
from tests.shelter_support import JOSO_FLOOD_SITES, customs, joso_files, run_action, slot_events, user_turn

SUIDO_STATION = {"latitude": 36.0230, "longitude": 139.9930}  # 水海道駅のあたり


def location_turn(at: float | None = None, **coordinates: float) -> dict:
    coordinates = coordinates or SUIDO_STATION
    payload = "/share_location" + json.dumps(coordinates)
    return user_turn(payload, "share_location", coordinates, at=at)


@pytest.fixture
def joso(monkeypatch: pytest.MonkeyPatch, database_url: str) -> str:
    emergency, shelters = joso_files()
    monkeypatch.setenv("EMERGENCY_SITES_CSV", str(emergency))
    monkeypatch.setenv("SHELTERS_CSV", str(shelters))
    return database_url


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch, database_url: str) -> str:
    monkeypatch.delenv("EMERGENCY_SITES_CSV", raising=False)
    monkeypatch.delenv("SHELTERS_CSV", raising=False)
    return database_url


async def test_a_location_without_a_hazard_outside_disaster_mode_asks_which_hazard(joso: str) -> None:
    turn = location_turn()
    messages, events = await run_action("action_find_shelter", [turn])
    assert len(messages) == 1
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        '/choose_hazard{"hazard": "flood"}',
        '/choose_hazard{"hazard": "landslide"}',
        '/choose_hazard{"hazard": "earthquake"}',
        '/choose_hazard{"hazard": "fire"}',
        '/choose_hazard{"hazard": "inland_flood"}',
    ]
    location = slot_events(events)["shelter_location"]
    assert location == {**SUIDO_STATION, "at": turn["timestamp"], "source": "location"}


async def test_flood_list_is_the_three_nearest_flood_sites_with_distance_address_map_and_status(joso: str) -> None:
    slots = {"shelter_location": {**SUIDO_STATION, "at": time.time(), "source": "location"}}
    messages, events = await run_action(
        "action_find_shelter",
        [user_turn('/choose_hazard{"hazard": "flood"}', "choose_hazard", {"hazard": "flood"})],
        slots,
    )
    [card] = customs(messages, "shelter_list")
    registry = load_registry(*joso_files())
    expected = registry.nearest(SUIDO_STATION["latitude"], SUIDO_STATION["longitude"], Hazard.FLOOD, k=3)
    assert [s["id"] for s in card["sites"]] == [n.place.id for n in expected]
    assert {s["name"] for s in card["sites"]} <= JOSO_FLOOD_SITES
    first = card["sites"][0]
    assert first["distance_m"] == round(expected[0].distance_m)
    assert first["address"] == expected[0].place.address
    assert (
        first["map_url"]
        == f"https://www.google.com/maps/search/?api=1&query={first['latitude']:.6f},{first['longitude']:.6f}"
    )
    assert first["status"] == "未開設" and first["status_code"] == "closed"
    assert card["hazard"] == "flood" and card["demo"] is False
    assert "洪水のときの避難場所（近い順）" in card["text"] and first["name"] in card["text"]
    assert "デモ" not in card["text"]
    assert slot_events(events) == {"hazard": "flood"}
    # Then a short message offers the other ways to search.
    assert [b["title"] for b in messages[-1]["buttons"]] == ["介助が必要な方", "ほかの災害で探す"]


async def test_a_stale_location_is_never_reused(joso: str) -> None:
    now = time.time()
    turn = user_turn('/choose_hazard{"hazard": "flood"}', "choose_hazard", {"hazard": "flood"}, at=now)
    fresh = {"shelter_location": {**SUIDO_STATION, "at": now - 14 * 60, "source": "location"}}
    messages, _ = await run_action("action_find_shelter", [turn], fresh)
    assert customs(messages, "shelter_list")

    stale = {"shelter_location": {**SUIDO_STATION, "at": now - 16 * 60, "source": "location"}}
    messages, events = await run_action("action_find_shelter", [turn], stale)
    [request] = customs(messages, "location_request")
    assert request["text"].startswith("前に送られた位置情報は時間がたっています。")
    assert not customs(messages, "shelter_list")
    assert slot_events(events) == {"hazard": "flood", "shelter_location": None}

    # A location "from the future" (clock skew, tampering) is not trusted either.
    future = {"shelter_location": {**SUIDO_STATION, "at": now + 3600, "source": "location"}}
    messages, _ = await run_action("action_find_shelter", [turn], future)
    assert customs(messages, "location_request")


async def test_a_typed_town_name_locates_the_search_from_the_official_addresses(joso: str) -> None:
    turn = user_turn("豊岡町で洪水のときの避難場所は？", "find_shelter")
    messages, events = await run_action("action_find_shelter", [turn])
    [card] = customs(messages, "shelter_list")
    assert card["hazard"] == "flood" and card["sites"][0]["name"] == "豊岡小学校"
    assert "「豊岡町」の避難場所のあたりからの距離です" in card["note"]
    location = slot_events(events)["shelter_location"]
    assert location["source"] == "town" and location["town"] == "豊岡町"
    # Without a location or a known town, the bot asks for the location (with a town example from the data).
    messages, _ = await run_action("action_find_shelter", [user_turn("避難場所はどこ", "find_shelter")])
    [request] = customs(messages, "location_request")
    assert "位置情報を送ってください" in request["text"] and "新石下" in request["text"]


async def test_residents_who_need_care_are_offered_welfare_shelters_with_a_caveat(joso: str) -> None:
    slots = {"shelter_location": {**SUIDO_STATION, "at": time.time(), "source": "location"}, "hazard": "flood"}
    turn = user_turn('/find_shelter{"need_care": true}', "find_shelter", {"need_care": True})
    messages, events = await run_action("action_find_shelter", [turn], slots)
    [card] = customs(messages, "shelter_list")
    assert [s["name"] for s in card["welfare_sites"]] == ["あすなろの里", "石下総合体育館"]
    assert all(s["welfare"] for s in card["welfare_sites"])
    # The flood list itself is unchanged: never a site without the flood flag.
    assert {s["name"] for s in card["sites"]} <= JOSO_FLOOD_SITES
    assert "福祉避難所" in card["text"] and "洪水の避難場所には指定されていません" in card["text"]
    assert "0297-23-2111" in card["text"]
    assert slot_events(events) == {"need_care": True}
    # Typed words count too.
    typed = user_turn("車いすの母と避難したい。洪水です", "find_shelter")
    messages, events = await run_action("action_find_shelter", [typed], {"shelter_location": slots["shelter_location"]})
    assert customs(messages, "shelter_list")[0]["welfare_sites"] and slot_events(events)["need_care"] is True


async def test_disaster_mode_defaults_to_its_hazard_puts_open_sites_first_and_marks_full_ones(joso: str) -> None:
    disaster_store.switch_on(Alert(Hazard.FLOOD, 4, "鬼怒川が氾濫するおそれがあります"), "test")
    set_status("E0821100027201", Status.OPEN, "test")  # 豊岡小学校, 2.3 km away
    set_status("E0821100013201", Status.FULL, "test")  # 水海道第一高等学校, the nearest
    messages, _ = await run_action("action_find_shelter", [location_turn()])
    [card] = customs(messages, "shelter_list")
    assert card["hazard"] == "flood"
    # Nearest are 水海道第一高 (850 m, full), 水海道小 (1.1 km), 豊岡小 (2.3 km, open), 絹西小 (3.7 km).
    assert [(s["name"], s["status"]) for s in card["sites"]] == [
        ("豊岡小学校", "開設"),
        ("水海道小学校", "未開設"),
        ("絹西小学校", "未開設"),
    ]
    assert card["sites"][0]["status_label"] == "開設中"
    assert "いま 警戒レベル4（避難指示）が出ています。" in card["note"]
    assert "開設中を先に表示" in card["text"]
    # Status changes are effective at once: the next query sees them.
    set_status("E0821100027201", Status.FULL, "test")
    messages, _ = await run_action("action_find_shelter", [location_turn()])
    [card] = customs(messages, "shelter_list")
    assert [s["name"] for s in card["sites"]] == ["水海道小学校", "絹西小学校", "菅原小学校"]
    assert "開設した避難所の情報は、まだありません" in card["note"]
    # Outside disaster mode the nearest come first, full ones marked.
    disaster_store.switch_off("test")
    messages, _ = await run_action("action_find_shelter", [location_turn()], {"hazard": "flood"})
    [card] = customs(messages, "shelter_list")
    assert [(s["name"], s["status"]) for s in card["sites"]] == [
        ("水海道第一高等学校", "満員"),
        ("水海道小学校", "未開設"),
        ("豊岡小学校", "満員"),
    ]
    assert "1. 水海道第一高等学校【満員】" in card["text"]


async def test_far_and_foreign_locations(joso: str) -> None:
    hazard = {"hazard": "flood"}
    tsukuba = location_turn(latitude=36.0820, longitude=140.1100)
    messages, _ = await run_action("action_find_shelter", [tsukuba], hazard)
    [card] = customs(messages, "shelter_list")
    assert len(card["sites"]) == 3 and "常総市の外のようです" in card["note"]

    tokyo = location_turn(latitude=35.6812, longitude=139.7671)
    messages, _ = await run_action("action_find_shelter", [tokyo], hazard)
    assert not customs(messages, "shelter_list")
    assert "近くの避難場所のデータがありません（案内できるのは常総市の避難場所です）" in messages[0]["text"]

    paris = location_turn(latitude=48.8566, longitude=2.3522)
    messages, events = await run_action("action_find_shelter", [paris], hazard)
    [request] = customs(messages, "location_request")
    assert request["text"].startswith("送られた位置は日本の外のようです")
    assert slot_events(events)["shelter_location"] is None


async def test_garbled_coordinates_get_a_location_request_not_an_error(joso: str) -> None:
    turn = user_turn('/share_location{"latitude": "abc", "longitude": 999}', "share_location", {"latitude": "abc"})
    messages, events = await run_action("action_find_shelter", [turn])
    [request] = customs(messages, "location_request")
    assert request["text"].startswith("位置情報を読み取れませんでした")
    assert "shelter_location" not in slot_events(events)


async def test_answers_come_in_the_residents_language(joso: str) -> None:
    # The earlier turn named the hazard (and the action then kept it in the slot); this turn is the location.
    english = user_turn("Where is the nearest shelter for a flood?", "find_shelter")
    messages, _ = await run_action("action_find_shelter", [english, location_turn()], {"hazard": "flood"})
    [card] = customs(messages, "shelter_list")
    assert card["language"] == "en" and "Evacuation sites for: Flood (nearest first)" in card["text"]
    assert card["sites"][0]["status_label"] == "not open"

    portuguese = user_turn("Onde fica o abrigo mais próximo? enchente", "find_shelter")
    messages, _ = await run_action("action_find_shelter", [portuguese, location_turn()], {"hazard": "flood"})
    [card] = customs(messages, "shelter_list")
    assert "Locais de evacuação para: Enchente" in card["text"] and "linha reta" in card["text"]


async def test_demo_data_answers_say_they_are_demo_data(demo: str) -> None:
    messages, _ = await run_action("action_find_shelter", [location_turn()], {"hazard": "flood"})
    [card] = customs(messages, "shelter_list")
    assert card["demo"] is True
    assert card["text"].startswith("【デモデータ】これは架空の避難場所です。")
    assert card["note"].startswith("【デモデータ】")
    assert all(s["name"].startswith("デモ") for s in card["sites"])


async def test_when_the_database_is_down_the_list_still_comes_without_status(
    joso: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/nowhere")
    messages, _ = await run_action("action_find_shelter", [location_turn()], {"hazard": "flood"})
    [card] = customs(messages, "shelter_list")
    assert len(card["sites"]) == 3 and "いまは開設状況を確認できません。" in card["note"]


async def test_unusable_data_gets_an_honest_answer(
    monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path
) -> None:
    monkeypatch.setenv("EMERGENCY_SITES_CSV", str(tmp_path / "missing.csv"))
    messages, _ = await run_action("action_find_shelter", [location_turn()], {"hazard": "flood"})
    assert "避難場所のデータを読み込めません" in messages[0]["text"] and "0297-23-2111" in messages[0]["text"]


# --- alert levels ---------------------------------------------------------------------------------------------


async def test_alert_levels_in_official_wording(demo: str) -> None:
    messages, events = await run_action("action_alert_level", [user_turn("警戒レベルとは", "alert_level")])
    text = messages[0]["text"]
    order = ["【レベル5】緊急安全確保：命の危険 直ちに安全確保！", "【レベル4】避難指示：危険な場所から全員避難"]
    order += [
        "【レベル3】高齢者等避難：危険な場所から高齢者等は避難",
        "【レベル2】大雨・洪水・高潮注意報：自らの避難行動を確認",
    ]
    order += ["【レベル1】早期注意情報：災害への心構えを高める"]
    positions = [text.index(line) for line in order]
    assert positions == sorted(positions)
    assert "警戒レベル4までに必ず避難してください。レベル5を待ってはいけません。" in text
    assert "避難勧告" not in text and "高齢者等避難」が出たら" not in text
    assert [b["payload"] for b in messages[0]["buttons"]] == ['/alert_level{"need_care": true}', "/find_shelter"]
    assert events == []


async def test_alert_levels_personalised_for_residents_who_need_care(demo: str) -> None:
    turn = user_turn("高齢の母がいます。警戒レベル3ではどうすればいい？", "alert_level")
    messages, events = await run_action("action_alert_level", [turn])
    text = messages[0]["text"]
    assert text.startswith("レベル3は「高齢者等避難」です。危険な場所から高齢者等は避難してください。")
    assert "「レベル3 高齢者等避難」が出たら、すぐに避難を始めてください" in text
    assert slot_events(events) == {"need_care": True}
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/find_shelter"]

    english = user_turn("I use a wheelchair. What do the alert levels mean?", "alert_level")
    messages, _ = await run_action("action_alert_level", [english])
    assert "start evacuating as soon as level 3" in messages[0]["text"]
    assert "Level 4: Evacuation Instruction (避難指示, hinan shiji)" in messages[0]["text"]

    portuguese = user_turn("o que significa nível de alerta 4?", "alert_level")
    messages, _ = await run_action("action_alert_level", [portuguese])
    assert messages[0]["text"].startswith("O nível 4 é “Instrução de evacuação (避難指示, hinan shiji)”.")


async def test_alert_levels_mention_the_alert_in_force(demo: str) -> None:
    disaster_store.switch_on(Alert(Hazard.FLOOD, 4, "氾濫のおそれ"), "test")
    messages, _ = await run_action("action_alert_level", [user_turn("/alert_level", "alert_level")])
    assert messages[0]["text"].startswith("いま 警戒レベル4（避難指示）が出ています。")
    assert "119" in messages[0]["text"]


# --- session start --------------------------------------------------------------------------------------------


async def test_session_start_is_rasas_default_outside_disaster_mode(demo: str) -> None:
    messages, events = await run_action("action_session_start", [])
    assert messages == []
    assert [e["event"] for e in events] == ["session_started", "action"]
    assert events[1]["name"] == "action_listen"


async def test_session_start_leads_with_the_alert_and_a_find_shelter_button(demo: str) -> None:
    disaster_store.switch_on(Alert(Hazard.FLOOD, 4, "鬼怒川が氾濫するおそれがあります"), "test")
    messages, events = await run_action("action_session_start", [])
    [alert] = customs(messages, "alert")
    assert alert["level"] == 4 and alert["hazard"] == "flood" and alert["message"] == "鬼怒川が氾濫するおそれがあります"
    assert alert["text"].startswith("【警戒レベル4 避難指示】洪水") and alert["issued_at"]
    assert messages[0]["custom"] is alert  # the alert leads
    assert messages[1]["buttons"] == [{"title": "避難場所をさがす", "payload": "/find_shelter"}]
    assert [e["event"] for e in events] == ["session_started", "action"]


async def test_session_start_carries_slots_over_only_when_the_domain_says_so(demo: str) -> None:
    slots = {"hazard": "flood", "session_started_metadata": {"channel": "web"}}
    _, events = await run_action("action_session_start", [], slots)
    assert [e["event"] for e in events] == ["session_started", "action"]
    domain = {"session_config": {"carry_over_slots_to_new_session": True}}
    _, events = await run_action("action_session_start", [], slots, domain=domain)
    assert [(e["event"], e.get("name")) for e in events] == [
        ("session_started", None),
        ("slot", "hazard"),
        ("action", "action_listen"),
    ]


async def test_another_hazard_button_and_an_unknown_hazard_ask_again_with_the_data_s_hazards(demo: str) -> None:
    slots = {"shelter_location": {**SUIDO_STATION, "at": time.time(), "source": "location"}, "hazard": "flood"}
    messages, events = await run_action("action_find_shelter", [user_turn("/choose_hazard", "choose_hazard")], slots)
    assert messages[0]["text"] == "どの災害のときの避難場所を探しますか？"
    assert [b["title"] for b in messages[0]["buttons"]] == ["洪水", "土砂災害", "地震", "大きな火事", "内水氾濫"]
    assert slot_events(events) == {"hazard": None}
    zombie = user_turn('/choose_hazard{"hazard": "zombie"}', "choose_hazard", {"hazard": "zombie"})
    messages, _ = await run_action("action_find_shelter", [zombie], slots)
    assert messages[0]["text"].startswith("その災害の種類は分かりませんでした。")
    # Earthquake: only the demo places designated for earthquakes, nearest first.
    quake = user_turn('/choose_hazard{"hazard": "earthquake"}', "choose_hazard", {"hazard": "earthquake"})
    messages, events = await run_action("action_find_shelter", [quake], slots)
    [card] = customs(messages, "shelter_list")
    assert card["hazard"] == "earthquake" and slot_events(events) == {"hazard": "earthquake"}
    distances = [s["distance_m"] for s in card["sites"]]
    assert distances == sorted(distances) and len(distances) == 3
