"""Staff commands for the shelter data (python -m knowledge_base.shelters ...; guide: README.md here).

    check                         読み込めるか確認し、問題のある行を「ファイル:行: 理由」で表示
    import 常総市 --emergency mergeFromCity_2.csv --shelters mergeFromCity_1.csv --out DIR
                                  全国版から1つの市町村を取り出し、市町村版のファイルを作る
    download --out DIR [--base-url URL]
                                  国土地理院から全国版をダウンロード（確認してから置き換え）
    status list | status set <共通ID|施設名> <未開設|開設|満員> | status reset
                                  開設状況（すぐにチャットボットの答えに反映）
    nearest <緯度> <経度> [--hazard flood] [--care]
                                  チャットボットが案内する避難場所を確かめる
    towns                         町名で探せる町の一覧

Exit codes: 0 done, 1 done but problems were found (or the operation failed), 2 bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import psycopg

from knowledge_base.operations import shelters as shelter_operations
from knowledge_base.operations.errors import Ambiguous, InvalidRequest, NotFound, OperationError
from knowledge_base.shelters import status as status_store
from knowledge_base.shelters.download import DownloadError, base_url_from_env, download_national
from knowledge_base.shelters.finder import candidates, rank
from knowledge_base.shelters.gsi_csv import FileKind
from knowledge_base.shelters.hazards import Hazard, parse_hazard
from knowledge_base.shelters.importer import MunicipalityImportError, import_municipality
from knowledge_base.shelters.registry import Registry, load_registry, registry_from_env

STAFF_SOURCE = "staff-command"


def _print_problems(problems: list) -> None:
    for problem in problems:
        print(problem)


def _registry(args: argparse.Namespace) -> Registry:
    if getattr(args, "emergency", None) or getattr(args, "shelters", None):
        return load_registry(args.emergency, args.shelters)
    return registry_from_env()


def cmd_check(args: argparse.Namespace) -> int:
    registry = _registry(args)
    _print_problems(registry.problems)
    source = "デモデータ（架空）" if registry.demo else "、".join(registry.sources)
    print(f"読み込んだファイル: {source}")
    print(f"場所: {len(registry.places)} か所（福祉避難所 {sum(p.welfare for p in registry.places)}）")
    for hazard in Hazard:
        print(f"  {hazard.column}: {registry.count(hazard)}")
    print(f"町名で探せる町: {len(registry.towns)}")
    errors = len(registry.errors)
    if not registry.usable:
        print("このデータでは避難先を案内できません。上の問題を直してください。")
        return 1
    print("問題はありません。" if not registry.problems else f"エラー {errors} 件（その行は読み込んでいません）")
    return 1 if errors else 0


def cmd_import(args: argparse.Namespace) -> int:
    try:
        result = import_municipality(args.municipality, args.emergency, args.shelters, args.out)
    except MunicipalityImportError as exc:
        print(f"取り込めません: {exc}", file=sys.stderr)
        return 2
    _print_problems(result.problems)
    print(f"{result.municipality}（コード {result.code or '不明'}）")
    for kind, path in result.files.items():
        print(f"  {kind.label}: {result.rows[kind]} 行 → {path}")
    print("チャットボットで使うには、次の環境変数を設定して再起動してください:")
    print(f"  EMERGENCY_SITES_CSV={result.files[FileKind.EMERGENCY_SITES].resolve()}")
    if FileKind.SHELTERS in result.files:
        print(f"  SHELTERS_CSV={result.files[FileKind.SHELTERS].resolve()}")
    return 1 if any(p.severity == "error" for p in result.problems) else 0


def cmd_download(args: argparse.Namespace) -> int:
    try:
        results = download_national(args.out, args.base_url)
    except DownloadError as exc:
        print(f"ダウンロードできませんでした（手元のファイルはそのままです）: {exc}", file=sys.stderr)
        return 1
    for result in results:
        print(f"{result.kind.label}: {result.rows} 行 ← {result.url}")
        print(f"  保存先: {result.path}（問題のある行 {sum(p.severity == 'error' for p in result.problems)} 件）")
    print("1つの市町村だけ使うときは import コマンドで取り出してください。")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_status(args))
    except (InvalidRequest, NotFound) as exc:
        print(exc.message_ja, file=sys.stderr)
        return 2
    except Ambiguous as exc:
        print(exc.message_ja, file=sys.stderr)
        for place in exc.details["candidates"]:
            print(f"  {place['place_id']}\t{place['name']}\t{place['address']}", file=sys.stderr)
        return 2
    except OperationError as exc:
        print(exc.message_ja, file=sys.stderr)
        return 1


async def _status(args: argparse.Namespace) -> int:
    if args.action == "list":
        entries = await shelter_operations.list_statuses(registry_from_env())
        if not entries:
            print("開設状況はまだ登録されていません（すべて未開設）。")
        for entry in entries:
            name = entry.name or "（今のデータにない場所）"
            when = entry.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
            print(f"{entry.place_id}\t{name}\t{entry.status.official}\t{when}\t{entry.updated_by}")
        return 0
    if args.action == "reset":
        changed = await shelter_operations.reset_statuses(STAFF_SOURCE)
        print(f"すべて未開設に戻しました（{changed} か所を変更。履歴は残っています）。")
        return 0
    # The status word is checked before the shelter data is read: a typo is said at once.
    shelter_operations.parse_new_status(args.status)
    changed = await shelter_operations.set_status(registry_from_env(), args.place, args.status, STAFF_SOURCE)
    place, status = changed.place, changed.status
    print(f"{place.name}（{place.id}）を「{status.official}」にしました。すぐにチャットボットの答えに反映されます。")
    return 0


def cmd_nearest(args: argparse.Namespace) -> int:
    hazard = parse_hazard(args.hazard)
    if hazard is None:
        print(f"災害の種類「{args.hazard}」が分かりません（例: flood, 洪水, earthquake, 地震）。", file=sys.stderr)
        return 2
    registry = registry_from_env()
    found = candidates(registry, args.latitude, args.longitude, hazard, need_care=args.care)
    try:
        statuses = {r.place_id: r.status for r in status_store.all_statuses()}
    except psycopg.OperationalError:
        print("（データベースに接続できないため、開設状況は表示しません）")
        statuses = {}
    result = rank(found, statuses, disaster_mode=args.disaster, demo=registry.demo)
    print(
        f"{hazard.column}: {result.whereabouts.value} {result.municipality}" + ("（デモデータ）" if result.demo else "")
    )
    for s in result.sites:
        print(f"  {s.distance_m:7.0f} m  {s.place.name}\t{s.status.official}\t{s.place.address}\t{s.place.id}")
    for s in result.welfare:
        print(f"  福祉避難所 {s.distance_m:7.0f} m  {s.place.name}\t{s.status.official}\t{s.place.address}")
    return 0


def cmd_towns(args: argparse.Namespace) -> int:
    registry = registry_from_env()
    for town in registry.towns.towns:
        print(f"{town.municipality}\t{town.name}\t{town.latitude:.6f}\t{town.longitude:.6f}\t{town.places}")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m knowledge_base.shelters", description=__doc__.split("\n")[0])
    sub = root.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="データを確認する（既定は EMERGENCY_SITES_CSV / SHELTERS_CSV）")
    check.add_argument("--emergency", type=Path, help="指定緊急避難場所の CSV")
    check.add_argument("--shelters", type=Path, help="指定避難所の CSV")
    check.set_defaults(run=cmd_check)

    imp = sub.add_parser("import", help="全国版から1つの市町村を取り出す")
    imp.add_argument("municipality", help="市町村名（例: 常総市、茨城県常総市）または市町村コード（例: 08211）")
    imp.add_argument("--emergency", type=Path, required=True, help="全国版 指定緊急避難場所（mergeFromCity_2.csv）")
    imp.add_argument("--shelters", type=Path, help="全国版 指定避難所（mergeFromCity_1.csv）")
    imp.add_argument("--out", type=Path, required=True, help="書き出すフォルダ")
    imp.set_defaults(run=cmd_import)

    dl = sub.add_parser("download", help="国土地理院から全国版をダウンロードする")
    dl.add_argument("--out", type=Path, required=True, help="保存するフォルダ")
    dl.add_argument("--base-url", default=None, help=f"取得元（既定: GSI_DATA_BASE_URL または {base_url_from_env()}）")
    dl.set_defaults(run=cmd_download)

    st = sub.add_parser("status", help="開設状況（未開設・開設・満員）")
    st_sub = st.add_subparsers(dest="action", required=True)
    st_sub.add_parser("list", help="登録されている開設状況")
    st_sub.add_parser("reset", help="すべて未開設に戻す（災害のあと）")
    st_set = st_sub.add_parser("set", help="1か所の開設状況を変える")
    st_set.add_argument("place", help="共通ID（どちらのファイルのものでも可）または施設・場所名")
    st_set.add_argument("status", help="未開設 / 開設 / 満員（closed / open / full）")
    st.set_defaults(run=cmd_status)

    near = sub.add_parser("nearest", help="ある地点で案内される避難場所を確かめる")
    near.add_argument("latitude", type=float)
    near.add_argument("longitude", type=float)
    near.add_argument("--hazard", default=Hazard.FLOOD.value)
    near.add_argument("--care", action="store_true", help="福祉避難所も表示")
    near.add_argument("--disaster", action="store_true", help="災害モードの並び順（開設中を先に）")
    near.set_defaults(run=cmd_nearest)

    towns = sub.add_parser("towns", help="町名で探せる町の一覧")
    towns.set_defaults(run=cmd_towns)
    return root


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    return args.run(args)
