"""The gateway's view of the engine: busy is not dead (stand-ins for Rasa and the action server)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from connectors.app import create_app
from connectors.settings import Settings


@dataclass
class EngineStandIn:
    """Rasa and the action server in one: answers chats at once; Rasa's health answer can be made to hang
    (a busy single-threaded Rasa answers its probe late)."""

    health_hangs: bool = False
    chats: int = 0

    async def health(self, request: web.Request) -> web.Response:
        if self.health_hangs:
            await asyncio.sleep(30)
        return web.json_response({"status": "ok"})

    async def actions_health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def chat(self, request: web.Request) -> web.Response:
        self.chats += 1
        return web.json_response([{"recipient_id": "x", "text": "こんにちは"}])

    def app(self) -> web.Application:
        app = web.Application()
        app.add_routes([web.get("/", self.health), web.get("/health", self.actions_health)])
        app.add_routes([web.post("/webhooks/rest/webhook", self.chat)])
        return app


@pytest.fixture
async def engine() -> AsyncIterator[tuple[EngineStandIn, TestServer]]:
    stand_in = EngineStandIn()
    async with TestServer(stand_in.app()) as server:
        yield stand_in, server


def _gateway(tmp_path: Path, rasa_port: int, action_port: int) -> web.Application:
    settings = Settings(
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_server_url=f"http://127.0.0.1:{action_port}",
        state_dir=tmp_path,
        health_timeout=0.2,
        health_interval=0.2,
        health_failures=3,
    )
    return create_app(settings)


async def test_a_busy_engine_that_answers_residents_stays_up(
    tmp_path: Path, engine: tuple[EngineStandIn, TestServer]
) -> None:
    stand_in, server = engine
    async with TestClient(TestServer(_gateway(tmp_path, server.port, server.port))) as client:
        stand_in.health_hangs = True
        statuses = []
        for n in range(15):  # about 3 s: many more failed probes than health_failures
            chat = await client.post("/api/chat", json={"session_id": "busy", "text": f"こんにちは {n}"})
            health = await client.get("/healthz")
            statuses.append((chat.status, health.status))
            await asyncio.sleep(0.1)
    assert stand_in.chats == 15
    assert statuses == [(200, 200)] * 15


async def test_one_slow_health_answer_does_not_flip_healthz(
    tmp_path: Path, engine: tuple[EngineStandIn, TestServer]
) -> None:
    stand_in, server = engine
    async with TestClient(TestServer(_gateway(tmp_path, server.port, server.port))) as client:
        assert (await client.get("/healthz")).status == 200
        stand_in.health_hangs = True
        slow = await client.get("/healthz")  # one probe of each times out
        stand_in.health_hangs = False
        assert slow.status == 200, await slow.text()
        assert (await client.post("/api/chat", json={"session_id": "a", "text": "こんにちは"})).status == 200


async def test_an_engine_that_stops_answering_altogether_is_down_after_a_few_probes(
    tmp_path: Path, engine: tuple[EngineStandIn, TestServer]
) -> None:
    stand_in, server = engine
    async with TestClient(TestServer(_gateway(tmp_path, server.port, server.port))) as client:
        assert (await client.get("/healthz")).status == 200
        stand_in.health_hangs = True
        first = await client.get("/healthz")  # one failed probe: maybe busy
        assert first.status == 200
        for _ in range(20):  # probes of the monitor and of /healthz: 0.2 s each; down after 3 in a row
            health = await client.get("/healthz")
            if health.status == 503:
                break
        assert health.status == 503
        assert (await health.json())["components"]["rasa"] == "down"


async def test_a_dead_process_is_down_at_the_first_refused_probe(
    tmp_path: Path, engine: tuple[EngineStandIn, TestServer]
) -> None:
    _, server = engine
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused, and nobody else gets it
        gateway = _gateway(tmp_path, server.port, closed.getsockname()[1])
        async with TestClient(TestServer(gateway)) as client:
            health = await client.get("/healthz")
            assert (await health.json())["components"] == {"gateway": "ok", "rasa": "ok", "actions": "down"}
            assert health.status == 503
            chat = await client.post("/api/chat", json={"session_id": "a", "text": "こんにちは"})
            assert chat.status == 503
