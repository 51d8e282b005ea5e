"""The five evacuation alert levels (警戒レベル), in the official wording in force since 20 May 2021.

Levels 3-5 are issued by the city (市町村), levels 1-2 by the Japan Meteorological Agency (気象庁).
避難勧告 was abolished: evacuate by level 4 at the latest; never wait for level 5. English and Portuguese keep
the Japanese term and its reading, so that foreign residents recognise the words of a broadcast.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("ja", "en", "pt")


@dataclass(frozen=True)
class Level:
    number: int
    name: dict[str, str]  # e.g. 避難指示
    action: dict[str, str]  # what residents do (official 居住者等がとるべき行動)
    issuer: dict[str, str]
    advice_ja: str  # the same action as a plain polite request, for messages

    def advice(self, language: str) -> str:
        return self.advice_ja if language == "ja" else self.text("action", language)

    def text(self, field: str, language: str) -> str:
        values: dict[str, str] = getattr(self, field)
        return values.get(language, values["en"])


_CITY = {"ja": "市町村が発令", "en": "issued by the city", "pt": "emitido pela prefeitura"}
_JMA = {
    "ja": "気象庁が発表",
    "en": "issued by the Japan Meteorological Agency",
    "pt": "emitido pela Agência Meteorológica do Japão",
}

LEVELS: dict[int, Level] = {
    5: Level(
        5,
        {
            "ja": "緊急安全確保",
            "en": "Emergency Safety Measures (緊急安全確保, kinkyū anzen kakuho)",
            "pt": "Garantia de segurança emergencial (緊急安全確保, kinkyū anzen kakuho)",
        },
        {
            "ja": "命の危険 直ちに安全確保！",
            "en": "Your life is in danger. Take action to be safe immediately!",
            "pt": "Sua vida está em perigo. Proteja-se imediatamente!",
        },
        _CITY,
        "命の危険があります。直ちに安全を確保してください！",
    ),
    4: Level(
        4,
        {
            "ja": "避難指示",
            "en": "Evacuation Instruction (避難指示, hinan shiji)",
            "pt": "Instrução de evacuação (避難指示, hinan shiji)",
        },
        {
            "ja": "危険な場所から全員避難",
            "en": "Everyone must evacuate from dangerous places.",
            "pt": "Todos devem sair dos locais perigosos.",
        },
        _CITY,
        "危険な場所から全員避難してください。",
    ),
    3: Level(
        3,
        {
            "ja": "高齢者等避難",
            "en": "Evacuation of Elderly People, etc. (高齢者等避難, kōreisha-tō hinan)",
            "pt": "Evacuação de idosos e outros (高齢者等避難, kōreisha-tō hinan)",
        },
        {
            "ja": "危険な場所から高齢者等は避難",
            "en": "Elderly people and others who need time must evacuate from dangerous places.",
            "pt": "Idosos e pessoas que precisam de mais tempo devem sair dos locais perigosos.",
        },
        _CITY,
        "危険な場所から高齢者等は避難してください。",
    ),
    2: Level(
        2,
        {
            "ja": "大雨・洪水・高潮注意報",
            "en": "Heavy rain, flood or storm surge advisory (注意報, chūihō)",
            "pt": "Aviso de chuva forte, enchente ou ressaca (注意報, chūihō)",
        },
        {
            "ja": "自らの避難行動を確認",
            "en": "Check how you would evacuate.",
            "pt": "Confirme como você vai evacuar.",
        },
        _JMA,
        "自分の避難のしかたを確認してください。",
    ),
    1: Level(
        1,
        {
            "ja": "早期注意情報",
            "en": "Early warning information (早期注意情報, sōki chūi jōhō)",
            "pt": "Informação de alerta antecipado (早期注意情報, sōki chūi jōhō)",
        },
        {
            "ja": "災害への心構えを高める",
            "en": "Be ready for a disaster.",
            "pt": "Esteja preparado para um desastre.",
        },
        _JMA,
        "災害への心構えを高めてください。",
    ),
}

# The official rule of thumb, in each language.
EVACUATE_BY_LEVEL_4 = {
    "ja": "警戒レベル4までに必ず避難してください。レベル5を待ってはいけません。",
    "en": "Evacuate by level 4 at the latest. Do not wait for level 5.",
    "pt": "Evacue no máximo no nível 4. Não espere o nível 5.",
}


def level(number: int) -> Level:
    return LEVELS[number]
