"""The menus residents tap through: main (手続き, 避難・防災, 職員に相談), procedures, evacuation and safety.

Topic buttons send a typed-looking question as their payload: it goes through NLU as ask_question and the FAQ
retriever answers it, so a button never points at an FAQ entry id that staff may rename or remove. Every payload
question below is also an ask_question training example (data/nlu/questions.yml) and is checked by the story
tests (tests/stories/test_menus.yml).
"""

from __future__ import annotations

from dataclasses import dataclass

from actions.conversation.texts import FALLBACK_LANGUAGE, general_language, text
from actions.payloads import button

MAIN = "main"
PROCEDURES = "procedures"
DISASTER = "disaster"
MENUS = (MAIN, PROCEDURES, DISASTER)


@dataclass(frozen=True)
class Topic:
    """A menu button that asks the FAQ a question: its title and the question, per language."""

    title: dict[str, str]
    question: dict[str, str]


PROCEDURE_TOPICS = (
    Topic(
        {
            "ja": "住民票",
            "en": "Residence certificate",
            "pt": "Atestado de residência",
            "es": "Certificado de residencia",
        },
        {
            "ja": "住民票の写しがほしい",
            "en": "How do I get a residence certificate?",
            "pt": "Como tiro o atestado de residência?",
            "es": "¿Cómo obtengo el certificado de residencia?",
        },
    ),
    Topic(
        {"ja": "引っ越し", "en": "Moving", "pt": "Mudança", "es": "Mudanza"},
        {
            "ja": "引っ越しの手続きを教えて",
            "en": "What do I need to do when I move?",
            "pt": "Quais trâmites faço quando me mudo?",
            "es": "¿Qué trámites hago cuando me mudo?",
        },
    ),
    Topic(
        {"ja": "マイナンバーカード", "en": "My Number card", "pt": "Cartão My Number", "es": "Tarjeta My Number"},
        {
            "ja": "マイナンバーカードの手続きを知りたい",
            "en": "How do I get a My Number card?",
            "pt": "Como faço o cartão My Number?",
            "es": "¿Cómo tramito la tarjeta My Number?",
        },
    ),
    Topic(
        {
            "ja": "戸籍・印鑑証明",
            "en": "Family register, seal",
            "pt": "Registro familiar, carimbo",
            "es": "Registro familiar, sello",
        },
        {
            "ja": "戸籍や印鑑証明の取り方を教えて",
            "en": "How do I get a family register or a seal certificate?",
            "pt": "Como tiro o registro familiar ou o certificado de carimbo?",
            "es": "¿Cómo saco el registro familiar o el certificado de sello?",
        },
    ),
    Topic(
        {"ja": "出生・死亡の届出", "en": "Birth, death", "pt": "Nascimento, óbito", "es": "Nacimiento, defunción"},
        {
            "ja": "出生届や死亡届の出し方を教えて",
            "en": "How do I register a birth or a death?",
            "pt": "Como registro um nascimento ou um óbito?",
            "es": "¿Cómo registro un nacimiento o una defunción?",
        },
    ),
    Topic(
        {"ja": "ごみの出し方", "en": "Garbage", "pt": "Lixo", "es": "Basura"},
        {
            "ja": "ごみの出し方を教えて",
            "en": "How do I put out the garbage?",
            "pt": "Como jogo o lixo fora?",
            "es": "¿Cómo saco la basura?",
        },
    ),
    Topic(
        {"ja": "税金", "en": "City taxes", "pt": "Impostos", "es": "Impuestos"},
        {
            "ja": "市の税金の払い方を教えて",
            "en": "How do I pay city taxes?",
            "pt": "Como pago os impostos da cidade?",
            "es": "¿Cómo pago los impuestos municipales?",
        },
    ),
    Topic(
        {"ja": "子育て", "en": "Children", "pt": "Filhos", "es": "Hijos"},
        {
            "ja": "児童手当や保育園の手続きを教えて",
            "en": "How do I apply for child allowance or daycare?",
            "pt": "Como peço o auxílio infantil ou a creche?",
            "es": "¿Cómo solicito la ayuda por hijos o la guardería?",
        },
    ),
)

DISASTER_TOPICS = (
    Topic(
        {"ja": "ハザードマップ", "en": "Hazard map", "pt": "Mapa de riscos", "es": "Mapa de peligros"},
        {
            "ja": "ハザードマップはどこで見られますか",
            "en": "Where can I see the hazard map?",
            "pt": "Onde vejo o mapa de riscos?",
            "es": "¿Dónde veo el mapa de peligros?",
        },
    ),
    Topic(
        {"ja": "非常持出品", "en": "What to take", "pt": "O que levar", "es": "Qué llevar"},
        {
            "ja": "非常持出品は何を用意すればいい",
            "en": "What should I prepare to take when I evacuate?",
            "pt": "O que devo preparar para levar na evacuação?",
            "es": "¿Qué debo preparar para llevar al evacuar?",
        },
    ),
    Topic(
        {
            "ja": "避難所と避難場所の違い",
            "en": "Shelter or evacuation site?",
            "pt": "Abrigo ou local de evacuação?",
            "es": "¿Refugio o sitio de evacuación?",
        },
        {
            "ja": "避難所と避難場所の違いは？",
            "en": "What is the difference between a shelter and an evacuation site?",
            "pt": "Qual é a diferença entre abrigo e local de evacuação?",
            "es": "¿Qué diferencia hay entre un refugio y un sitio de evacuación?",
        },
    ),
)


def _pick(variants: dict[str, str], language: str) -> str:
    return variants.get(language) or variants[FALLBACK_LANGUAGE]


def _topic_button(topic: Topic, language: str) -> dict[str, str]:
    return {"title": _pick(topic.title, language), "payload": _pick(topic.question, language)}


def main_menu_buttons(language: str) -> list[dict[str, str]]:
    lang = general_language(language)
    return [
        button(text("button_procedures", lang), "show_menu", menu=PROCEDURES),
        button(text("button_disaster", lang), "show_menu", menu=DISASTER),
        staff_button(lang),
    ]


def staff_button(language: str) -> dict[str, str]:
    return button(text("button_staff", general_language(language)), "human_handoff")


def menu(name: str, language: str) -> tuple[str, list[dict[str, str]]]:
    """The prompt and buttons of one menu; an unknown name gives the main menu."""
    lang = general_language(language)
    back = button(text("button_back", lang), "show_menu", menu=MAIN)
    if name == PROCEDURES:
        return text("menu_procedures", lang), [_topic_button(t, lang) for t in PROCEDURE_TOPICS] + [back]
    if name == DISASTER:
        buttons = [
            button(text("button_find_shelter", lang), "find_shelter"),
            button(text("button_alert_level", lang), "alert_level"),
            *(_topic_button(t, lang) for t in DISASTER_TOPICS),
            back,
        ]
        return text("menu_disaster", lang), buttons
    return text("menu_main", lang), main_menu_buttons(lang)


def all_topic_questions() -> list[str]:
    """Every question a topic button can send, in every language (tests check each is an ask_question)."""
    return [q for topic in PROCEDURE_TOPICS + DISASTER_TOPICS for q in topic.question.values()]
