"""LINE webhook under load: acknowledgement latency while the engine is saturated, and messages per second.

    .venv/app/bin/python -m benchmarks.line_webhook [--events 400] [--users 80] [--concurrency 16]

Starts the real stack (Rasa, action server, gateway as `make run` does) with the LINE channel pointed at the
local LINE API stand-in, then floods the webhook with signed text events far faster than Rasa can answer them.
Prints:
  - acknowledgement latency p50/p99 (the webhook's 200; it must not wait for Rasa, so it stays small while
    hundreds of events wait for the engine),
  - end-to-end messages per second (first webhook sent to last answer accepted by the stand-in),
  - end-to-end latency p50/p99 of one message under that load.
Logs of the three components go to test-artifacts/bench-line-webhook.log.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp
import redis

from knowledge_base.storage import drop_database
from scripts.stack import LogSink, Stack, train_model
from tests.line_standin import PUSH, REPLY, LineApiStandIn, webhooks
from tests.support import ARTIFACTS, free_port, isolated_config

CHANNEL_SECRET = "bench-channel-secret"
ACCESS_TOKEN = "bench-channel-access-token"
TURNS = ["こんにちは", "住民票の写しがほしいです", "ごみの出し方を教えて", "マイナンバーカードを作りたい", "ありがとう"]


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


async def flood(gateway_url: str, api: LineApiStandIn, events: int, users: int, concurrency: int) -> dict:
    user_ids = [webhooks.new_user_id() for _ in range(users)]
    bodies = []
    for n in range(events):
        user = user_ids[n % users]
        token = api.new_reply_token(user)
        bodies.append((token, webhooks.body(webhooks.text(user, token, TURNS[n % len(TURNS)]))))
    sent_at: dict[str, float] = {}
    ack_ms: list[float] = []
    queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()
    for item in bodies:
        queue.put_nowait(item)

    async def poster(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            token, body = queue.get_nowait()
            headers = {"Content-Type": "application/json", "X-Line-Signature": webhooks.sign(body, CHANNEL_SECRET)}
            started = time.perf_counter()
            sent_at[token] = time.monotonic()
            async with session.post(f"{gateway_url}/line/webhook", data=body, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"webhook answered {response.status}")
            ack_ms.append((time.perf_counter() - started) * 1000)

    def answered() -> int:
        return sum(1 for call in api.calls_to(REPLY) if call.ok)

    start = time.monotonic()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        await asyncio.gather(*(poster(session) for _ in range(concurrency)))
    flood_seconds = time.monotonic() - start
    waiting_after_flood = events - answered()
    await api.wait_for(lambda: answered() >= events, timeout=max(600.0, events * 2.0))
    total_seconds = time.monotonic() - start
    done_at = {call.body["replyToken"]: call for call in api.calls_to(REPLY) if call.ok}
    e2e_ms = [(call.received_at - sent_at[token]) * 1000 for token, call in done_at.items()]
    return {
        "ack_ms": ack_ms,
        "flood_seconds": flood_seconds,
        "waiting_after_flood": waiting_after_flood,
        "total_seconds": total_seconds,
        "e2e_ms": e2e_ms,
        "pushes": len(api.calls_to(PUSH)),
    }


async def run(args: argparse.Namespace) -> None:
    api = LineApiStandIn(ACCESS_TOKEN)
    api_port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        config = isolated_config(
            Path(tmp),
            LINE_CHANNEL_SECRET=CHANNEL_SECRET,
            LINE_CHANNEL_ACCESS_TOKEN=ACCESS_TOKEN,
            LINE_API_BASE_URL=f"http://127.0.0.1:{api_port}",
        )
        ARTIFACTS.mkdir(exist_ok=True)
        with open(os.devnull, "w") as quiet:
            sink = LogSink(quiet, ARTIFACTS / "bench-line-webhook.log")
            stack = Stack(config, train_model(), sink)
            await api.start(api_port)
            stack.start()
            try:
                healthy = await asyncio.to_thread(stack.wait_healthy, 600)
                if not healthy:
                    raise SystemExit("the stack did not become healthy; see test-artifacts/bench-line-webhook.log")
                # Warm up: the first turns load models and caches.
                await flood(config.gateway_url, api, 10, 5, 2)
                api.calls.clear()
                figures = await flood(config.gateway_url, api, args.events, args.users, args.concurrency)
            finally:
                stack.stop()
                sink.close()
                await api.close()
                client = redis.Redis.from_url(config.redis_url)
                keys = list(client.scan_iter(f"{config.redis_prefix}:*"))
                if keys:
                    client.delete(*keys)
                drop_database(config.database_url)
    ack, e2e = figures["ack_ms"], figures["e2e_ms"]
    print(f"LINE webhook benchmark: {args.events} text events from {args.users} residents, {args.concurrency} at once")
    print(f"  flood sent in {figures['flood_seconds']:.2f} s; {figures['waiting_after_flood']} still waiting for")
    print("  the engine when the last webhook was acknowledged (the engine was saturated)")
    print(
        f"  acknowledgement latency: p50 {percentile(ack, 50):.1f} ms, p99 {percentile(ack, 99):.1f} ms, "
        f"max {max(ack):.1f} ms"
    )
    print(
        f"  end to end: {args.events / figures['total_seconds']:.1f} messages/s "
        f"({args.events} answered in {figures['total_seconds']:.1f} s)"
    )
    print(
        f"  end-to-end latency under this load: p50 {percentile(e2e, 50) / 1000:.1f} s, "
        f"p99 {percentile(e2e, 99) / 1000:.1f} s"
    )
    print(f"  pushes (reply not usable): {figures['pushes']}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.line_webhook", description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=400)
    parser.add_argument("--users", type=int, default=80)
    parser.add_argument("--concurrency", type=int, default=16)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
