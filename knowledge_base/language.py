"""Which language a resident wrote in, so the bot can answer in it.

Short messages defeat statistical detectors, and the set of languages is small and known (Japanese, and the
languages of Joso's foreign residents), so this uses writing systems and a few telling words. When in doubt it
says Japanese, the language every answer exists in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import overload

SUPPORTED = ("ja", "en", "pt", "es", "zh", "vi", "tl", "ko")

LANGUAGE_NAMES = {
    "ja": "日本語",
    "en": "English",
    "pt": "Português",
    "es": "Español",
    "zh": "中文",
    "vi": "Tiếng Việt",
    "tl": "Tagalog",
    "ko": "한국어",
}

_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Simplified characters and function words that Japanese text does not use.
_CHINESE_ONLY = re.compile(
    r"[你您们这吗呢么请谢证办问题哪里怎样没说个时间区该应还给从过对开关门]|什么|可以|需要|我的|是否"
)
_VIETNAMESE = re.compile(r"[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the is are how what where when why do does i my me can to of get need please for you your it in "
        "there this that with have has and or an be hello hi help thanks thank yes shelter"
        "".split()
    ),
    "pt": frozenset(
        "como onde o os as do da dos das de eu meu minha posso não é para que quero preciso está um uma "
        "você fazer tirar qual quando lixo prefeitura cartão ajuda obrigado obrigada tem no na em"
        "".split()
    ),
    "es": frozenset(
        "cómo dónde el la los las del de yo mi puedo no es para que quiero necesito está un una usted hacer "
        "sacar cuál cuándo basura ayuntamiento tarjeta ayuda gracias hay en por"
        "".split()
    ),
    # Vietnamese typed without its diacritics (common on phones) still has these words.
    "vi": frozenset(
        "xin chao chào toi tôi ban bạn khong không co có duoc được cua của la là va và cho voi với o ở dau đâu "
        "muon muốn can cần lam làm sao gi gì nha nhà"
        "".split()
    ),
    "tl": frozenset(
        "ang ng mga sa ko ako paano saan po ba kailangan nasaan gusto ano ito iyan ay may wala salamat "
        "tulong kumuha"
        "".split()
    ),
}
# Letters one Latin-script language uses and the others here do not.
_TELLTALE = {"pt": re.compile(r"[ãõç]"), "es": re.compile(r"[ñ¿¡]")}


def guess_language(text: str) -> str | None:
    """The message's language among SUPPORTED, or None when it does not show one (a number, a name, "ok")."""
    text = unicodedata.normalize("NFKC", text)
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if _HAN.search(text):
        return "zh" if _CHINESE_ONLY.search(text) else "ja"
    if _VIETNAMESE.search(text):
        return "vi"
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    lowered = text.lower()
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    for lang, pattern in _TELLTALE.items():
        if pattern.search(lowered):
            scores[lang] += 2
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] > 0 else None


def detect_language(text: str) -> str:
    """ISO 639-1 code of the message's language, among SUPPORTED; "ja" when unsure ("en" for unknown Latin words)."""
    guessed = guess_language(text)
    if guessed is not None:
        return guessed
    return "en" if _WORD.search(unicodedata.normalize("NFKC", text)) else "ja"


@overload
def answer_language(typed_newest_first: Iterable[str]) -> str: ...
@overload
def answer_language(typed_newest_first: Iterable[str], default: str | None) -> str | None: ...


def answer_language(typed_newest_first: Iterable[str], default: str | None = "ja") -> str | None:
    """The one rule for the language of every answer, on every channel.

    The language of the resident's latest typed message that shows one; a message that shows none (a number,
    a place name, a button, a shared location) keeps the language of the conversation so far; Japanese when
    nothing the resident typed shows a language (the language every text exists in), or `default` (a channel
    passes the language it remembers of the chat, or None to learn that nothing showed one).
    """
    for text in typed_newest_first:
        guessed = guess_language(text) if text else None
        if guessed is not None:
            return guessed
    return default
