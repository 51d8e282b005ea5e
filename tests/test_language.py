import pytest

from connectors.replies import turn_language
from knowledge_base.language import answer_language, detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("住民票がほしい", "ja"),
        ("じゅうみんひょう とりたい", "ja"),
        ("住民票発行", "ja"),
        ("ジュウミンヒョウ", "ja"),
        ("How do I get a residence certificate?", "en"),
        ("Where is city hall", "en"),
        ("Como faço para tirar o atestado de residência?", "pt"),
        ("Onde fica a prefeitura?", "pt"),
        ("¿Dónde está el ayuntamiento?", "es"),
        ("Necesito sacar el certificado de residencia", "es"),
        ("我需要办理住民票", "zh"),
        ("市政府在哪里？", "zh"),
        ("Tôi muốn lấy giấy chứng nhận cư trú", "vi"),
        ("Paano kumuha ng residence certificate?", "tl"),
        ("주민표를 발급받고 싶어요", "ko"),
        ("xin chào", "vi"),
        ("toi muon lay giay chung nhan cu tru", "vi"),
        ("你好", "zh"),
        ("谢谢", "zh"),
        ("？？", "ja"),
        ("", "ja"),
    ],
)
def test_detects_the_languages_of_joso_residents(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_answer_language_keeps_the_conversations_language_on_a_message_that_shows_none() -> None:
    assert answer_language(["119", "Mitsukaido", "Tôi muốn tìm nơi sơ tán", "こんにちは"]) == "vi"
    assert answer_language(["Obrigado", "Tôi muốn tìm nơi sơ tán"]) == "pt"
    assert answer_language(["119"]) == "ja"
    assert answer_language(["119"], default=None) is None
    assert answer_language([], default="ko") == "ko"


def test_a_channel_takes_the_turns_language_from_the_payloads_then_the_typed_text_then_its_memory() -> None:
    shelters = [{"text": "..."}, {"custom": {"kind": "shelter_list", "language": "tl"}}]
    assert turn_language(shelters, "日本語で書いた") == "tl"
    assert turn_language([{"text": "..."}], "Onde fica o abrigo?") == "pt"
    assert turn_language([{"text": "..."}], '/show_menu{"menu": "main"}', remembered="ko") == "ko"
    assert turn_language([{"text": "..."}], '/show_menu{"menu": "main"}') is None
    # An FAQ card declares the language of its answer, which may be a fallback: it does not decide.
    assert turn_language([{"custom": {"kind": "faq_answer", "language": "ja"}}], "Paano kumuha ng juminhyo?") == "tl"
