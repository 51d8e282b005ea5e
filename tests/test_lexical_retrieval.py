from knowledge_base import FAQ_DIR
from knowledge_base.catalog import load_directory
from knowledge_base.retrieval import LexicalRetriever
from knowledge_base.retrieval.lexical import normalize


def test_normalize_folds_width_case_and_katakana() -> None:
    assert normalize("ＡＢＣ　ジュウミンヒョウ！") == "abcじゅうみんひょう"


def test_each_shipped_question_finds_its_own_entry_first() -> None:
    entries = load_directory(FAQ_DIR).entries
    retriever = LexicalRetriever(entries)
    for entry in entries:
        best = retriever.search(entry.question, k=3)[0]
        assert best.entry.id == entry.id
        assert len({c.entry.id for c in retriever.search(entry.question, k=3)}) == min(3, len(entries))
