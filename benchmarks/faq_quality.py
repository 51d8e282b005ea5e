"""FAQ retrieval quality on the development set, and the calibration of the retriever's numbers.

    python -m benchmarks.faq_quality                     # measure with knowledge_base/retrieval/calibration.yml
    python -m benchmarks.faq_quality --calibrate         # choose weights and thresholds, rewrite that file
    python -m benchmarks.faq_quality --calibrate --tune-lexical   # also choose the lexical n-gram settings

Options: --devset PATH (default knowledge_base/evaluation/devset.yml), --faq-dir DIR (default $FAQ_DIR or
knowledge_base/faq), --write PATH (where --calibrate writes; default the committed calibration.yml).

Prints hit@1, hit@3, MRR, answered / suggested, confident-wrong-answer rate and out-of-scope rejection, per
language, for dense only, lexical only and fused. Dense-only and lexical-only use thresholds fitted on the
same set (labelled so): they show what each view can do at best. The calibration method is in
knowledge_base/evaluation/metrics.py; --calibrate also prints a 5-fold cross-validated estimate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import yaml

from knowledge_base.catalog.validator import validate_directory
from knowledge_base.evaluation.devset import DEFAULT_DEVSET, DevQuery, coverage_notes, devset_digest, load_devset
from knowledge_base.evaluation.metrics import (
    MAX_WRONG,
    MIN_REJECTION,
    TARGET_REJECTION,
    TARGET_WRONG,
    Calibration,
    Metrics,
    ScoredQuery,
    Thresholding,
    calibrate,
    choose_thresholds,
    choose_weights,
    cross_validate,
    evaluate,
    thresholds_of,
    weights_of,
)
from knowledge_base.language import SUPPORTED, detect_language
from knowledge_base.retrieval.encoder import encode, load_encoder, model_identity
from knowledge_base.retrieval.index import FaqIndex, for_encoding
from knowledge_base.retrieval.lexical import LexicalIndex, LexicalSettings
from knowledge_base.retrieval.settings import (
    QUERY_GROUPS,
    RetrievalSettings,
    config_path,
    fusion_to_yaml,
    load_settings,
    query_group,
)
from knowledge_base.retrieval.store import build_and_store, index_key, open_index
from settings import FaqSettings

LEXICAL_GRID = [
    LexicalSettings(spelling_ngrams=s, reading_ngrams=r, reading_weight=w)
    for s in ((1, 2), (2, 3), (1, 3))
    for r in ((2, 3), (2, 4), (3, 4))
    for w in (0.2, 0.4, 0.6)
]


def _entry_max(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.maximum.reduceat(values, starts, axis=-1)


def score_queries(index: FaqIndex, queries: list[DevQuery], lexical: LexicalIndex | None = None) -> list[ScoredQuery]:
    """Every query against every entry, in both views (exact, as the flat index of a real-size FAQ is)."""
    model = load_encoder()
    texts = [for_encoding(q.text) for q in queries]
    query_vectors = encode(model, texts)
    text_vectors = index.dense.index.reconstruct_n(0, index.dense.size)
    dense = _entry_max(query_vectors @ text_vectors.T, index.entry_starts)
    lexical = lexical or index.lexical
    languages = [frozenset(language for language, _ in entry.texts()) for entry in index.entries]
    scored = []
    for i, (query, text) in enumerate(zip(queries, texts, strict=True)):
        language = detect_language(query.text)
        scored.append(
            ScoredQuery(
                text=query.text,
                expected=query.expected,
                lang=query.lang,
                kind=query.kind,
                group=query_group(query.text, language),
                dense=dense[i].astype(np.float64),
                lexical=_entry_max(lexical.scores(text, language), index.entry_starts).astype(np.float64),
                comparable=np.array([language in found for found in languages], dtype=bool),
            )
        )
    return scored


# ---- printing
_COLUMNS = ("n", "in", "oos", "hit@1", "hit@3", "MRR", "answered", "suggested", "wrong", "rejection")


def _cell(value: float | int | None) -> str:
    if value is None:
        return "-"
    return str(value) if isinstance(value, int) else f"{value:.3f}"


def _row(label: str, m: Metrics) -> str:
    values = (
        m.queries,
        m.in_scope,
        m.out_of_scope,
        m.hit1,
        m.hit3,
        m.mrr,
        m.answered,
        m.suggested,
        m.wrong,
        m.rejection,
    )
    return f"{label:<12}" + "".join(f"{_cell(v):>10}" for v in values)


def print_table(title: str, rows: list[tuple[str, Metrics]]) -> None:
    print(f"\n== {title}")
    print(f"{'':<12}" + "".join(f"{c:>10}" for c in _COLUMNS))
    for label, metrics in rows:
        print(_row(label, metrics))


def breakdown(
    scored: list[ScoredQuery], entry_ids: list[str], weights: dict[str, float], thresholds: Thresholding, by: str
) -> list[tuple[str, Metrics]]:
    keys = sorted({getattr(q, by) for q in scored}, key=lambda k: (SUPPORTED.index(k) if k in SUPPORTED else 99, k))
    rows = [(k, evaluate([q for q in scored if getattr(q, by) == k], entry_ids, weights, thresholds)) for k in keys]
    if by == "lang":
        foreign = [q for q in scored if q.lang != "ja"]
        rows.append(("not ja", evaluate(foreign, entry_ids, weights, thresholds)))
    rows.append(("all", evaluate(scored, entry_ids, weights, thresholds)))
    return rows


def report(scored: list[ScoredQuery], entry_ids: list[str], settings: RetrievalSettings) -> dict[str, Metrics]:
    weights = {g: settings.fusion[g].dense_weight for g in QUERY_GROUPS}
    thresholds = thresholds_of(settings.fusion)
    fused = breakdown(scored, entry_ids, weights, thresholds, "lang")
    print_table("fused (calibration.yml: dense weights and thresholds per query group)", fused)
    for group in QUERY_GROUPS:
        print(f"  {group}: dense weight {weights[group]}, {thresholds[group]}")
    # the lexical view on its own, even where it cannot see an entry
    lexical_only = [replace(q, comparable=True) for q in scored]
    for name, weight, queries in (("dense only", 1.0, scored), ("lexical only", 0.0, lexical_only)):
        single = dict.fromkeys(QUERY_GROUPS, weight)
        fitted = choose_thresholds(queries, entry_ids, single).thresholds
        rows = breakdown(queries, entry_ids, single, fitted, "lang")
        print_table(f"{name} (thresholds fitted on this set: {fitted})", rows)
    print_table("fused, by kind of query", breakdown(scored, entry_ids, weights, thresholds, "kind"))
    print_table("fused, by query group (what the bot sees)", breakdown(scored, entry_ids, weights, thresholds, "group"))
    return dict(fused)


def print_targets(fused: dict[str, Metrics]) -> None:
    def check(label: str, value: float | None, target: float, higher: bool = True) -> None:
        if value is None:
            print(f"  {label}: no queries")
            return
        ok = value >= target if higher else value <= target
        print(f"  {label}: {value:.3f} ({'meets' if ok else 'MISSES'} {'>=' if higher else '<='} {target})")

    print("\ntargets (fused):")
    check("hit@1 in Japanese", fused["ja"].hit1 if "ja" in fused else None, 0.90)
    check("hit@1 in other languages", fused["not ja"].hit1, 0.80)
    check("out-of-scope rejection", fused["all"].rejection, MIN_REJECTION)
    check("confident wrong answers", fused["all"].wrong, MAX_WRONG, higher=False)


def print_detection(scored: list[ScoredQuery]) -> None:
    wrong = [(q.lang, detect_language(q.text), q.text) for q in scored if detect_language(q.text) != q.lang]
    print(f"\nlanguage detection: {len(scored) - len(wrong)}/{len(scored)} queries detected as labelled")
    for label, detected, text in wrong[:15]:
        print(f"  labelled {label}, detected {detected}: {text}")


def print_failures(scored: list[ScoredQuery], entry_ids: list[str], settings: RetrievalSettings, limit: int) -> None:
    """The in-scope queries whose expected entry is not first: what to improve in the FAQ or the retriever."""
    print(f"\nqueries whose expected entry is not ranked first (up to {limit}):")
    shown = 0
    for q in scored:
        if q.expected is None:
            continue
        fused = settings.fusion[q.group].fuse(q.dense, q.lexical, q.comparable)
        best = int(np.argmax(fused))
        if entry_ids[best] != q.expected and shown < limit:
            rank = int(np.sum(fused > fused[entry_ids.index(q.expected)])) + 1
            print(f"  [{q.lang} {q.kind}] {q.text}  -> {entry_ids[best]} ({fused[best]:.2f}); {q.expected} is #{rank}")
            shown += 1


# ---- calibration
def write_calibration(
    path: Path,
    settings: RetrievalSettings,
    calibration: Calibration,
    lexical: LexicalSettings,
    info: dict[str, object],
    in_sample: Metrics,
    cross_validated: Metrics,
) -> None:
    data = {
        "calibrated": info,
        "fusion": {group: fusion_to_yaml(calibration.params[group]) for group in QUERY_GROUPS},
        "lexical": {
            "spelling_ngrams": list(lexical.spelling_ngrams),
            "reading_ngrams": list(lexical.reading_ngrams),
            "reading_weight": lexical.reading_weight,
        },
        "dense": {
            "flat_max_vectors": settings.dense.flat_max_vectors,
            "large_kind": settings.dense.large_kind,
            "hnsw_m": settings.dense.hnsw_m,
            "hnsw_ef_construction": settings.dense.hnsw_ef_construction,
            "hnsw_ef_search": settings.dense.hnsw_ef_search,
        },
        "candidate_depth": settings.candidate_depth,
    }

    def figures(m: Metrics) -> str:
        return (
            f"hit@1 {_cell(m.hit1)}, answered {_cell(m.answered)}, suggested {_cell(m.suggested)}, "
            f"wrong {_cell(m.wrong)}, rejection {_cell(m.rejection)}"
        )

    lexical_note = "chosen on the dev set (--tune-lexical)" if info.get("lexical_tuned") else "kept as they were"
    header = f"""\
