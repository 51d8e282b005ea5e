"""Lexical matching that suits Japanese: folding of spelling variants, and character n-gram scores."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge_base.retrieval.japanese import analyze, compact, content_form, fold
from knowledge_base.retrieval.lexical import LexicalIndex, LexicalSettings


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ＡＢＣ　ジュウミンヒョウ！", "abc じゅうみんひょう!"),  # width, case, katakana
        ("ひっこし", "ひつこし"),  # small kana
        ("マイナンバーカード", "まいなんばあかあど"),  # long vowel mark
        ("カ-ド", "かあど"),  # a hyphen typed for the long vowel mark
        ("ｺﾞﾐ", "ごみ"),  # half-width kana
        ("residência", "residencia"),  # Latin accents
    ],
)
def test_fold_makes_variants_equal(a: str, b: str) -> None:
    assert compact(a) == compact(b)


def test_fold_keeps_voiced_kana_apart() -> None:
    assert fold("がっこう") != fold("かっこう")


def test_analysis_unifies_kanji_spellings_and_reads_kana() -> None:
    assert analyze("引越しの手続き").spelling == analyze("引っ越しの手続き").spelling
    assert analyze("住民票").reading == analyze("じゅうみんひょう").reading == analyze("住民表").reading
    assert analyze("How do I get it").reading == ""
    assert analyze("我想办理护照", "zh") == analyze("我想办理护照", "zh")
    assert analyze("我想办理护照", "zh").spelling == "我想办理护照"


def test_content_form_ignores_particles_and_endings_not_content() -> None:
    assert content_form("住民票がほしいです") == content_form("住民票が欲しい")
    assert content_form("転入届を出したい") != content_form("転出届を出したい")


TEXTS = [
    "住民票の写しはどこで取れますか？",  # 0
    "マイナンバーカードをなくしました",  # 1
    "ごみの収集日はいつですか？",  # 2
    "Where can I get a copy of my residence certificate?",  # 3
    "Onde posso obter o atestado de residência?",  # 4
    "転出届を出したい",  # 5
    "転入届を出したい",  # 6
    "如何办理护照？",  # 7 (Chinese)
]
LANGUAGES = ["ja", "ja", "ja", "en", "pt", "ja", "ja", "zh"]


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex.build(TEXTS, LexicalSettings(), LANGUAGES)


@pytest.mark.parametrize(
    ("query", "expected", "language"),
    [
        ("住民票がほしい", 0, "ja"),
        ("じゅうみんひょうがほしい", 0, "ja"),  # kana only: matched by reading
        ("住民表をとりたい", 0, "ja"),  # wrong kanji from the IME, same reading
        ("まいなんばーかーど なくした", 1, "ja"),
        ("ﾏｲﾅﾝﾊﾞｰｶｰﾄﾞ", 1, "ja"),
        ("ゴミの日", 2, "ja"),
        ("residence certificate copy", 3, "en"),
        ("atestado de residencia", 4, "pt"),  # accent left out
        ("転出の届け", 5, "ja"),
        ("転入の届け", 6, "ja"),
        ("我想办理护照", 7, "zh"),  # Chinese is not read by the Japanese analyser (it would mangle it)
    ],
)
def test_the_best_text_is_the_expected_one(index: LexicalIndex, query: str, expected: int, language: str) -> None:
    scores = index.scores(query, language)
    assert int(np.argmax(scores)) == expected, dict(zip(TEXTS, scores.round(3).tolist(), strict=True))


def test_scores_are_cosines_and_unrelated_text_scores_zero(index: LexicalIndex) -> None:
    assert index.scores(TEXTS[2])[2] == pytest.approx(1.0, abs=1e-5)
    scores = index.scores("株価")
    assert scores.shape == (len(TEXTS),)
    assert float(scores.max()) == 0.0
    assert float(index.scores("")[0]) == 0.0


def test_save_and_load_give_the_same_scores(index: LexicalIndex, tmp_path: Path) -> None:
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path, LexicalSettings())
    assert loaded.size == len(TEXTS)
    np.testing.assert_allclose(loaded.scores("住民票がほしい"), index.scores("住民票がほしい"))
