"""Rasa replies rendered for LINE: within LINE's limits (checked by the stand-in's own rules), nothing dropped."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.line import limits
from connectors.line.render import batches, render
from connectors.line.split import split_text
from knowledge_base.texts import text as resident_text
from tests.line_standin import message_problems


def all_text(messages: list[dict[str, Any]]) -> str:
    """Every piece of text a resident can read in these messages (texts, alt texts, flex texts, labels)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("text", "altText", "label", "displayText", "data", "uri") and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(messages)
    return "\n".join(found)


def assert_line_accepts(messages: list[dict[str, Any]]) -> None:
    for group in batches(messages):
        assert message_problems(group) == []


def test_long_text_is_split_at_paragraphs_within_the_limit() -> None:
    paragraphs = [f"第{i}段落。" + "あ" * 1200 for i in range(10)]
    text = "\n\n".join(paragraphs)
    parts = split_text(text)
    assert len(parts) > 1
    assert all(limits.length(part) <= limits.TEXT_LENGTH for part in parts)
    assert "\n\n".join(parts) == text  # cut only at paragraph breaks, nothing lost
    assert all(part.startswith("第") for part in parts)  # each part starts at a paragraph


def test_text_without_breaks_is_cut_hard_and_emoji_count_double() -> None:
    text = "😀" * 3000  # 6,000 UTF-16 units
    parts = split_text(text)
    assert [limits.length(p) for p in parts] == [5000, 1000]
    assert "".join(parts) == text


def test_more_than_five_texts_are_combined_in_order() -> None:
    replies = [{"text": f"メッセージ{i}"} for i in range(8)]
    messages = render(replies)
    assert len(messages) <= limits.MESSAGES_PER_CALL
    combined = all_text(messages)
    positions = [combined.index(f"メッセージ{i}") for i in range(8)]
    assert positions == sorted(positions)
    assert_line_accepts(messages)


def test_what_cannot_be_combined_overflows_to_further_batches_without_loss() -> None:
    shelter = {
        "custom": {
            "kind": "shelter_list",
            "text": "近くの避難場所",
            "hazard": "flood",
            "demo": False,
            "sites": [{"id": "s1", "name": "避難所A", "address": "常総市", "distance_m": 500}],
        }
    }
    replies = [shelter, {"text": "一"}, shelter, {"text": "二"}, shelter, {"text": "三"}, shelter]
    messages = render(replies)
    assert len(messages) == 7  # texts between cards cannot be joined
    groups = batches(messages)
    assert [len(g) for g in groups] == [5, 2]
    assert "quickReply" not in str(groups[0])
    assert_line_accepts(messages)


def test_buttons_become_postback_quick_replies_on_the_last_message() -> None:
    replies = [
        {"text": "答えです"},
        {
            "text": "役に立ちましたか？",
            "buttons": [
                {"title": "👍", "payload": "/feedback_good"},
                {"title": "とても長いボタンの題名で二十文字を超えるもの", "payload": '/select_faq{"faq_id": "x"}'},
            ],
        },
    ]
    messages = render(replies)
    assert "quickReply" not in messages[0]
    items = messages[-1]["quickReply"]["items"]
    actions = [item["action"] for item in items]
    assert [a["type"] for a in actions] == ["postback", "postback"]
    assert actions[0] == {"type": "postback", "label": "👍", "data": "/feedback_good", "displayText": "👍"}
    assert actions[1]["data"] == '/select_faq{"faq_id": "x"}'
    assert limits.length(actions[1]["label"]) <= 20 and actions[1]["label"].endswith("…")
    assert actions[1]["displayText"] == "とても長いボタンの題名で二十文字を超えるもの"
    assert_line_accepts(messages)


def test_more_than_thirteen_buttons_all_go_on_a_card() -> None:
    buttons = [{"title": f"選択肢{i}", "payload": f'/choose{{"n": {i}}}'} for i in range(20)]
    messages = render([{"text": "どれですか？", "buttons": buttons}])
    card = messages[-1]
    assert card["type"] == "flex"
    data = [b["action"]["data"] for b in card["contents"]["body"]["contents"] if b["type"] == "button"]
    assert data == [b["payload"] for b in buttons]
    assert_line_accepts(messages)


def test_thirteen_buttons_fit_a_quick_reply() -> None:
    buttons = [{"title": f"選択肢{i}", "payload": f"/choose{i}"} for i in range(13)]
    messages = render([{"text": "どれですか？", "buttons": buttons}])
    assert len(messages) == 1
    assert len(messages[0]["quickReply"]["items"]) == 13
    assert_line_accepts(messages)


def test_a_payload_line_cannot_carry_is_left_out_loudly(caplog: Any) -> None:
    messages = render([{"text": "t", "buttons": [{"title": "x", "payload": "/" + "a" * 400}]}])
    assert "quickReply" not in messages[0]
    assert "cannot go to LINE" in caplog.text


def test_location_request_offers_send_location_first() -> None:
    custom = {
        "kind": "location_request",
        "text": "いまいる場所を送ってください。",
        "buttons": [{"title": "洪水", "payload": '/choose_hazard{"hazard": "flood"}'}],
    }
    messages = render([{"custom": custom}])
    assert messages[0]["text"] == "いまいる場所を送ってください。"
    actions = [item["action"] for item in messages[0]["quickReply"]["items"]]
    assert actions[0] == {"type": "location", "label": resident_text("line.send_location", "ja")}
    assert actions[1]["data"] == '/choose_hazard{"hazard": "flood"}'
    assert_line_accepts(messages)


