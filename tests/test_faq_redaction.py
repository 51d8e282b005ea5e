"""Personal data never reaches the stored misses: what the redaction removes, and what it keeps."""

from __future__ import annotations

import pytest

from knowledge_base.retrieval.redaction import redact


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("私の電話番号は090-1234-5678です", "私の電話番号は［電話番号］です"),
        ("０２９７－２３－２１１１につながらない", "［電話番号］につながらない"),
        ("携帯 09012345678 まで", "携帯 ［電話番号］ まで"),
        ("0297(23)2111", "［電話番号］"),
        ("+81 90-1234-5678", "［電話番号］"),
        ("メールは taro.yamada@example.co.jp です", "メールは ［メール］ です"),
        ("〒303-0021 に住んでいます", "［郵便番号］ に住んでいます"),
        ("郵便番号は303-0021です", "郵便番号は［郵便番号］です"),
        ("マイナンバーは1234 5678 9012です", "マイナンバーは［個人番号］です"),
        ("個人番号123456789012", "個人番号［個人番号］"),
        ("口座番号 1234567", "口座番号 ［番号］"),
        ("水海道諏訪町3222番地3に住んでいます", "［住所］に住んでいます"),
        ("住所は水海道諏訪町3222-3です", "住所は［住所］です"),
        ("新石下1丁目2番3号のアパート", "［住所］のアパート"),
        ("私は山田太郎です。住民票がほしい", "私は［名前］です。住民票がほしい"),
        ("名前は佐藤花子、住所変更したい", "名前は［名前］、住所変更したい"),
        ("私の名前はグエン・ヴァン・アンです", "私の名前は［名前］です"),
        ("鈴木と申します。児童手当について", "［名前］と申します。児童手当について"),
        ("生年月日は昭和50年1月2日です", "生年月日は［生年月日］です"),
        (
            "My name is Maria Santos and I need a residence certificate",
            "My name is ［名前］ and I need a residence certificate",
        ),
        ("Meu nome é João Silva, preciso de ajuda", "Meu nome é ［名前］, preciso de ajuda"),
        ("Me llamo Carlos, necesito ayuda", "Me llamo ［名前］, necesito ayuda"),
        ("Tôi tên là Nguyen Van An", "Tôi tên là ［名前］"),
    ],
)
def test_personal_data_is_replaced(question: str, expected: str) -> None:
    assert redact(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "私は転入したいです",
        "2015年9月10日の水害について",
        "警戒レベル4とは",
        "児童手当は月いくら",
        "粗大ごみを3個出したい",
        "How do I get a residence certificate?",
    ],
)
def test_questions_without_personal_data_are_kept(question: str) -> None:
    assert redact(question) == question
