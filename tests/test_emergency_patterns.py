"""Emergency words (bot/components/emergency_patterns.py): what must always trigger the 119/110 guidance, and the
knowledge or paperwork questions that must not."""

from __future__ import annotations

import pytest

from bot.components.emergency_patterns import find_emergency, fold_accents, is_emergency, normalize
from bot.components.follow_up_cues import follow_up_cue

LIVE = [
    # the issue's own words
    "助けて",
    "火事です",
    "人が流される",
    "逃げられない",
    "救急車をお願いします",
    "父の意識がない",
    "家に水が入ってきた",
    "トイレに閉じ込められた",
    # kana-only and katakana, full-width, spacing
    "たすけてー",
    "タスケテ",
    "いしきがない",
    "みずがはいってきた",
    "ＳＯＳ",
    "１１９番してください",
    # other ways of saying it
    "隣の家から煙が出ている",
    "台所が燃えている",
    "息をしていない",
    "屋根の上に取り残されました",
    "孫が川で溺れた",
    "祖母が倒れて動けません",
    "血が止まらない",
    "強盗に襲われた",
    "交通事故にあった",
    "水かさがどんどん増えている",
    # English
    "Help!",
    "help me please",
    "Please help, water is coming in",
    "There's a fire next door",
    "my neighbor is unconscious",
    "we can't get out of the house",
    "Call an ambulance",
    "I'm trapped in my car",
    "someone is drowning",
    "emergency!",
    # Portuguese and Spanish, with and without accents
    "Socorro!",
    "me ajuda, estou preso",
    "a agua esta entrando em casa",
    "Minha casa está pegando fogo",
    "Ele desmaiou",
    "¡Ayuda!",
    "¡Auxilio!",
    "hay un incendio en mi casa",
    "estamos atrapados",
    "no puedo salir, el agua está subiendo",
    # Vietnamese (with and without accents), Tagalog, Chinese, Korean
    "Cứu tôi với",
    "cuu toi voi",
    "nhà tôi bị cháy",
    "gọi xe cấp cứu",
    "Tulong po!",
    "May sunog sa kapitbahay",
    "nalulunod ang bata",
    "救命啊",
    "我家着火了",
    "我被困在家里",
    "도와주세요",
    "불이 났어요",
]

NOT_EMERGENCIES = [
    # evacuation-system terms that contain 緊急 or name a level
    "指定緊急避難場所ってなに",
    "緊急安全確保とは",
    "警戒レベル4って何",
    # paperwork and knowledge
    "火災保険の手続き",
    "住宅用火災警報器の設置について",
    "燃えるごみの日はいつ",
    "水道の水が来ていない",
    "住民票がほしい",
    "避難所はどこ",
    "ハザードマップはどこで見られますか",
    "非常持出品は何を用意すればいい",
    # "help" that is not a call for help
    "can you help me?",
    "can you help me with the garbage?",
    "that did not help",
    "the answer didn't help me",
    "What should I put in an emergency bag?",
    "Where is the emergency evacuation site?",
    "fire insurance",
    "necesito ayuda con el trámite",
    "me ajuda com o lixo?",
    "Como peço o auxílio infantil?",
    "Você é um robô?",
    "hasta luego",
    "até logo",
    "xin chào",
    "你好",
]


@pytest.mark.parametrize("text", LIVE)
def test_live_emergencies_are_found(text: str) -> None:
    assert is_emergency(text), text


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_knowledge_and_paperwork_questions_are_not_emergencies(text: str) -> None:
    assert find_emergency(text) == [], text


def test_a_question_that_names_a_live_danger_still_gets_the_guidance_first() -> None:
    # Documented decision: it could be live, and the guidance costs one short message.
    assert is_emergency("火事の時の避難場所はどこ")
    assert is_emergency("救急病院はどこですか")


def test_matches_name_their_group_so_the_action_can_tell_the_language() -> None:
    assert {m.group for m in find_emergency("救命")} == {"zh"}
    assert {m.group for m in find_emergency("cuu toi")} == {"vi"}
    assert {m.group for m in find_emergency("火事だ")} == {"ja_fire"}


def test_normalization_folds_width_case_and_katakana_and_accents() -> None:
    assert normalize("ＴＡＳＵＫＥＴＥ　タスケテ") == "tasukete たすけて"
    assert fold_accents("água está, cứu, đi") == "agua esta, cuu, di"
    assert find_emergency("") == []
    assert find_emergency("   ") == []


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("家に水が入ってきた、避難所はどこ", "find_shelter"),
        ("Help! Where is the nearest shelter?", "find_shelter"),
        ("socorro, onde tem abrigo", "find_shelter"),
        ("水が来た。警戒レベルはいくつ？", "alert_level"),
        ("火事です、職員と話したい", "human_handoff"),
        ("助けて", None),
        ("Help!", None),
    ],
)
def test_follow_up_cues_name_what_else_an_emergency_message_asks(text: str, intent: str | None) -> None:
    assert follow_up_cue(text) == intent