def _site(i: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"s{i}",
        "name": f"避難所{i}",
        "address": f"茨城県常総市水海道{i}丁目",
        "latitude": 36.0 + i / 1000,
        "longitude": 139.99,
        "distance_m": 120.0 * i,
        "map_url": f"https://maps.example.org/?q={i}",
        "status": "open",
        "welfare": i == 2,
    } | extra


def test_shelter_list_becomes_a_carousel_and_sites_past_twelve_follow_as_text() -> None:
    custom = {
        "kind": "shelter_list",
        "text": "近くの避難場所です。",
        "hazard": "flood",
        "demo": True,
        "note": "川の近くには行かないでください。",
        "sites": [_site(i) for i in range(1, 14)],
    }
    messages = render([{"custom": custom}])
    assert messages[0]["type"] == "text"
    assert resident_text("line.shelter_demo", "ja") in messages[0]["text"] and "川の近く" in messages[0]["text"]
    carousel = messages[1]
    assert carousel["type"] == "flex" and carousel["altText"] == "近くの避難場所です。"
    bubbles = carousel["contents"]["contents"]
    assert len(bubbles) == 12
    first = all_text([bubbles[0]])
    assert "1. 避難所1" in first and "茨城県常総市水海道1丁目" in first and "開設中" in first
    assert bubbles[0]["footer"]["contents"][0]["action"]["uri"] == "https://maps.example.org/?q=1"
    assert resident_text("line.shelter_welfare", "ja") in all_text([bubbles[1]])
    assert "13. 避難所13" in messages[2]["text"]
    assert_line_accepts(messages)


@pytest.mark.parametrize(
    ("status", "language", "shown"),
    [("未開設", "ja", "未開設"), ("開設", "ja", "開設中"), ("満員", "en", "full"), ("開設", "vi", "đang mở")],
)
def test_a_site_shows_the_contracts_status_in_the_residents_language(status: str, language: str, shown: str) -> None:
    # The contract's `status` is 未開設 / 開設 / 満員 (docs/message-contract.md); no status_label here.
    site = _site(1, status=status)
    custom = {"kind": "shelter_list", "text": "t", "language": language, "sites": [site]}
    bubble = render([{"custom": custom}])[0]["contents"]["contents"][0]
    assert shown in [c["text"] for c in bubble["body"]["contents"]]


def test_the_cards_labels_and_quick_replies_follow_the_turns_language() -> None:
    custom = {"kind": "shelter_list", "text": "t", "language": "ko", "sites": [_site(1, status_label="개설 중")]}
    request = {"kind": "location_request", "text": "위치", "language": "ko"}
    [carousel] = render([{"custom": custom}])
    bubble = carousel["contents"]["contents"][0]
    assert bubble["footer"]["contents"][0]["action"]["label"] == resident_text("line.shelter_map", "ko")
    assert "개설 중" in all_text([bubble]) and "여기서 약 120m" in all_text([bubble])
    [asked] = render([{"custom": request}])
    assert asked["quickReply"]["items"][0]["action"]["label"] == resident_text("line.send_location", "ko")


def test_shelter_sites_with_odd_fields_still_render_safely() -> None:
    site = _site(1, map_url="javascript:alert(1)", distance_m=None, status=None, address="")
    messages = render([{"custom": {"kind": "shelter_list", "text": "t", "sites": [site]}}])
    bubble = messages[0]["contents"]["contents"][0]
    assert "footer" not in bubble  # only http(s) links become buttons
    assert_line_accepts(messages)


def test_faq_answer_alert_and_unknown_kinds_render_as_text() -> None:
    faq = {"kind": "faq_answer", "text": "住民票の写しは市民課で。\n担当：市民課（0297-23-2111）", "entry_id": "x"}
    alert = {"kind": "alert", "text": "【警戒レベル4】避難指示", "level": 4, "hazard": "flood"}
    unknown = {"kind": "brand_new_kind", "text": "新しい形のメッセージ"}
    messages = render([{"custom": faq}, {"custom": alert}, {"custom": unknown}])
    assert [m["text"] for m in messages] == [faq["text"], alert["text"], unknown["text"]]
    composed = render([{"custom": {"kind": "alert", "level": 5, "message": "命の危険"}}])
    assert composed[0]["text"] == "【警戒レベル5】命の危険"


def test_menu_is_offered_only_when_the_turn_brings_no_buttons() -> None:
    menu = [{"type": "location", "label": "📍"}]
    assert render([{"text": "a"}], menu)[-1]["quickReply"]["items"][0]["action"] == menu[0]
    with_buttons = render([{"text": "a", "buttons": [{"title": "b", "payload": "/b"}]}], menu)
    assert [i["action"]["data"] for i in with_buttons[-1]["quickReply"]["items"]] == ["/b"]


def test_images_need_https() -> None:
    assert render([{"image": "https://example.org/a.png"}])[0]["type"] == "image"
    assert render([{"image": "http://example.org/a.png"}])[0] == {"type": "text", "text": "http://example.org/a.png"}
