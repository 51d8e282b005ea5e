"""Staff commands for disaster mode (python -m knowledge_base.disaster ...; guide: README.md here).

    on --hazard flood --level 4 --message "鬼怒川が氾濫するおそれがあります" [--broadcast]
        災害モードを始める（すでに始まっていれば、新しい内容に置き換える）。配信する文を表示する。
        --broadcast: LINE の友だちにも一斉配信する
    off         災害モードを終える
    status      いまの状態
    broadcast   いまの警報をもう一度配信する（同じ再送キー: 届いた人に二重には届かない）

Exit codes: 0 done, 1 failed (database, broadcast), 2 bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import psycopg

from knowledge_base.disaster import state as store
from knowledge_base.disaster.broadcast import Announcement, Broadcaster, BroadcasterUnavailable, load_broadcaster
from knowledge_base.disaster.levels import level
from knowledge_base.disaster.state import Alert, DisasterState, InvalidAlert
from knowledge_base.shelters.hazards import Hazard

STAFF_SOURCE = "staff-command"


def _describe(state: DisasterState) -> str:
    when = state.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return (
        f"災害モード: オン（{when} から）\n"
        f"  災害: {state.hazard.column}（{state.hazard.value}）\n"
        f"  警戒レベル{state.level} {level(state.level).name['ja']}\n"
        f"  メッセージ: {state.message}\n"
        f"  再送キー: {state.announcement_id}"
    )


def _broadcast(broadcaster: Broadcaster, announcement: Announcement) -> int:
    try:
        report = asyncio.run(broadcaster(announcement))
    except Exception as exc:  # the broadcast failing must not hide that disaster mode is on
        print(f"一斉配信に失敗しました: {exc}", file=sys.stderr)
        print(
            "災害モードはオンのままです。`python -m knowledge_base.disaster broadcast` で再送できます。",
            file=sys.stderr,
        )
        return 1
    print("一斉配信しました。" + (f"（{report.delivered}人に届きました）" if hasattr(report, "delivered") else ""))
    return 0


def cmd_on(args: argparse.Namespace) -> int:
    try:
        alert = Alert.parse(args.hazard, args.level, args.message)
    except InvalidAlert as exc:
        print(f"災害モードを始められません: {exc}", file=sys.stderr)
        return 2
    broadcaster = None
    if args.broadcast:
        # Find the broadcaster before switching on, so a missing one is said before anything changes.
        try:
            broadcaster = load_broadcaster()
        except BroadcasterUnavailable as exc:
            print(f"一斉配信ができません: {exc}。--broadcast を付けずに実行してください。", file=sys.stderr)
            return 2
    state = store.switch_on(alert, STAFF_SOURCE)
    announcement = Announcement.of(state)
    print(_describe(state))
    print("\n配信する文:\n" + announcement.text)
    return _broadcast(broadcaster, announcement) if broadcaster else 0


def cmd_off(args: argparse.Namespace) -> int:
    ended = store.switch_off(STAFF_SOURCE)
    print("災害モードを終えました。" if ended else "災害モードはもともとオフです。")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    state = store.current()
    print(_describe(state) if state else "災害モード: オフ")
    return 0


def cmd_broadcast(args: argparse.Namespace) -> int:
    state = store.current()
    if state is None:
        print("災害モードがオフなので、配信するものがありません。", file=sys.stderr)
        return 2
    try:
        broadcaster = load_broadcaster()
    except BroadcasterUnavailable as exc:
        print(f"一斉配信ができません: {exc}", file=sys.stderr)
        return 2
    return _broadcast(broadcaster, Announcement.of(state))


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m knowledge_base.disaster", description="災害モード")
    sub = root.add_subparsers(dest="command", required=True)
    on = sub.add_parser("on", help="災害モードを始める")
    on.add_argument(
        "--hazard", required=True, help=f"災害の種類: {', '.join(h.value for h in Hazard)}（洪水 なども可）"
    )
    on.add_argument("--level", required=True, help="警戒レベル 1〜5")
    on.add_argument("--message", required=True, help=f"住民に伝えるメッセージ（{store.MAX_MESSAGE_LENGTH}文字以内）")
    on.add_argument("--broadcast", action="store_true", help="LINE の友だちに一斉配信する")
    on.set_defaults(run=cmd_on)
    sub.add_parser("off", help="災害モードを終える").set_defaults(run=cmd_off)
    sub.add_parser("status", help="いまの状態").set_defaults(run=cmd_status)
    sub.add_parser("broadcast", help="いまの警報をもう一度配信する").set_defaults(run=cmd_broadcast)
    return root


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except psycopg.OperationalError as exc:
        print(f"データベースに接続できません（DATABASE_URL を確認してください）: {exc}", file=sys.stderr)
        return 1
