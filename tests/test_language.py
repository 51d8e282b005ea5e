import pytest

from knowledge_base.language import detect_language


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