# How the FAQ retriever turns scores into one of three outcomes (answer card / did you mean / no answer).
#
# WRITTEN BY `python -m benchmarks.faq_quality --calibrate` (do not edit by hand; re-run it after the FAQ or
# the dev set changed). Method (knowledge_base/evaluation/metrics.py):
# - fusion: fused = dense_weight * dense + (1 - dense_weight) * lexical, per query group (ja: Japanese with
#   kanji, kana: Japanese without kanji, other: other languages of the encoder, uncovered: vi and tl); each
#   group's weight maximises hit@1 (then MRR) on its in-scope dev-set queries;
# - thresholds, per group: an answer card when confidence = best + lead_weight * (best - runner-up) reaches
#   `answer` and the lead is at least `margin`; "did you mean" when the best reaches `suggest`. Chosen to
#   maximise right cards + 0.5 x right "did you mean" buttons, subject to confident wrong answers
#   <= {TARGET_WRONG:.0%} and out-of-scope rejection >= {TARGET_REJECTION:.0%} (inside the targets {MAX_WRONG:.0%} and
#   {MIN_REJECTION:.0%}, so that unseen questions stay within them);
# - lexical n-grams and reading weight: {lexical_note}.
# In-sample figures:        {figures(in_sample)}
# 5-fold cross-validated:   {figures(cross_validated)}
# constraints met on the dev set: {"yes" if calibration.feasible else "NO (closest setting taken)"}
"""
    path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def tune_lexical(index: FaqIndex, queries: list[DevQuery], settings: RetrievalSettings) -> LexicalSettings:
    """The lexical settings whose fused ranking (weights chosen per setting) is best on the dev set."""
    entry_ids = [e.id for e in index.entries]
    best: tuple[tuple[float, float], LexicalSettings] | None = None
    print("\nlexical settings (spelling n-grams, reading n-grams, reading weight): fused hit@1, MRR")
    for candidate in LEXICAL_GRID:
        lexical = LexicalIndex.build(index.row_text, candidate, index.row_language)
        scored = score_queries(index, queries, lexical)
        in_scope = [q for q in scored if q.expected]
        m = evaluate(in_scope, entry_ids, choose_weights(scored, entry_ids), None)
        merit = (m.hit1 or 0.0, m.mrr or 0.0)
        label = f"{candidate.spelling_ngrams} {candidate.reading_ngrams} {candidate.reading_weight}"
        print(f"  {label}: {merit[0]:.3f} {merit[1]:.3f}")
        if best is None or merit > best[0]:
            best = (merit, candidate)
    assert best is not None
    print(f"chosen: {best[1]}")
    return best[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.faq_quality", description=__doc__.split("\n")[0])
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--faq-dir", type=Path, default=FaqSettings().directory)
    parser.add_argument("--calibrate", action="store_true", help="choose weights and thresholds and write them")
    parser.add_argument("--tune-lexical", action="store_true", help="with --calibrate: also choose lexical settings")
    parser.add_argument("--write", type=Path, default=None, help="file --calibrate writes (default: calibration.yml)")
    parser.add_argument("--failures", type=int, default=25, help="how many misranked queries to list")
    args = parser.parse_args(argv)

    faq = validate_directory(args.faq_dir)
    if faq.errors:
        for problem in faq.errors:
            print(problem, file=sys.stderr)
        return 1
    entry_ids = [e.id for e in faq.entries]
    queries = load_devset(args.devset, known_ids=set(entry_ids))
    settings = load_settings()
    started = time.perf_counter()
    path, _ = build_and_store(faq.entries, index_key(faq.fingerprint, settings), settings)
    index = open_index(path, settings)
    entry_ids = [e.id for e in index.entries]

    languages = Counter(q.lang for q in queries)
    kinds = Counter(q.kind for q in queries)
    print(f"dev set {args.devset} ({devset_digest(args.devset)}): {len(queries)} queries")
    print(f"  languages {dict(languages)}; kinds {dict(kinds)}")
    for note in coverage_notes(queries):
        print(f"  note: {note}")
    print(f"FAQ {args.faq_dir}: {len(index.entries)} entries, {len(index.row_text)} texts; model {model_identity()}")
    print(f"settings {settings.source}: calibrated {settings.calibrated or 'never (provisional values)'}")

    if args.calibrate:
        lexical_settings = settings.lexical
        if args.tune_lexical:
            lexical_settings = tune_lexical(index, queries, settings)
            settings = replace(settings, lexical=lexical_settings)
            lexical = LexicalIndex.build(index.row_text, lexical_settings, index.row_language)
        else:
            lexical = index.lexical
        scored = score_queries(index, queries, lexical)
        calibration = calibrate(scored, entry_ids)
        cross_validated, folds = cross_validate(scored, entry_ids)
        weights = weights_of(calibration.params)
        in_sample = evaluate(scored, entry_ids, weights, thresholds_of(calibration.params))
        print(f"\ncalibrated: weights {weights}")
        for group, params in calibration.params.items():
            print(f"  {group}: {params.thresholds}")
        print(f"constraints met: {'yes' if calibration.feasible else 'NO: closest setting taken'}")
        print("per-fold choices (variation shows how stable the calibration is):")
        for k, fold in enumerate(folds):
            print(f"  fold {k}: weights {weights_of(fold.params)}, ja thresholds {fold.params['ja'].thresholds}")
        print_table(
            "calibration, 5-fold cross-validated (each query measured with numbers fitted without it)",
            [("all", cross_validated)],
        )
        info = {
            "date": dt.date.today().isoformat(),
            "devset": f"{args.devset.name} sha256:{devset_digest(args.devset)} ({len(queries)} queries)",
            "faq": f"{len(index.entries)} entries, fingerprint {faq.fingerprint[:16]}",
            "model": model_identity(),
            "lexical_tuned": bool(args.tune_lexical),
        }
        target = args.write or config_path()
        write_calibration(target, settings, calibration, lexical_settings, info, in_sample, cross_validated)
        print(f"written: {target}")
        settings = replace(settings, fusion=calibration.params)
    else:
        scored = score_queries(index, queries)

    fused = report(scored, entry_ids, settings)
    print_targets(fused)
    print_detection(scored)
    print_failures(scored, entry_ids, settings, args.failures)
    print(f"\n({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
