"""Japanese text folding for lexical matching: what a resident may write differently but means the same.

- width and compatibility forms (ＡＢＣ, ｺﾞﾐ): Unicode NFKC;
- katakana and hiragana (ゴミ / ごみ); small and large kana (ひっこし / ひつこし); the long vowel mark
  (カード / かあど, and a hyphen typed for it: カ-ド);
- kanji spelling variants (引越し / 引っ越し): Sudachi's normalized form;
- kana-only writing, and kanji an IME picked wrongly (じゅうみんひょう / 住民票 / 住民表): Sudachi's reading.
Latin letters lose their accents (residência / residencia), so that a missing accent is not a miss.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
_SMALL_TO_LARGE = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")
_VOWEL_ROWS = {
    "あ": "あかさたなはまやらわがざだばぱぁゃゎゕ",
    "い": "いきしちにひみりぎじぢびぴぃ",
    "う": "うくすつぬふむゆるぐずづぶぷぅゅっゔ",
    "え": "えけせてねへめれげぜでべぺぇゖ",
    "お": "おこそとのほもよろをごぞどぼぽぉょ",
}
_VOWEL_OF = {kana: vowel for vowel, row in _VOWEL_ROWS.items() for kana in row}
# Marks residents type for a long vowel after kana.
_LONG_MARKS = "ー-‐−—―~〜"
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")
KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]")
_JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ー]")
# Sudachi parts of speech that carry no content (particles, auxiliaries, punctuation, blanks).
_FUNCTION_POS = frozenset({"助詞", "助動詞", "補助記号", "空白", "記号"})


def has_japanese(text: str) -> bool:
    return bool(_JAPANESE.search(text))


def _strip_latin_accents(text: str) -> str:
    if text.isascii():
        return text
    out = []
    for ch in text:
        if "LATIN" in unicodedata.name(ch, ""):
            ch = unicodedata.normalize("NFD", ch)[0]
        out.append(ch)
    return "".join(out)


def fold(text: str) -> str:
    """Width, case, kana script, small kana, long vowels and Latin accents folded; nothing removed."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_KATAKANA_TO_HIRAGANA)
    if any(mark in text for mark in _LONG_MARKS):
        chars: list[str] = []
        for ch in text:
            if ch in _LONG_MARKS and chars and chars[-1] in _VOWEL_OF:
                ch = _VOWEL_OF[chars[-1]]
            elif ch == "ー":
                ch = ""
            chars.append(ch)
        text = "".join(chars)
    return _strip_latin_accents(text.translate(_SMALL_TO_LARGE))


def compact(text: str) -> str:
    """fold() without spaces and punctuation: two texts that compact equally say the same thing."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def chunks(text: str) -> list[str]:
    """The runs of letters and digits of a folded text (n-grams never span punctuation or spaces)."""
    return [c for c in re.split(r"[^\w]|_", text) if c]


@dataclass(frozen=True)
class Morpheme:
    surface: str
    normalized: str
    reading: str
    pos: str


_local = threading.local()


def _tokenizer() -> Any:  # a sudachipy Tokenizer (the package has no type stubs)
    # Sudachi tokenizers are not shared between threads; the dictionary itself is loaded once per thread.
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import Dictionary, SplitMode

        tokenizer = Dictionary(dict="core").tokenizer(SplitMode.A)
        _local.tokenizer = tokenizer
    return tokenizer


def _long_marks_as_choonpu(text: str) -> str:
    """A hyphen or tilde typed after kana is a long vowel mark (カ-ド): let Sudachi see ー."""
    return re.sub(r"(?<=[\u3041-\u3096\u30a1-\u30fa])[-‐−—―~〜]", "ー", text)


def morphemes(text: str) -> list[Morpheme]:
    text = _long_marks_as_choonpu(unicodedata.normalize("NFKC", text))
    return [
        Morpheme(m.surface(), m.normalized_form(), m.reading_form(), m.part_of_speech()[0])
        for m in _tokenizer().tokenize(text)
    ]


@dataclass(frozen=True)
class Analysis:
    """The two lexical views of a text: how it is spelled (variants unified) and how it is read."""

    spelling: str
    reading: str


def analyze(text: str, language: str = "ja") -> Analysis:
    """`language`: the text's language. Sudachi reads only Japanese: Chinese through it comes out mangled
    (我 -> 我が), so other languages are folded only."""
    if language != "ja" or not has_japanese(text):
        return Analysis(spelling=fold(text), reading="")
    spelling, reading = [], []
    for m in morphemes(text):
        if m.pos in ("補助記号", "空白"):
            spelling.append(" ")
            continue
        # Normalized forms unify kanji spellings; for kana-only words Sudachi's guess is often wrong
        # (みん -> 見る), and the reading view already covers kana.
        spelling.append(m.normalized if KANJI.search(m.surface) else m.surface)
        if has_japanese(m.surface):
            reading.append(m.reading)
        else:
            reading.append(" ")
    return Analysis(spelling=fold("".join(spelling)), reading=fold("".join(reading)))


def content_form(text: str) -> str:
    """How the content words read, without particles and endings: 住民票がほしいです and 住民票が欲しい
    give the same. Used to warn about near-identical paraphrases of two entries."""
    if not has_japanese(text):
        return " ".join(chunks(fold(text)))
    analyzed = morphemes(text)
    words = [m.reading if has_japanese(m.surface) else m.surface for m in analyzed if m.pos not in _FUNCTION_POS]
    content = compact("".join(words))
    # Kana-only text is often cut wrongly (まいなんばーかーど -> まい/なん/ばー...): when little content is
    # left, compare whole readings instead.
    if len(content) < 4:
        content = compact("".join(m.reading if has_japanese(m.surface) else m.surface for m in analyzed))
    return content
