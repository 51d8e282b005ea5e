"""One long conversation: does a turn cost more at turn 500 than at turn 10, and does anyone else wait for it?

    .venv/app/bin/python -m benchmarks.long_conversation [--turns 500] [--probe-interval 1.0]

Starts the real stack (Rasa, action server, gateway as `make run` does) on free loopback ports, then one session
sends quick turns (a greeting, thanks, menu buttons) through `POST /api/chat`, each as soon as the previous one is
answered; around each checkpoint, each turn is followed by the same turn in a fresh conversation (the yardstick
on a machine whose load varies). Meanwhile a second session sends one message a second, and `/healthz` is asked
every two seconds.
Prints:
  - time per turn of the long session: the median of turns 1-10, and of the ten turns up to 100, 200, 300, 500,
  - the ratio turn 500 / turn 10 (target: within 1.5), and each checkpoint against the fresh conversation,
  - the second session's latency p50/max and every non-200 it got, and every non-200 of /healthz.
Logs of the three components go to test-artifacts/bench-long-conversation.log.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from knowledge_base.storage import drop_database
from scripts.stack import LogSink, Stack, train_model
from tests.support import ARTIFACTS, _forget_conversations, isolated_config

# Quick turns: each is answered by rules and a custom action, without the FAQ search.
TURNS: list[dict[str, str]] = [
    {"text": "こんにちは"},
    {"payload": '/show_menu{"menu": "procedures"}'},
    {"text": "ありがとう"},
    {"payload": '/show_menu{"menu": "disaster"}'},
    {"payload": '/show_menu{"menu": "main"}'},
]
CHECKPOINTS = (100, 200, 300, 500)


@dataclass
class Observed:
    turn_seconds: list[float] = field(default_factory=list)
    fresh_seconds: dict[int, list[float]] = field(default_factory=dict)
    turn_errors: list[tuple[int, int]] = field(default_factory=list)
    probe_seconds: list[float] = field(default_factory=list)
    probe_errors: list[tuple[float, int]] = field(default_factory=list)
    health_errors: list[tuple[float, int]] = field(default_factory=list)


async def chat(http: aiohttp.ClientSession, url: str, session_id: str, body: dict[str, str]) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        async with http.post(f"{url}/api/chat", json={"session_id": session_id, **body}) as response:
            await response.read()
            status = response.status
    except (aiohttp.ClientError, TimeoutError):
        status = 0
    return status, time.perf_counter() - started


async def long_session(http: aiohttp.ClientSession, url: str, turns: int, seen: Observed) -> None:
    for n in range(1, turns + 1):
        body = TURNS[(n - 1) % len(TURNS)]
        status, seconds = await chat(http, url, "bench-long", body)
        seen.turn_seconds.append(seconds)
        if status != 200:
            seen.turn_errors.append((n, status))
        checkpoint = next((c for c in (10, *CHECKPOINTS) if c - 10 < n <= c), None)
        if checkpoint is not None and checkpoint <= turns:
            # The machine's load changes over a run: a fresh conversation's turn at the same moment is the yardstick.
            _, fresh = await chat(http, url, f"bench-fresh-{checkpoint}", body)
            seen.fresh_seconds.setdefault(checkpoint, []).append(fresh)
        if n in CHECKPOINTS or n == 10:
            print(f"  turn {n}: {seconds * 1000:.0f} ms", flush=True)


async def every(interval: float, stop: asyncio.Event, task: Callable[[float], Awaitable[None]]) -> None:
    while not stop.is_set():
        started = time.monotonic()
        await task(started)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=max(0.0, interval - (time.monotonic() - started)))


async def measure(url: str, turns: int, probe_interval: float) -> Observed:
    seen = Observed()
    stop = asyncio.Event()
    began = time.monotonic()
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        # Warm up: the first turns load models and caches.
        for body in TURNS:
            await chat(http, url, "bench-warmup", body)

        async def probe(started: float) -> None:
            status, seconds = await chat(http, url, "bench-other", {"text": "こんにちは"})
            seen.probe_seconds.append(seconds)
            if status != 200:
                seen.probe_errors.append((started - began, status))

        async def health(started: float) -> None:
            try:
                async with http.get(f"{url}/healthz") as response:
                    status = response.status
            except (aiohttp.ClientError, TimeoutError):
                status = 0
            if status != 200:
                seen.health_errors.append((started - began, status))

        background = [
            asyncio.create_task(every(probe_interval, stop, probe)),
            asyncio.create_task(every(2.0, stop, health)),
        ]
        try:
            await long_session(http, url, turns, seen)
        finally:
            stop.set()
            await asyncio.gather(*background)
    return seen


def window_median(seconds: list[float], last_turn: int) -> float:
    """Median time of the ten turns up to `last_turn` (1-based), in milliseconds."""
    return statistics.median(seconds[max(0, last_turn - 10) : last_turn]) * 1000


def report(seen: Observed, turns: int) -> None:
    print(f"Long conversation benchmark: {turns} quick turns in one session, another session once a second")
    first = window_median(seen.turn_seconds, 10)
    print(f"  time per turn (median of 10): turns 1-10 {first:.0f} ms", end="")
    for checkpoint in CHECKPOINTS:
        if checkpoint <= turns:
            print(f", at {checkpoint} {window_median(seen.turn_seconds, checkpoint):.0f} ms", end="")
    print()
    last = max(c for c in (10, *CHECKPOINTS) if c <= turns)
    print(f"  ratio turn {last} / turn 10: {window_median(seen.turn_seconds, last) / first:.2f} (target <= 1.5)")
    print("  the same turns of a fresh conversation at that moment (the machine's load varies):", end="")
    for checkpoint, fresh in sorted(seen.fresh_seconds.items()):
        fresh_ms = statistics.median(fresh) * 1000
        long_ms = window_median(seen.turn_seconds, checkpoint)
        print(f" at {checkpoint} {fresh_ms:.0f} ms (long/fresh {long_ms / fresh_ms:.2f})", end="")
    print()
    print(f"  long session: non-200 answers {len(seen.turn_errors)} {seen.turn_errors[:10]}")
    probes = seen.probe_seconds
    if probes:
        print(
            f"  other session: {len(probes)} messages, p50 {statistics.median(probes) * 1000:.0f} ms, "
            f"max {max(probes) * 1000:.0f} ms, non-200 {len(seen.probe_errors)} {seen.probe_errors[:10]}"
        )
    print(f"  /healthz non-200 during the run: {len(seen.health_errors)} {seen.health_errors[:10]}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.long_conversation", description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=500)
    parser.add_argument("--probe-interval", type=float, default=1.0)
    args = parser.parse_args()
    if not 10 <= args.turns <= 5000:
        parser.error("--turns: between 10 and 5000")
    with tempfile.TemporaryDirectory() as tmp:
        config = isolated_config(Path(tmp))
        ARTIFACTS.mkdir(exist_ok=True)
        with open(os.devnull, "w") as quiet:
            sink = LogSink(quiet, ARTIFACTS / "bench-long-conversation.log")
            stack = Stack(config, train_model(), sink)
            stack.start()
            try:
                if not stack.wait_healthy(600):
                    raise SystemExit("the stack did not become healthy; see test-artifacts/bench-long-conversation.log")
                seen = asyncio.run(measure(config.gateway_url, args.turns, args.probe_interval))
            finally:
                stack.stop()
                sink.close()
                _forget_conversations(config.redis_prefix)
                drop_database(config.database_url)
    report(seen, args.turns)


if __name__ == "__main__":
    main()
