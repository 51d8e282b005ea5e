"""Everything the conversation actions say, per language.

Japanese is the reference and always present; English, Portuguese and Spanish are given for every text (the
languages most of Joso's foreign residents write in); the emergency guidance exists in every language
knowledge_base.language detects. A language without a text falls back to Japanese (plain words, short lines).
Facts stay general: the only numbers here are the national emergency numbers and the city's main number.
"""

from __future__ import annotations

from knowledge_base.catalog.model import CITY_MAIN_PHONE

FALLBACK_LANGUAGE = "ja"
# Languages every general text is written in (tests/test_conversation_texts.py checks it).
GENERAL_LANGUAGES = ("ja", "en", "pt", "es")

TEXTS: dict[str, dict[str, str]] = {
    "greeting_new": {
        "ja": "こんにちは。常総市のチャットボットです。市役所の手続きや、避難・防災のことをご案内します。"
        "下のボタンから選ぶか、ふだんの言葉で質問してください。",
        "en": "Hello. This is Joso City's chatbot. I can help with city procedures and with evacuation and "
        "disaster safety. Choose a button below or ask in your own words.",
        "pt": "Olá. Este é o chatbot da Cidade de Joso. Posso ajudar com os trâmites da prefeitura e com "
        "evacuação e prevenção de desastres. Escolha um botão abaixo ou pergunte com suas palavras.",
        "es": "Hola. Este es el chatbot de la ciudad de Joso. Puedo ayudar con los trámites municipales y con "
        "la evacuación y la prevención de desastres. Elija un botón o pregunte con sus palabras.",
    },
    "greeting_again": {
        "ja": "はい、どうぞ。知りたいことを、ボタンから選ぶか、ふだんの言葉で聞いてください。",
        "en": "Yes, go ahead. Choose a button or ask in your own words.",
        "pt": "Sim, pode perguntar. Escolha um botão ou pergunte com suas palavras.",
        "es": "Sí, adelante. Elija un botón o pregunte con sus palabras.",
    },
    "menu_main": {
        "ja": "何についてお調べしますか？",
        "en": "What would you like to know about?",
        "pt": "Sobre o que você quer saber?",
        "es": "¿Sobre qué quiere saber?",
    },
    "menu_procedures": {
        "ja": "どの手続きについて知りたいですか？ ここにないことも、ふだんの言葉で聞いてください。",
        "en": "Which procedure would you like to know about? You can also ask about anything else in your own words.",
        "pt": "Sobre qual trâmite você quer saber? Também pode perguntar outras coisas com suas palavras.",
        "es": "¿Sobre qué trámite quiere saber? También puede preguntar otras cosas con sus palabras.",
    },
    "menu_disaster": {
        "ja": "避難・防災について、何を知りたいですか？",
        "en": "What would you like to know about evacuation and disaster safety?",
        "pt": "O que você quer saber sobre evacuação e prevenção de desastres?",
        "es": "¿Qué quiere saber sobre evacuación y prevención de desastres?",
    },
    "emergency": {
        "ja": "【緊急のとき】いますぐ電話してください。\n"
        "🚒 火事・けが・急病・水で逃げられない：119\n"
        "🚓 事件・事故：110\n"
        "このチャットでは通報できません。電話できないときは、大きな声や音で、まわりの人に知らせてください。",
        "en": "EMERGENCY: call now.\n"
        "🚒 Fire, injury, sudden illness, trapped by water: 119\n"
        "🚓 Crime, accident: 110\n"
        "This chat cannot call for help. If you cannot call, shout or make noise so that people nearby know.",
        "pt": "EMERGÊNCIA: ligue agora.\n"
        "🚒 Incêndio, ferimento, doença súbita, preso pela água: 119\n"
        "🚓 Crime, acidente: 110\n"
        "Este chat não chama socorro. Se não puder ligar, grite ou faça barulho para avisar quem estiver perto.",
        "es": "EMERGENCIA: llame ahora.\n"
        "🚒 Incendio, heridas, enfermedad repentina, atrapado por el agua: 119\n"
        "🚓 Delito, accidente: 110\n"
        "Este chat no puede pedir ayuda. Si no puede llamar, grite o haga ruido para avisar a quien esté cerca.",
        "vi": "KHẨN CẤP: hãy gọi ngay.\n"
        "🚒 Cháy, bị thương, bệnh đột ngột, mắc kẹt vì nước: 119\n"
        "🚓 Tội phạm, tai nạn: 110\n"
        "Khung chat này không thể gọi cứu hộ. Nếu không gọi được, hãy la to hoặc gây tiếng động để người "
        "xung quanh biết.",
        "tl": "EMERGENCY: tumawag agad.\n"
        "🚒 Sunog, sugat, biglaang sakit, naipit ng tubig: 119\n"
        "🚓 Krimen, aksidente: 110\n"
        "Hindi makakatawag ng tulong ang chat na ito. Kung hindi ka makatawag, sumigaw o mag-ingay para "
        "malaman ng mga tao sa paligid.",
        "zh": "紧急情况：请立即打电话。\n"
        "🚒 火灾、受伤、急病、被水困住：119\n"
        "🚓 犯罪、事故：110\n"
        "本聊天无法报警或呼叫救护。无法打电话时，请大声呼喊或发出声响，让周围的人知道。",
        "ko": "긴급 상황: 지금 바로 전화하세요.\n"
        "🚒 화재, 부상, 갑작스러운 병, 물에 갇힘: 119\n"
        "🚓 범죄, 사고: 110\n"
        "이 채팅으로는 신고할 수 없습니다. 전화할 수 없으면 큰 소리를 내어 주변 사람에게 알리세요.",
    },
    "handoff": {
        "ja": "{department}にお電話でご相談ください。\n📞 {phone}\n受付：{hours}\n{status}",
        "en": "Please call {department}.\n📞 {phone}\nHours: {hours}\n{status}",
        "pt": "Ligue para {department}.\n📞 {phone}\nAtendimento: {hours}\n{status}",
        "es": "Llame a {department}.\n📞 {phone}\nHorario: {hours}\n{status}",
    },
    "city_main_office": {
        "ja": "常総市役所（代表）",
        "en": "Joso City Hall (main number)",
        "pt": "a Prefeitura de Joso (número principal)",
        "es": "el Ayuntamiento de Joso (número principal)",
    },
    "office_open_now": {
        "ja": "いまは受付時間内です。",
        "en": "The office is open now.",
        "pt": "O atendimento está aberto agora.",
        "es": "La oficina está abierta ahora.",
    },
    "office_closed_now": {
        "ja": "いまは受付時間外です。次の受付は {next_open} からです。",
        "en": "The office is closed now. It opens again on {next_open}.",
        "pt": "O atendimento está fechado agora. Abre novamente em {next_open}.",
        "es": "La oficina está cerrada ahora. Abre de nuevo el {next_open}.",
    },
    "office_hours": {
        "ja": "平日 {opens}〜{closes}（土日・祝日・年末年始はお休み）",
        "en": "weekdays {opens}-{closes} (closed on weekends, national holidays and at the year end)",
        "pt": "dias úteis, {opens}-{closes} (fechado nos fins de semana, feriados e no fim de ano)",
        "es": "días hábiles, {opens}-{closes} (cerrado fines de semana, festivos y a fin de año)",
    },
    "feedback_good": {
        "ja": "ご意見ありがとうございます。これからの改善に役立てます。",
        "en": "Thank you for your feedback. It helps us improve.",
        "pt": "Obrigado pela sua opinião. Ela nos ajuda a melhorar.",
        "es": "Gracias por su opinión. Nos ayuda a mejorar.",
    },
    "feedback_bad": {
        "ja": "お役に立てず、ごめんなさい。ご意見は改善に役立てます。職員に相談しますか？",
        "en": "Sorry that this did not help. Your feedback helps us improve. Would you like to contact the staff?",
        "pt": "Desculpe não ter ajudado. Sua opinião nos ajuda a melhorar. Quer falar com um funcionário?",
        "es": "Disculpe no haber ayudado. Su opinión nos ayuda a mejorar. ¿Quiere hablar con el personal?",
    },
    "out_of_scope": {
        "ja": "ごめんなさい、そのご質問にはお答えできません。このチャットでは、市役所の手続き、避難・防災、"
        "問い合わせ先をご案内しています。",
        "en": "Sorry, I cannot answer that. This chat helps with city procedures, evacuation and disaster safety, "
        "and whom to contact.",
        "pt": "Desculpe, não posso responder a isso. Este chat ajuda com trâmites da prefeitura, evacuação e "
        "prevenção de desastres, e com quem contatar.",
        "es": "Lo siento, no puedo responder a eso. Este chat ayuda con trámites municipales, evacuación y "
        "prevención de desastres, y a quién contactar.",
    },
    "bot_challenge": {
        "ja": "わたしは常総市の自動応答プログラム（チャットボット）です。人ではありません。"
        "職員と話したいときは「職員に相談」を押してください。",
        "en": "I am Joso City's automated assistant (a chatbot), not a person. To reach the staff, "
        "press “Talk to staff”.",
        "pt": "Sou o assistente automático (chatbot) da Cidade de Joso, não uma pessoa. Para falar com um "
        "funcionário, toque em “Falar com funcionário”.",
        "es": "Soy el asistente automático (chatbot) de la ciudad de Joso, no una persona. Para hablar con el "
        "personal, pulse “Hablar con el personal”.",
    },
    "thanks": {
        "ja": "どういたしまして。ほかにも知りたいことがあれば、いつでもどうぞ。",
        "en": "You're welcome. Ask any time if there is anything else.",
        "pt": "De nada. Pergunte quando quiser se precisar de mais alguma coisa.",
        "es": "De nada. Pregunte cuando quiera si necesita algo más.",
    },
    "goodbye": {
        "ja": "ご利用ありがとうございました。またいつでも聞いてください。",
        "en": "Thank you for using this chat. Ask again any time.",
        "pt": "Obrigado por usar este chat. Pergunte de novo quando quiser.",
        "es": "Gracias por usar este chat. Pregunte de nuevo cuando quiera.",
    },
    "acknowledge": {
        "ja": "わかりました。ほかに知りたいことがあれば、ボタンから選ぶか、ふだんの言葉で聞いてください。",
        "en": "All right. If there is anything else, choose a button or ask in your own words.",
        "pt": "Certo. Se precisar de mais alguma coisa, escolha um botão ou pergunte com suas palavras.",
        "es": "De acuerdo. Si necesita algo más, elija un botón o pregunte con sus palabras.",
    },
    # Button titles.
    "button_procedures": {"ja": "手続き", "en": "Procedures", "pt": "Trâmites", "es": "Trámites"},
    "button_disaster": {
        "ja": "避難・防災",
        "en": "Evacuation & safety",
        "pt": "Evacuação e prevenção",
        "es": "Evacuación y prevención",
    },
    "button_staff": {
        "ja": "職員に相談",
        "en": "Talk to staff",
        "pt": "Falar com funcionário",
        "es": "Hablar con el personal",
    },
    "button_find_shelter": {
        "ja": "避難場所をさがす",
        "en": "Find a shelter",
        "pt": "Procurar abrigo",
        "es": "Buscar refugio",
    },
    "button_alert_level": {
        "ja": "警戒レベル",
        "en": "Alert levels",
        "pt": "Níveis de alerta",
        "es": "Niveles de alerta",
    },
    "button_back": {"ja": "メニューに戻る", "en": "Main menu", "pt": "Menu principal", "es": "Menú principal"},
    "button_no": {"ja": "いいえ", "en": "No", "pt": "Não", "es": "No"},
}

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "ja": ("月", "火", "水", "木", "金", "土", "日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "pt": ("seg", "ter", "qua", "qui", "sex", "sáb", "dom"),
    "es": ("lun", "mar", "mié", "jue", "vie", "sáb", "dom"),
}


def text(key: str, language: str, **values: str) -> str:
    """The text `key` in `language` (Japanese when it has no translation), with `values` filled in."""
    variants = TEXTS[key]
    template = variants.get(language) or variants[FALLBACK_LANGUAGE]
    return template.format(**values) if values else template


def general_language(language: str) -> str:
    """The language general texts are given in: the resident's when we have it, else Japanese."""
    return language if language in GENERAL_LANGUAGES else FALLBACK_LANGUAGE


__all__ = ["CITY_MAIN_PHONE", "GENERAL_LANGUAGES", "TEXTS", "WEEKDAYS", "general_language", "text"]
