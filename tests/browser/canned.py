"""Bot messages of every kind in docs/message-contract.md, for the renderer tests.

Test data only (not facts about the city). Button payloads are `/greet`, which the live bot answers on
every branch, so pressing one is a real turn.
"""

from __future__ import annotations

from typing import Any

XSS_TEXT = '<img src=x onerror="alert(1)"><script>alert(2)</script><b>太字ではない</b>'

FAQ_ANSWER: dict[str, Any] = {
    "custom": {
        "kind": "faq_answer",
        "text": "（テスト）答えの本文。担当：テスト課",
        "entry_id": "test-entry",
        "question": "テスト用の質問ですか？",
        "answer": "はい、テスト用の答えです。\n二行目もあります。くわしくは https://example.org/faq/test を見て。",
        "department": "テスト課",
        "phone": "0297-23-2111（代表）",
        "hours": "テスト用の受付時間",
        "url": "https://example.org/faq/test",
        "updated": "2024-04-01",
        "language": "ja",
        "translated_from_ja": False,
    },
    "buttons": [
        {"title": "関連する質問（テスト）", "payload": "/greet"},
        {"title": "👍 役に立った", "payload": "/greet"},
    ],
}

FAQ_ANSWER_TRANSLATED: dict[str, Any] = {
    "custom": FAQ_ANSWER["custom"]
    | {
        "question": "Is this a test question?",
        "answer": "Yes, this is a test answer.",
        "language": "en",
        "translated_from_ja": True,
        "url": None,
    }
}

LOCATION_REQUEST: dict[str, Any] = {
    "custom": {
        "kind": "location_request",
        "text": "いまいる場所を教えてください。近くの避難場所をさがします。",
        "buttons": [{"title": "洪水のとき（テスト）", "payload": "/greet"}],
    }
}

SHELTER_LIST: dict[str, Any] = {
    "custom": {
        "kind": "shelter_list",
        "text": "（テスト）近くの避難場所: テスト避難場所A 約850m、テスト避難場所B 約2.4km",
        "hazard": "flood",
        "demo": True,
        "note": "（テスト）川から離れた場所へ。",
        "sites": [
            {
                "id": "test-a",
                "name": "テスト避難場所A",
                "address": "テスト町1-1",
                "latitude": 36.02,
                "longitude": 139.99,
                "distance_m": 850,
                "map_url": "https://example.org/map?lat=36.02&lon=139.99",
                "status": "open",
                "welfare": False,
            },
            {
                "id": "test-b",
                "name": "テスト避難場所B",
                "address": "テスト町2-2",
                "latitude": 36.03,
                "longitude": 139.98,
                "distance_m": 2400,
                "map_url": "javascript:alert(3)",
                "status": "unknown",
                "welfare": True,
            },
        ],
    }
}


def alert(level: int) -> dict[str, Any]:
    return {
        "custom": {
            "kind": "alert",
            "text": f"（テスト）警戒レベル{level}",
            "level": level,
            "hazard": "flood",
            "message": "（テスト）危険な場所から避難してください。",
            "issued_at": "2025-09-10T06:15:00+09:00",
        }
    }


UNKNOWN_KIND: dict[str, Any] = {"custom": {"kind": "future_kind", "text": "（テスト）知らない種類はテキストで表示。"}}

# What a hostile or broken payload may carry: markup in every text field, a javascript: link.
XSS_FROM_SERVER: list[dict[str, Any]] = [
    {"text": XSS_TEXT},
    {
        "custom": FAQ_ANSWER["custom"]
        | {"question": XSS_TEXT, "answer": XSS_TEXT, "department": XSS_TEXT, "url": "javascript:alert(4)"}
    },
    {"buttons": [{"title": XSS_TEXT, "payload": "/greet"}]},
]

EVERY_KIND: list[dict[str, Any]] = [
    alert(4),
    {"text": "（テスト）ふつうのテキストです。\n電話は 0297-23-2111 です。"},
    FAQ_ANSWER,
    SHELTER_LIST,
    UNKNOWN_KIND,
    LOCATION_REQUEST,
]
