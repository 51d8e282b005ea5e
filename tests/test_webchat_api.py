"""The web chat API on its own: input validation, and behaviour when the engine is down or hangs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from connectors.app import create_app
from connectors.settings import Settings
from connectors.texts import ENGINE_UNAVAILABLE
from connectors.webchat import ChatRequest, engine_message
from tests.support import free_port


def _settings(tmp_path: Path, rasa_port: int, action_port: int, **overrides: float) -> Settings:
    return Settings(
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_server_url=f"http://127.0.0.1:{action_port}",
        state_dir=tmp_path,
        **overrides,
    )


@pytest.fixture
async def client_engine_down(tmp_path: Path) -> AsyncIterator[TestClient]:
    """A gateway whose Rasa and action server ports have nothing listening."""
    app = create_app(_settings(tmp_path, free_port(), free_port()))
    async with TestClient(TestServer(app)) as client:
        yield client


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"", "(body)"),
        (b"not json", "(body)"),
        (b"[]", "(body)"),
        (b'{"text": "hi"}', "session_id"),
        (b'{"session_id": 5, "text": "hi"}', "session_id"),
        (b'{"session_id": "a b", "text": "hi"}', "session_id"),
        (b'{"session_id": "a", "text": 12}', "text"),
        (b'{"session_id": "a", "text": "   "}', "(body)"),
        (b'{"session_id": "a"}', "(body)"),
        (b'{"session_id": "a", "text": "hi", "payload": "/greet"}', "(body)"),
        (b'{"session_id": "a", "text": "hi", "admin": true}', "admin"),
        (b'{"session_id": "a", "location": {"latitude": 95, "longitude": 140}}', "location.latitude"),
        (b'{"session_id": "a", "location": {"latitude": "36", "longitude": 140}}', "location.latitude"),
        (b'{"session_id": "a", "location": {"latitude": 36}}', "location.longitude"),
    ],
)
async def test_bad_input_gets_a_clear_400(client_engine_down: TestClient, body: bytes, field: str) -> None:
    response = await client_engine_down.post("/api/chat", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400
    error = (await response.json())["error"]
    assert error["code"] == "invalid_request"
    assert error["message_ja"]
    assert field in {d["field"] for d in error["details"]}


async def test_text_over_2000_characters_is_refused_with_a_japanese_hint(client_engine_down: TestClient) -> None:
    response = await client_engine_down.post("/api/chat", json={"session_id": "a", "text": "あ" * 2001})
    assert response.status == 400
    assert "2000文字" in (await response.json())["error"]["message_ja"]


async def test_text_of_exactly_2000_characters_is_accepted(client_engine_down: TestClient) -> None:
    response = await client_engine_down.post("/api/chat", json={"session_id": "a", "text": "あ" * 2000})
    assert response.status == 503  # valid input; the engine is down in this fixture


async def test_oversized_body_is_413_json(client_engine_down: TestClient) -> None:
    response = await client_engine_down.post("/api/chat", data=b"x" * (300 * 1024))
    assert response.status == 413
    assert (await response.json())["error"]["code"]


async def test_wrong_method_and_unknown_path_are_json_errors(client_engine_down: TestClient) -> None:
    for method, path, status in (("GET", "/api/chat", 405), ("GET", "/nowhere", 404)):
        response = await client_engine_down.request(method, path)
        assert response.status == status
        assert (await response.json())["error"]["message_ja"]


async def test_engine_down_gives_the_apology_and_healthz_names_both(client_engine_down: TestClient) -> None:
    health = await client_engine_down.get("/healthz")
    assert health.status == 503
    assert (await health.json())["components"] == {"gateway": "ok", "rasa": "down", "actions": "down"}

    response = await client_engine_down.post("/api/chat", json={"session_id": "a", "text": "こんにちは"})
    assert response.status == 503
    messages = (await response.json())["messages"]
    assert messages == [{"text": ENGINE_UNAVAILABLE}]
    assert "0297-23-2111" in messages[0]["text"]


async def test_a_hanging_engine_is_cut_off_by_the_time_limit(tmp_path: Path) -> None:
    """Rasa accepts the connection but never answers: the resident still gets the apology."""
    hang = asyncio.Event()

    async def never_answers(request: web.Request) -> web.Response:
        await hang.wait()
        return web.json_response([])

    async def ok(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    engine = web.Application()
    engine.add_routes([web.post("/webhooks/rest/webhook", never_answers), web.get("/", ok), web.get("/health", ok)])
    async with TestServer(engine) as stand_in:
        settings = _settings(tmp_path, stand_in.port, stand_in.port, rasa_timeout=1.0)
        async with TestClient(TestServer(create_app(settings))) as client:
            started = time.monotonic()
            response = await client.post("/api/chat", json={"session_id": "a", "text": "住民票"})
            elapsed = time.monotonic() - started
            body = await response.json()
            hang.set()
    assert response.status == 503
    assert body["messages"][0]["text"] == ENGINE_UNAVAILABLE
    assert elapsed < 10, "the time limit (1 s here) must cut the call off"


def test_typed_text_is_never_read_as_an_intent_command() -> None:
    typed = ChatRequest(session_id="a", text="/greet")
    assert engine_message(typed) == "／greet"
    button = ChatRequest(session_id="a", payload="/greet")
    assert engine_message(button) == "/greet"
    located = ChatRequest.model_validate({"session_id": "a", "location": {"latitude": 36.02, "longitude": 139.99}})
    assert engine_message(located) == '/share_location{"latitude": 36.02, "longitude": 139.99}'
