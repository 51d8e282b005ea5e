"""The real gateway (in this process) with the LINE channel configured against the local LINE API stand-in."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from connectors.app import create_app
from connectors.runtime import PSEUDONYMIZER
from connectors.settings import Settings
from tests.line_standin import REPLY, LineApiStandIn, webhooks
from tests.support import free_port

CHANNEL_SECRET = "test-channel-secret-" + secrets.token_hex(8)
ACCESS_TOKEN = "test-channel-access-token"


@dataclass
class LineGateway:
    client: TestClient
    api: LineApiStandIn
    redis_prefix: str
    database_url: str
    state_dir: Path

    def pseudonym(self, user_id: str) -> str:
        return self.client.app[PSEUDONYMIZER]("line", user_id)

    async def post(self, body: bytes, signature: str | None = None, sign: bool = True) -> ClientResponse:
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-Line-Signature"] = signature
        elif sign:
            headers["X-Line-Signature"] = webhooks.sign(body, CHANNEL_SECRET)
        return await self.client.post("/line/webhook", data=body, headers=headers)

    async def send(self, *events: dict[str, Any]) -> ClientResponse:
        response = await self.post(webhooks.body(*events))
        assert response.status == 200, await response.text()
        return response

    async def settle(self, user_id: str | None = None) -> str:
        """Send one more text event and wait for its reply: everything sent before it has been handled.

        Events of one chat are handled in order, so this proves a quiet outcome without sleeping.
        """
        user_id = user_id or webhooks.new_user_id()
        token = self.api.new_reply_token(user_id)
        await self.send(webhooks.text(user_id, token, "こんにちは"))
        await self.api.wait_for(lambda: any(c.body.get("replyToken") == token for c in self.api.calls_to(REPLY)))
        return user_id

    def redis_keys(self) -> list[str]:
        client = redis.Redis.from_url("redis://127.0.0.1:6379/0", decode_responses=True)
        return sorted(client.scan_iter(f"{self.redis_prefix}:*"))


@pytest.fixture
async def line_api() -> AsyncIterator[LineApiStandIn]:
    api = LineApiStandIn(ACCESS_TOKEN)
    await api.start()
    try:
        yield api
    finally:
        await api.close()


MakeGateway = Callable[..., Awaitable[LineGateway]]


@pytest.fixture
async def make_line_gateway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str, line_api: LineApiStandIn
) -> AsyncIterator[MakeGateway]:
    """Builds a gateway: LINE configured (unless told otherwise), its own Redis prefix and database."""
    prefix = "test" + secrets.token_hex(6)
    clients: list[TestClient] = []

    async def make(
        rasa_url: str | None = None, action_server_url: str | None = None, configured: bool = True, **settings: Any
    ) -> LineGateway:
        if configured:
            monkeypatch.setenv("LINE_CHANNEL_SECRET", CHANNEL_SECRET)
            monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", ACCESS_TOKEN)
            monkeypatch.setenv("LINE_API_BASE_URL", line_api.url)
        else:
            for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "LINE_API_BASE_URL"):
                monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("REDIS_KEY_PREFIX", prefix)
        monkeypatch.setenv("LINE_RETRY_BACKOFF", "0.05")
        monkeypatch.delenv("LINE_FOLLOWER_KEY", raising=False)
        state_dir = tmp_path / "state"
        app = create_app(
            Settings(
                # Nothing listens on these ports unless a test gives the real engine's.
                rasa_url=rasa_url or f"http://127.0.0.1:{free_port()}",
                action_server_url=action_server_url or f"http://127.0.0.1:{free_port()}",
                state_dir=state_dir,
                **settings,
            )
        )
        client = TestClient(TestServer(app))
        await client.start_server()
        clients.append(client)
        return LineGateway(client, line_api, prefix, database_url, state_dir)

    try:
        yield make
    finally:
        for client in clients:
            await client.close()
        keys = list(redis.Redis.from_url("redis://127.0.0.1:6379/0").scan_iter(f"{prefix}:*"))
        if keys:
            redis.Redis.from_url("redis://127.0.0.1:6379/0").delete(*keys)


@pytest.fixture
async def gateway_engine_down(make_line_gateway: MakeGateway) -> LineGateway:
    """LINE configured; Rasa and the action server are not running (every turn gets the apology)."""
    return await make_line_gateway()
