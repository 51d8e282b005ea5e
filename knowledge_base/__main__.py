"""Staff commands for the FAQ (guide in Japanese: knowledge_base/README.md).

    python -m knowledge_base validate [DIR]         check the YAML; every problem as file:line: message
    python -m knowledge_base validate --report      ... and which entries lack a source or a specific page
    python -m knowledge_base build [DIR] [--force]  build the search index (only when something changed)
    python -m knowledge_base search "質問" [DIR]      what the bot would answer, with scores
    python -m knowledge_base misses [--days N]      questions the bot could not answer (personal data removed)

DIR defaults to $FAQ_DIR, else knowledge_base/faq. Exit status 1 when the YAML has errors.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge_base.catalog import FaqEntry, LoadResult
from settings import FaqSettings

if TYPE_CHECKING:
    from knowledge_base.catalog.validator import Coverage


def _faq_dir(value: str | None) -> Path:
    return Path(value) if value else FaqSettings().directory


def _shown(path: str) -> str:
    """A path relative to the current directory when it is under it (shorter, and clickable in editors)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


def _print_problems(result: LoadResult) -> None:
    for problem in result.problems:
        print(f"{_shown(problem.file)}:{problem.line}: {problem.severity}: {problem.message}")


def _summary(result: LoadResult) -> str:
    return (
        f"{len(result.files)} ファイル、{len(result.entries)} エントリー: "
        f"エラー {len(result.errors)}、警告 {len(result.warnings)}、要確認 {len(result.reviews)}"
    )


def validate(args: argparse.Namespace) -> int:
    from knowledge_base.catalog.validator import coverage, validate_directory

    result = validate_directory(_faq_dir(args.dir))
    _print_problems(result)
    covered = coverage(result.entries)
    if args.report:
        _print_report(result, covered)
    print(covered.summary())
    print(_summary(result))
    return 1 if result.errors else 0


def _print_report(result: LoadResult, covered: Coverage) -> None:
    """Per file: how many entries have sources and a specific page; which do not (staff's work list)."""
    print("--- 出典と url の状況（ファイルごと）")
    by_file: dict[str, list[FaqEntry]] = {}
    for entry in result.entries:
        by_file.setdefault(entry.source_file, []).append(entry)
    unsourced = {e.id for e in covered.unsourced}
    top_only = {e.id for e in covered.top_page_only}
    for file, entries in by_file.items():
        with_sources = sum(e.id not in unsourced for e in entries)
        specific = sum(e.id not in top_only for e in entries)
        print(f"{_shown(file)}: 出典あり {with_sources}/{len(entries)}、くわしいページ {specific}/{len(entries)}")
        for entry in entries:
            lacks = [
                what for what, ids in (("出典なし", unsourced), ("url がトップページ", top_only)) if entry.id in ids
            ]
            if lacks:
                print(f"  {_shown(file)}:{entry.source_line}: {entry.id}: {'、'.join(lacks)}")


def build(args: argparse.Namespace) -> int:
    from knowledge_base.catalog.validator import validate_directory
    from knowledge_base.retrieval.settings import load_settings
    from knowledge_base.retrieval.store import build_and_store, index_key, index_path

    directory = _faq_dir(args.dir)
    result = validate_directory(directory)
    if result.errors:
        _print_problems(result)
        print(_summary(result))
        print("エラーがあるため索引を作りませんでした。動いているボットは前の索引のまま答えます。", file=sys.stderr)
        return 1
    settings = load_settings()
    key = index_key(result.fingerprint, settings)
    if args.force:
        shutil.rmtree(index_path(key), ignore_errors=True)
    path, built = build_and_store(result.entries, key, settings)
    state = "FAQ 索引を作りました" if built else "FAQ 索引は最新です（作り直す必要はありません）"
    print(f"{state}: {len(result.entries)} エントリー → {path}")
    return 0


def search(args: argparse.Namespace) -> int:
    from knowledge_base.catalog.validator import validate_directory
    from knowledge_base.language import detect_language
    from knowledge_base.retrieval.encoder import load_encoder
    from knowledge_base.retrieval.hybrid import HybridRetriever
    from knowledge_base.retrieval.settings import load_settings
    from knowledge_base.retrieval.store import build_and_store, index_key, open_index

    result = validate_directory(_faq_dir(args.dir))
    if result.errors:
        _print_problems(result)
        return 1
    settings = load_settings()
    path, _ = build_and_store(result.entries, index_key(result.fingerprint, settings), settings)
    retriever = HybridRetriever(open_index(path, settings), load_encoder(), settings)
    language = detect_language(args.question)
    decision = retriever.answer(args.question, language)
    routed = f"  案内する課: {decision.department.name}" if decision.department else ""
    if decision.outcome.value != "answer" and not decision.department:
        routed = "  案内: 市役所の代表番号"
    print(f"言語: {language}  結果: {decision.outcome.value}{routed}")
    for candidate in retriever.search(args.question, k=args.k, language=language):
        print(
            f"  {candidate.score:.3f}  (dense {candidate.dense:.3f}, lexical {candidate.lexical:.3f})  "
            f"{candidate.entry.id}: {candidate.entry.question}"
        )
    return 0


def misses(args: argparse.Namespace) -> int:
    import psycopg

    from knowledge_base.retrieval.misses import list_misses

    try:
        found = list_misses(days=args.days, limit=args.limit)
    except psycopg.Error as exc:
        print(f"データベースに接続できません（DATABASE_URL を確認してください）: {exc}", file=sys.stderr)
        return 2
    print(f"答えられなかった質問（直近 {args.days} 日、新しい順、{len(found)} 件）")
    for miss in found:
        guess = f"  ← 近かったもの: {miss.best_entry} ({miss.best_score:.2f})" if miss.best_entry else ""
        print(f"{miss.asked_at:%Y-%m-%d %H:%M}  [{miss.language}]  {miss.question}{guess}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge_base", description="FAQ の確認・索引・統計")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("validate", help="YAML を確認する")
    p.add_argument("dir", nargs="?")
    p.add_argument(
        "--report", action="store_true", help="出典のないエントリー、url がトップページのエントリーも一覧する"
    )
    p.set_defaults(run=validate)
    p = commands.add_parser("build", help="検索用の索引を作る（変更があったときだけ）")
    p.add_argument("dir", nargs="?")
    p.add_argument("--force", action="store_true", help="変更がなくても作り直す")
    p.set_defaults(run=build)
    p = commands.add_parser("search", help="ボットがどう答えるか試す")
    p.add_argument("question")
    p.add_argument("dir", nargs="?")
    p.add_argument("-k", type=int, default=5, help="表示する候補の数")
    p.set_defaults(run=search)
    p = commands.add_parser("misses", help="答えられなかった質問を見る")
    p.add_argument("--days", type=int, default=30)
    p.add_argument("--limit", type=int, default=200)
    p.set_defaults(run=misses)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
