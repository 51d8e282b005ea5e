"""What the resident reads: short, plain Japanese."""

from __future__ import annotations

from knowledge_base.catalog import CITY_MAIN_PHONE, FaqEntry


def answer_card_text(entry: FaqEntry) -> str:
    lines = [entry.answer, "", f"担当：{entry.department}（{entry.phone}）", f"受付：{entry.hours}"]
    if entry.url:
        lines.append(f"くわしく：{entry.url}")
    lines.append(f"（{entry.updated.year}年{entry.updated.month}月{entry.updated.day}日 更新）")
    return "\n".join(lines)


def no_answer_text() -> str:
    return f"すみません、その質問にはまだお答えできません。常総市役所（代表 {CITY_MAIN_PHONE}）にお問い合わせください。"
