"""Staff commands for disaster mode (python -m knowledge_base.disaster ...; guide: README.md here).

    on --hazard flood --level 4 --message "鬼怒川が氾濫するおそれがあります" [--broadcast]
        災害モードを始める（すでに始まっていれば、新しい内容に置き換える）。配信する文を表示する。
        --broadcast: LINE の友だちにも一斉配信する
    off         災害モードを終える
    status      いまの状態
    broadcast   いまの警報をもう一度配信する（同じ再送キー: 届いた人に二重には届かない）

Exit codes: 0 done, 1 failed (database, broadcast), 2 bad usage. The operations are knowledge_base.operations'
(the admin API's too); the broadcaster comes from the caller (__main__.py gives the LINE one).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable

from knowledge_base.disaster import state as store
from knowledge_base.disaster.broadcast import Broadcaster
from knowledge_base.disaster.levels import level
from knowledge_base.disaster.state import DisasterState
from knowledge_base.operations import disaster
from knowledge_base.operations.disaster import BroadcastOutcome
from knowledge_base.operations.errors import BroadcastUnavailable, InvalidRequest, OperationError
from knowledge_base.shelters.hazards import Hazard

STAFF_SOURCE = "staff-command"

# Made only when a broadcast is asked for (a channel may be slow to import, or absent).
BroadcasterFactory = Callable[[], Broadcaster | None]


def _describe(state: DisasterState) -> str:
    when = state.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return (
        f"災害モード: オン（{when} から）\n"
        f"  災害: {state.hazard.column}（{state.hazard.value}）\n"
        f"  警戒レベル{state.level} {level(state.level).name['ja']}\n"
        f"  メッセージ: {state.message}\n"
        f"  再送キー: {state.announcement_id}"
    )


def _report(outcome: BroadcastOutcome) -> int:
    if not outcome.sent:
        print(f"一斉配信に失敗しました: {outcome.error}", file=sys.stderr)
        print(
            "災害モードはオンのままです。`python -m knowledge_base.disaster broadcast` で再送できます。",
            file=sys.stderr,
        )
        return 1
    delivered = getattr(outcome.report, "delivered", None)
    print("一斉配信しました。" + (f"（{delivered}人に届きました）" if delivered is not None else ""))
    return 0


async def cmd_on(args: argparse.Namespace, broadcaster: BroadcasterFactory) -> int:
    try:
        done = await disaster.switch_on(
            args.hazard,
            args.level,
            args.message,
            STAFF_SOURCE,
            broadcaster=broadcaster() if args.broadcast else None,
            broadcast=args.broadcast,
        )
    except InvalidRequest as exc:
        print(f"災害モードを始められません: {exc.message_ja}", file=sys.stderr)
        return 2
    except BroadcastUnavailable as exc:
        print(f"{exc.message_ja}。--broadcast を付けずに実行してください。", file=sys.stderr)
        return 2
    print(_describe(done.state))
    print("\n配信する文:\n" + done.announcement.text)
    return _report(done.broadcast) if done.broadcast else 0


async def cmd_off(args: argparse.Namespace, broadcaster: BroadcasterFactory) -> int:
    ended = await disaster.switch_off(STAFF_SOURCE)
    print("災害モードを終えました。" if ended else "災害モードはもともとオフです。")
    return 0


async def cmd_status(args: argparse.Namespace, broadcaster: BroadcasterFactory) -> int:
    state = await disaster.current()
    print(_describe(state) if state else "災害モード: オフ")
    return 0


async def cmd_broadcast(args: argparse.Namespace, broadcaster: BroadcasterFactory) -> int:
    try:
        outcome = await disaster.rebroadcast(broadcaster())
    except (InvalidRequest, BroadcastUnavailable) as exc:
        print(exc.message_ja, file=sys.stderr)
        return 2
    return _report(outcome)


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


def main(argv: list[str], broadcaster: BroadcasterFactory = lambda: None) -> int:
    """Run one command; `broadcaster` makes the channel for `on --broadcast` and `broadcast` (none by default)."""
    args = parser().parse_args(argv)
    try:
        return asyncio.run(args.run(args, broadcaster))
    except OperationError as exc:  # the database: said plainly, no traceback
        print(exc.message_ja, file=sys.stderr)
        return 1
