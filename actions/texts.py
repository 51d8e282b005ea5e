"""What the resident reads from the FAQ actions: short, plain, kind; in their language when we can.

Japanese first. For the languages of Joso's foreign residents (knowledge_base.language.SUPPORTED) each
fixed sentence has a translation; the FAQ answers themselves are translated in the YAML where staff wrote
a translation, and otherwise shown in Japanese with a one-line notice in the resident's language.
"""

from __future__ import annotations

from knowledge_base.catalog import CITY_MAIN_PHONE, FaqEntry


def _pick(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts["ja"]


# ---- the answer card
_LABELS = {
    "ja": ("担当", "電話", "受付", "くわしく", "更新"),
    "en": ("Contact", "Phone", "Hours", "More", "Updated"),
    "pt": ("Setor", "Telefone", "Horário", "Mais", "Atualizado"),
    "es": ("Sección", "Teléfono", "Horario", "Más", "Actualizado"),
    "zh": ("负责部门", "电话", "受理时间", "详情", "更新"),
    "vi": ("Bộ phận", "Điện thoại", "Giờ làm việc", "Chi tiết", "Cập nhật"),
    "tl": ("Opisina", "Telepono", "Oras", "Dagdag", "Na-update"),
    "ko": ("담당", "전화", "접수 시간", "자세히", "갱신"),
}


def _date(entry: FaqEntry, language: str) -> str:
    day = entry.updated
    if language in ("ja", "zh"):
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def answer_card_text(entry: FaqEntry, language: str = "ja", answer: str | None = None) -> str:
    """The plain-text form of an answer card (every channel can show it); `language` of the answer text."""
    contact, phone, hours, more, updated = _LABELS.get(language, _LABELS["ja"])
    colon = "：" if language in ("ja", "zh") else ": "
    lines = [
        answer or entry.answer,
        "",
        f"{contact}{colon}{entry.department}",
        f"{phone}{colon}{entry.phone}",
        f"{hours}{colon}{entry.hours}",
    ]
    if entry.url:
        lines.append(f"{more}{colon}{entry.url}")
    lines.append(
        f"（{_date(entry, language)} {updated}）"
        if language in ("ja", "zh")
        else f"({updated}: {_date(entry, language)})"
    )
    return "\n".join(lines)


JAPANESE_ONLY = {
    "en": "Sorry, this answer is only available in Japanese.",
    "pt": "Desculpe, esta resposta só está disponível em japonês.",
    "es": "Lo siento, esta respuesta solo está disponible en japonés.",
    "zh": "抱歉，这个回答只有日语版本。",
    "vi": "Xin lỗi, câu trả lời này chỉ có bằng tiếng Nhật.",
    "tl": "Paumanhin, ang sagot na ito ay nasa wikang Hapon lamang.",
    "ko": "죄송합니다. 이 답변은 일본어로만 제공됩니다.",
}


def japanese_only_notice(language: str) -> str | None:
    """One line in the resident's language saying the answer below is in Japanese (None for Japanese)."""
    return JAPANESE_ONLY.get(language)


# ---- after the card: related questions and feedback
_FOLLOW_UP = {
    "ja": "この答えは役に立ちましたか？",
    "en": "Was this answer helpful?",
    "pt": "Esta resposta foi útil?",
    "es": "¿Le fue útil esta respuesta?",
    "zh": "这个回答对您有帮助吗？",
    "vi": "Câu trả lời này có hữu ích không?",
    "tl": "Nakatulong ba ang sagot na ito?",
    "ko": "이 답변이 도움이 되었나요?",
}
_FOLLOW_UP_RELATED = {
    "ja": "関連する質問もどうぞ。",
    "en": "Related questions are below.",
    "pt": "Veja também as perguntas relacionadas.",
    "es": "Vea también las preguntas relacionadas.",
    "zh": "也可以看看相关问题。",
    "vi": "Bạn cũng có thể xem các câu hỏi liên quan.",
    "tl": "Narito rin ang mga kaugnay na tanong.",
    "ko": "관련 질문도 확인해 보세요.",
}
_HELPFUL = {
    "ja": ("👍 役に立った", "👎 役に立たなかった"),
    "en": ("👍 Helpful", "👎 Not helpful"),
    "pt": ("👍 Útil", "👎 Não ajudou"),
    "es": ("👍 Útil", "👎 No me ayudó"),
    "zh": ("👍 有帮助", "👎 没有帮助"),
    "vi": ("👍 Hữu ích", "👎 Không hữu ích"),
    "tl": ("👍 Nakatulong", "👎 Hindi nakatulong"),
    "ko": ("👍 도움이 됨", "👎 도움이 안 됨"),
}


def follow_up_text(language: str, has_related: bool) -> str:
    text = _pick(_FOLLOW_UP, language)
    if has_related:
        text = _pick(_FOLLOW_UP_RELATED, language) + ("" if language in ("ja", "zh") else " ") + text
    return text


def feedback_titles(language: str) -> tuple[str, str]:
    return _HELPFUL.get(language, _HELPFUL["ja"])


# ---- did you mean
_DID_YOU_MEAN = {
    "ja": "もしかして、次のどれかですか？ちがうときは、別の言葉で聞いてください。",
    "en": "Did you mean one of these? If not, please ask in other words.",
    "pt": "Você quis dizer uma destas? Se não, pergunte com outras palavras.",
    "es": "¿Quiso decir una de estas? Si no, pregunte con otras palabras.",
    "zh": "您是想问下面的问题吗？如果不是，请换个说法再问一次。",
    "vi": "Có phải bạn muốn hỏi một trong các câu sau? Nếu không, hãy hỏi bằng cách khác.",
    "tl": "Ito ba ang ibig mong sabihin? Kung hindi, magtanong sa ibang salita.",
    "ko": "혹시 다음 중 하나인가요? 아니라면 다른 말로 물어봐 주세요.",
}


def did_you_mean_text(language: str, emergency: bool = False) -> str:
    return _with_emergency(_pick(_DID_YOU_MEAN, language), language, emergency)


# ---- no answer
_NO_ANSWER = {
    "ja": (
        f"すみません、その質問には、まだお答えできません。常総市役所（代表 {CITY_MAIN_PHONE}）に"
        "お問い合わせください。\nこの質問は、答えを増やすために記録します（名前や電話番号などは消して残します）。"
    ),
    "en": (
        f"Sorry, I cannot answer that yet. Please call Joso City Hall (main line {CITY_MAIN_PHONE}).\n"
        "We keep your question, without personal details, to add more answers."
    ),
    "pt": (
        f"Desculpe, ainda não sei responder isso. Ligue para a Prefeitura de Joso ({CITY_MAIN_PHONE}).\n"
        "Guardamos sua pergunta, sem dados pessoais, para criar mais respostas."
    ),
    "es": (
        f"Lo siento, todavía no puedo responder eso. Llame al Ayuntamiento de Joso ({CITY_MAIN_PHONE}).\n"
        "Guardamos su pregunta, sin datos personales, para añadir más respuestas."
    ),
    "zh": (
        f"抱歉，暂时无法回答这个问题。请致电常总市政府（总机 {CITY_MAIN_PHONE}）。\n"
        "我们会删除个人信息后记录您的问题，用来增加回答。"
    ),
    "vi": (
        f"Xin lỗi, tôi chưa trả lời được câu hỏi này. Vui lòng gọi Tòa thị chính Joso ({CITY_MAIN_PHONE}).\n"
        "Câu hỏi của bạn được lưu lại (đã xóa thông tin cá nhân) để bổ sung câu trả lời."
    ),
    "tl": (
        f"Paumanhin, hindi ko pa iyan masasagot. Tumawag sa Joso City Hall ({CITY_MAIN_PHONE}).\n"
        "Itinatala namin ang tanong mo, nang walang personal na impormasyon, para magdagdag ng mga sagot."
    ),
    "ko": (
        f"죄송합니다. 아직 그 질문에는 답할 수 없습니다. 조소시청(대표 {CITY_MAIN_PHONE})으로 문의해 주세요.\n"
        "답변을 늘리기 위해 개인정보를 지운 뒤 질문을 기록합니다."
    ),
}


def no_answer_text(language: str = "ja", emergency: bool = False) -> str:
    return _with_emergency(_pick(_NO_ANSWER, language), language, emergency)


# ---- a button whose entry is gone (the FAQ changed since the button was shown)
_ENTRY_GONE = {
    "ja": "すみません、その質問は見つかりませんでした。もう一度、聞いてください。",
    "en": "Sorry, that question is no longer available. Please ask again.",
    "pt": "Desculpe, essa pergunta não está mais disponível. Pergunte novamente.",
    "es": "Lo siento, esa pregunta ya no está disponible. Pregunte de nuevo.",
    "zh": "抱歉，找不到这个问题了。请重新提问。",
    "vi": "Xin lỗi, câu hỏi đó không còn nữa. Vui lòng hỏi lại.",
    "tl": "Paumanhin, wala na ang tanong na iyon. Magtanong ulit.",
    "ko": "죄송합니다. 그 질문을 찾을 수 없습니다. 다시 물어봐 주세요.",
}


def entry_gone_text(language: str) -> str:
    return _pick(_ENTRY_GONE, language)


# ---- emergencies: a chatbot is not an emergency line
_EMERGENCY_LINE = {
    "ja": "緊急のときは、すぐに 119（火事・救急）か 110（事件・事故）に電話してください。",
    "en": "In an emergency, call 119 (fire, ambulance) or 110 (police) now.",
    "pt": "Em emergência, ligue já para 119 (incêndio, ambulância) ou 110 (polícia).",
    "es": "En una emergencia, llame ya al 119 (incendio, ambulancia) o al 110 (policía).",
    "zh": "紧急情况请立即拨打 119（火灾、急救）或 110（报警）。",
    "vi": "Khi khẩn cấp, hãy gọi ngay 119 (cháy, cấp cứu) hoặc 110 (cảnh sát).",
    "tl": "Kung emergency, tumawag agad sa 119 (sunog, ambulansya) o 110 (pulis).",
    "ko": "긴급할 때는 바로 119(화재·구급) 또는 110(경찰)에 전화하세요.",
}


def emergency_line(language: str) -> str:
    """The one-line 119/110 hint, for a message the engine finds possibly an emergency."""
    return _pick(_EMERGENCY_LINE, language)


def _with_emergency(text: str, language: str, emergency: bool) -> str:
    return f"{_pick(_EMERGENCY_LINE, language)}\n{text}" if emergency else text
