"""The conversation actions' logic, on rasa-sdk trackers as the action server receives them (the real Rasa
server is exercised in tests/test_conversation_end_to_end.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import actions, menus
from actions.conversation.emergency import (
    emergency_language,
    emergency_tier,
    follow_up_events,
    follow_up_intent,
    line_still_owed,
)
from actions.conversation.handoff import handoff_message
from actions.conversation.office_hours import parse_office_hours
from actions.texts import emergency_line
from knowledge_base.language import SUPPORTED
from knowledge_base.texts import text as resident_text
from tests.faq_support import serve_faq

JST = ZoneInfo("Asia/Tokyo")
HOURS = parse_office_hours({"opens": "08:30", "closes": "17:15", "closed_weekdays": ["sat", "sun"]})

FAQ_FILE = """
department:
  name: 保険年金課
  phone: 0297-00-0000
  hours: 平日 8:30〜17:15
entries:
  - id: kokuho-join
    question: 国民健康保険に入りたい
    answer: テスト用の回答です。
    updated: 2026-11-01
"""


def user(text: str, intent: str = "", ranking: list[tuple[str, float]] | None = None, **extra: Any) -> dict:
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking or []],
        "entities": [],
        "metadata": {"channel": "web"},
    }
    return {"event": "user", "text": text, "parse_data": parse | extra}


def jst(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=JST)


def make_tracker(*turns: dict, slots: dict | None = None, previous_sessions: list[dict] | None = None) -> Tracker:
    events = [*(previous_sessions or []), {"event": "session_started"}]
    for turn in turns:
        events += [{"event": "action", "name": "action_listen"}, turn]
    latest = turns[-1]["parse_data"] if turns else {}
    return Tracker("resident", slots or {}, latest, events, False, None, {}, "action_listen")


async def run(action: Any, tracker: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


@pytest.fixture
def faq_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "hoken.yml").write_text(FAQ_FILE, encoding="utf-8")
    serve_faq(monkeypatch, tmp_path / "faq", tmp_path / "cache")
    return tmp_path / "faq"


# --- texts and menus -------------------------------------------------------------------------------------------


def test_the_emergency_guidance_gives_119_and_110_in_every_language() -> None:
    for lang in SUPPORTED:
        guidance = resident_text("emergency.guidance", lang)
        assert "119" in guidance and "110" in guidance, lang


def test_the_main_menu_offers_procedures_disaster_and_staff() -> None:
    buttons = menus.main_menu_buttons("ja")
    assert [b["title"] for b in buttons] == ["手続き", "避難・防災", "職員に相談"]
    assert [b["payload"] for b in buttons] == [
        '/show_menu{"menu": "procedures"}',
        '/show_menu{"menu": "disaster"}',
        "/human_handoff",
    ]


def test_the_disaster_menu_offers_shelter_search_alert_level_and_disaster_questions() -> None:
    prompt, buttons = menus.menu(menus.DISASTER, "ja")
    payloads = [b["payload"] for b in buttons]
    assert "避難・防災" in prompt
    assert payloads[:2] == ["/find_shelter", "/alert_level"]
    assert "ハザードマップはどこで見られますか" in payloads
    assert payloads[-1] == '/show_menu{"menu": "main"}'


def test_procedure_topics_ask_the_faq_in_the_residents_language_and_fit_a_line_quick_reply() -> None:
    _, ja = menus.menu(menus.PROCEDURES, "ja")
    _, pt = menus.menu(menus.PROCEDURES, "pt")
    _, vi = menus.menu(menus.PROCEDURES, "vi")
    assert "住民票の写しがほしい" in [b["payload"] for b in ja]
    assert "Como tiro o atestado de residência?" in [b["payload"] for b in pt]
    assert "Tôi muốn lấy bản sao phiếu cư trú" in [b["payload"] for b in vi]
    assert not set(b["title"] for b in vi) & set(b["title"] for b in ja)
    assert all(len(buttons) <= 13 for buttons in (ja, pt))
    assert not any(b["payload"].startswith("/select_faq") for b in ja)


# --- greeting and sessions -------------------------------------------------------------------------------------


async def test_a_first_greeting_introduces_the_bot_with_the_main_menu() -> None:
    messages, events = await run(actions.ActionGreet(), make_tracker(user("こんにちは", "greet")))
    assert "常総市のチャットボット" in messages[0]["text"]
    assert [b["title"] for b in messages[0]["buttons"]] == ["手続き", "避難・防災", "職員に相談"]
    assert events == []


async def test_a_resident_who_greets_again_within_the_session_is_not_welcomed_as_new() -> None:
    tracker = make_tracker(user("住民票がほしい", "ask_question"), user("こんにちは", "greet"))
    messages, _ = await run(actions.ActionGreet(), tracker)
    assert "常総市のチャットボット" not in messages[0]["text"]
    assert messages[0]["text"] == resident_text("greeting.again", "ja")
    assert len(messages[0]["buttons"]) == 3


async def test_after_the_session_expired_the_resident_is_greeted_as_new_again() -> None:
    yesterday = [{"event": "session_started"}, user("こんにちは", "greet"), user("住民票", "ask_question")]
    tracker = make_tracker(user("hello", "greet"), previous_sessions=yesterday)
    messages, _ = await run(actions.ActionGreet(), tracker)
    assert messages[0]["text"] == resident_text("greeting.new", "en")
    assert [b["title"] for b in messages[0]["buttons"]] == ["Procedures", "Evacuation & safety", "Talk to staff"]


async def test_a_menu_button_keeps_the_language_the_resident_typed_in() -> None:
    pressed = user('/show_menu{"menu": "procedures"}', "show_menu")
    pressed["parse_data"]["entities"] = [{"entity": "menu", "value": "procedures"}]
    tracker = make_tracker(user("Olá, bom dia, preciso de ajuda com o lixo", "greet"), pressed)
    messages, _ = await run(actions.ActionShowMenu(), tracker)
    assert messages[0]["text"] == resident_text("menu.procedures", "pt")
    assert "Lixo" in [b["title"] for b in messages[0]["buttons"]]


# --- emergency -------------------------------------------------------------------------------------------------


async def test_an_emergency_gets_119_and_110_first_in_japanese() -> None:
    tracker = make_tracker(user("助けて！", "emergency", [("emergency", 1.0), ("greet", 0.05)]))
    messages, events = await run(actions.ActionEmergency(), tracker)
    assert messages[0]["text"] == resident_text("emergency.guidance", "ja")
    assert events == []  # nothing else to handle
    assert "/find_shelter" in [b["payload"] for b in messages[0]["buttons"]]


@pytest.mark.parametrize(
    ("text", "groups", "language"),
    [
        ("Help! There is a fire", ["en_fire", "en_help"], "en"),
        ("Socorro, a água está entrando", ["pt_es_help", "pt_es_water"], "pt"),
        ("¡Ayuda! Hay un incendio", ["pt_es_fire", "pt_es_help"], "es"),
        ("socorro", ["pt_es_help"], "pt"),
        ("cuu toi voi", ["vi"], "vi"),
        ("Tulong! May sunog", ["tl"], "tl"),
        ("救命！房子着火了", ["zh"], "zh"),
        ("火事だ", ["ja_fire"], "ja"),
        ("살려주세요", ["ko"], "ko"),
    ],
)
def test_the_guidance_is_given_in_the_residents_language(text: str, groups: list[str], language: str) -> None:
    assert emergency_language({"text": text, "emergency_words": groups}) == language


async def test_after_the_guidance_a_shelter_search_in_the_same_message_is_handled_next() -> None:
    text = "家に水が入ってきた、避難所はどこ"
    tracker = make_tracker(user(text, "emergency", [("emergency", 1.0), ("find_shelter", 0.55), ("greet", 0.1)]))
    messages, events = await run(actions.ActionEmergency(), tracker)
    assert messages[0]["text"] == resident_text("emergency.guidance", "ja")
    assert messages[0]["buttons"] == []  # the shelter search follows at once
    assert events[0] == {
        "event": "action",
        "name": "action_listen",
        "policy": None,
        "confidence": None,
        "timestamp": None,
    }
    reread = events[1]
    assert reread["event"] == "user" and reread["text"] == text
    assert reread["parse_data"]["intent"] == {"name": "find_shelter", "confidence": 0.55}
    assert reread["metadata"]["after_emergency"] is True
    assert reread["metadata"]["channel"] == "web"


@pytest.mark.parametrize(
    ("ranking", "expected"),
    [
        ([("emergency", 1.0), ("ask_question", 0.4)], "ask_question"),
        ([("emergency", 1.0), ("human_handoff", 0.3)], "human_handoff"),
        ([("emergency", 1.0), ("alert_level", 0.35)], "alert_level"),
        ([("emergency", 1.0), ("find_shelter", 0.26), ("ask_question", 0.22)], None),  # 救急病院はどこ: unsure
        ([("emergency", 1.0), ("greet", 0.6), ("find_shelter", 0.3)], None),  # the best other intent is small talk
        ([("emergency", 1.0), ("find_shelter", 0.1)], None),  # not sure enough
        ([("emergency", 1.0), ("feedback_bad", 0.9)], None),
        ([("emergency", 1.0)], None),
    ],
)
def test_only_safe_and_likely_follow_ups_are_handled_after_an_emergency(
    ranking: list[tuple[str, float]], expected: str | None
) -> None:
    parse = user("x", "emergency", ranking)["parse_data"]
    found = follow_up_intent(parse)
    assert (found or {}).get("name") == expected
    assert bool(follow_up_events(parse)) is (expected is not None)


async def test_a_pressed_emergency_button_is_not_reread() -> None:
    pressed = user("/emergency", "emergency", [("emergency", 1.0), ("ask_question", 0.9)])
    tracker = make_tracker(user("Help!", "emergency"), pressed)
    messages, events = await run(actions.ActionEmergency(), tracker)
    assert events == []
    assert messages[0]["text"] == resident_text("emergency.guidance", "en")


# --- the engine's tiers: sure (full guidance), possible (one line, then the normal answer) ---------------------


def verdict(tier: str, answer_as: str | None = None) -> dict:
    found = {"tier": tier, "words": [], "margin": 0.0}
    return {"emergency": found | ({"answer_as": {"name": answer_as, "confidence": 0.8}} if answer_as else {})}


@pytest.mark.parametrize(
    ("text", "answer_as", "language"),
    [
        ("救急箱の中身を知りたい", "ask_question", "ja"),  # the FAQ answers after the line
        ("where is the shelter if there is a fire", "find_shelter", "en"),  # the shelter search after the line
        ("meu pai está com dor no peito, qual hospital abre à noite", "nlu_fallback", "pt"),  # the retriever decides
        ("こんにちは、火事かも", "greet", "ja"),  # even small talk: the line comes first
    ],
)
async def test_a_possible_emergency_gets_one_119_110_line_then_the_message_as_it_would_have_been_answered(
    text: str, answer_as: str, language: str
) -> None:
    turn = user(text, "emergency", [("emergency", 1.0), (answer_as, 0.8)], **verdict("possible", answer_as))
    messages, events = await run(actions.ActionEmergency(), make_tracker(turn))
    assert messages == [{**messages[0], "text": emergency_line(language), "buttons": []}]
    assert "119" in messages[0]["text"] and "110" in messages[0]["text"]
    assert messages[0]["text"] != resident_text("emergency.guidance", language)
    assert events[0]["event"] == "action" and events[0]["name"] == "action_listen"
    reread = events[1]
    assert reread["text"] == text and reread["parse_data"]["intent"] == {"name": answer_as, "confidence": 0.8}
    assert reread["metadata"]["after_emergency"] is True
    assert "emergency" not in reread["parse_data"]  # the re-read is not judged again


async def test_a_possible_emergency_without_an_intent_to_answer_as_goes_to_the_faq_retriever() -> None:
    turn = user("tulong sa bahay", "emergency", [("emergency", 1.0)], **verdict("possible"))
    messages, events = await run(actions.ActionEmergency(), make_tracker(turn))
    assert messages[0]["text"] == emergency_line("tl")
    assert events[1]["parse_data"]["intent"]["name"] == "nlu_fallback"


async def test_a_sure_emergency_still_gets_the_full_guidance() -> None:
    turn = user("子供が川に落ちた", "emergency", [("emergency", 1.0)], **verdict("sure"))
    messages, _ = await run(actions.ActionEmergency(), make_tracker(turn))
    assert messages[0]["text"] == resident_text("emergency.guidance", "ja")


@pytest.mark.parametrize(
    ("parse", "tier", "owed"),
    [
        ({"intent": {"name": "emergency"}}, "sure", True),  # no verdict (payload, older model): never withheld
        ({"intent": {"name": "ask_question"}}, "none", False),
        ({"intent": {"name": "ask_question"}, **verdict("none")}, "none", False),
        ({"intent": {"name": "emergency"}, **verdict("possible")}, "possible", True),
        # the re-read after action_emergency: the line was given already
        (
            {"intent": {"name": "ask_question"}, "metadata": {"after_emergency": True}, **verdict("possible")},
            "possible",
            False,
        ),
    ],
)
def test_the_actions_read_the_engines_verdict(parse: dict, tier: str, owed: bool) -> None:
    assert emergency_tier(parse) == tier
    assert line_still_owed(parse) is owed


# --- human handoff -------------------------------------------------------------------------------------------


def test_handoff_names_the_department_of_the_last_answer_and_says_it_is_open(faq_dir: Path) -> None:
    message = handoff_message("kokuho-join", "ja", jst(2026, 11, 25, 10, 0), HOURS)
    assert message.splitlines() == [
        "保険年金課にお電話でご相談ください。",
        "📞 0297-00-0000",
        "受付：平日 8:30〜17:15（土日・祝日・年末年始はお休み）",
        "いまは受付時間内です。",
    ]


def test_handoff_without_an_answer_gives_the_city_main_number_and_the_next_opening(faq_dir: Path) -> None:
    saturday_evening = jst(2026, 11, 28, 19, 0)
    message = handoff_message(None, "ja", saturday_evening, HOURS)
    assert "常総市役所（代表）" in message and "0297-23-2111" in message
    assert "いまは受付時間外です。次の受付は 11月30日（月）8:30 からです。" in message
    unknown = handoff_message("no-such-entry", "ja", saturday_evening, HOURS)
    assert "0297-23-2111" in unknown


def test_handoff_in_english_and_portuguese(faq_dir: Path) -> None:
    closed = jst(2026, 12, 30, 11, 0)
    english = handoff_message(None, "en", closed, HOURS)
    assert english.startswith("Please call Joso City Hall (main number).")
    assert "It opens again on Mon 1/4, 8:30." in english
    portuguese = handoff_message("kokuho-join", "pt", closed, HOURS)
    assert portuguese.startswith("Ligue para 保険年金課.")
    assert "seg 4/1, 8:30" in portuguese


async def test_the_handoff_action_uses_the_faq_id_slot(faq_dir: Path) -> None:
    tracker = make_tracker(user("職員と話したい", "human_handoff"), slots={"faq_id": "kokuho-join"})
    messages, _ = await run(actions.ActionHumanHandoff(), tracker)
    assert "保険年金課" in messages[0]["text"] and "0297-00-0000" in messages[0]["text"]


# --- feedback, out of scope, bot challenge ---------------------------------------------------------------------


async def test_feedback_is_recorded_with_the_entry_and_nothing_personal(database_url: str) -> None:
    good = make_tracker(user("/feedback_good", "feedback_good"), slots={"faq_id": "juminhyo-copy"})
    messages, _ = await run(actions.ActionFeedbackGood(), good)
    assert messages[0]["text"] == resident_text("feedback.thanks", "ja")

    bad_turn = user('/feedback_bad{"faq_id": "tennyu"}', "feedback_bad")
    bad_turn["parse_data"]["entities"] = [{"entity": "faq_id", "value": "tennyu"}]
    bad = make_tracker(user("How do I move in?", "ask_question"), bad_turn, slots={"faq_id": "juminhyo-copy"})
    messages, _ = await run(actions.ActionFeedbackBad(), bad)
    assert messages[0]["text"] == resident_text("feedback.sorry", "en")
    assert "/human_handoff" in [b["payload"] for b in messages[0]["buttons"]]

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT rating, entry_id, channel, language, created_at FROM conversation_feedback ORDER BY id"
        ).fetchall()
        columns = [c.name for c in conn.execute("SELECT * FROM conversation_feedback LIMIT 0").description]
    assert [r[:4] for r in rows] == [("good", "juminhyo-copy", "web", "ja"), ("bad", "tennyu", "web", "en")]
    assert all(abs((dt.datetime.now(dt.UTC) - r[4]).total_seconds()) < 60 for r in rows)
    assert columns == ["id", "created_at", "rating", "entry_id", "channel", "language"]  # no user id, no text


async def test_feedback_still_thanks_the_resident_when_the_database_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/nowhere")
    messages, events = await run(actions.ActionFeedbackGood(), make_tracker(user("👍", "feedback_good")))
    assert messages[0]["text"] == resident_text("feedback.thanks", "ja")
    assert events == []


async def test_out_of_scope_says_what_the_bot_can_do_with_the_menu_and_no_answer() -> None:
    messages, _ = await run(actions.ActionOutOfScope(), make_tracker(user("明日の天気は？", "out_of_scope")))
    assert len(messages) == 1
    assert "手続き" in messages[0]["text"] and "避難・防災" in messages[0]["text"]
    assert [b["title"] for b in messages[0]["buttons"]] == ["手続き", "避難・防災", "職員に相談"]


async def test_bot_challenge_says_it_is_the_citys_automated_assistant() -> None:
    messages, _ = await run(actions.ActionBotChallenge(), make_tracker(user("are you a bot?", "bot_challenge")))
    assert "Joso City's automated assistant" in messages[0]["text"]
    assert messages[0]["buttons"] == [{"title": "Talk to staff", "payload": "/human_handoff"}]
