"""The gateway's side of the widget, without a browser: static files, the demo page, CORS on /api/chat."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from connectors.app import create_app
from connectors.settings import Settings
from connectors.widget_routes import WIDGET_DIR, normalize_origin, parse_allowed_origins
from knowledge_base.texts import LANGUAGES
from knowledge_base.texts import text as resident_text
from tests.support import free_port

CITY = "https://www.city.example.lg.jp"


@pytest.fixture
async def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[TestClient]:
    """A gateway whose engine is down (nothing listens on its ports), allowing one city origin."""
    monkeypatch.setenv("WIDGET_ALLOWED_ORIGINS", f"{CITY}, http://localhost:8000")
    settings = Settings(
        rasa_url=f"http://127.0.0.1:{free_port()}",
        action_server_url=f"http://127.0.0.1:{free_port()}",
        state_dir=tmp_path,
    )
    async with TestClient(TestServer(create_app(settings))) as test_client:
        yield test_client


async def test_the_embed_script_and_its_modules_are_served_for_any_site_to_load(client: TestClient) -> None:
    for path, content_type in (
        ("/widget/joso-chat.js", "text/javascript"),
        ("/widget/chat/app.js", "text/javascript"),
        ("/widget/chat/widget.css", "text/css"),
    ):
        response = await client.get(path, headers={"Origin": "https://anywhere.example"})
        assert response.status == 200, path
        assert response.headers["Content-Type"].startswith(content_type)
        # ES modules are fetched in CORS mode: without this the city's page could not load them.
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert (WIDGET_DIR / path.removeprefix("/widget/")).read_bytes() == await response.read()


@pytest.mark.parametrize(
    "path",
    [
        "/widget/../settings.py",
        "/widget/%2e%2e/settings.py",
        "/widget/chat/../../app.py",
        "/widget/chat",
        "/widget/missing.js",
        "/widget/chat/app.py",
    ],
)
async def test_nothing_outside_the_widget_files_is_served(client: TestClient, path: str) -> None:
    response = await client.get(path)
    assert response.status == 404
    assert (await response.json())["error"]["message_ja"]


async def test_the_demo_page_embeds_the_widget_under_a_strict_content_security_policy(client: TestClient) -> None:
    response = await client.get("/")
    assert response.status == 200
    page = await response.text()
    assert '<script src="/widget/joso-chat.js"' in page
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy


async def test_a_listed_origin_passes_the_preflight(client: TestClient) -> None:
    response = await client.options(
        "/api/chat",
        headers={
            "Origin": CITY,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == CITY
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"].lower() == "content-type"
    assert response.headers["Vary"] == "Origin"


async def test_an_unlisted_origin_is_refused_with_a_clear_403(client: TestClient) -> None:
    for method in ("OPTIONS", "POST"):
        response = await client.request(
            method,
            "/api/chat",
            json={"session_id": "a", "text": "こんにちは"},
            headers={"Origin": "https://evil.example"},
        )
        assert response.status == 403
        assert "Access-Control-Allow-Origin" not in response.headers
        error = (await response.json())["error"]
        assert error["code"] == "origin_not_allowed"
        assert error["message_ja"]


async def test_replies_to_a_listed_origin_carry_the_cors_headers_even_when_they_are_errors(client: TestClient) -> None:
    headers = {"Origin": CITY}
    # The engine is down in this fixture: the apology (503) must reach the widget, readable.
    unavailable = await client.post("/api/chat", json={"session_id": "a", "text": "こんにちは"}, headers=headers)
    assert unavailable.status == 503
    assert unavailable.headers["Access-Control-Allow-Origin"] == CITY
    assert "Retry-After" in unavailable.headers["Access-Control-Expose-Headers"]
    assert (await unavailable.json())["messages"][0]["text"]

    invalid = await client.post("/api/chat", json={"session_id": "a"}, headers=headers)
    assert invalid.status == 400
    assert invalid.headers["Access-Control-Allow-Origin"] == CITY

    too_big = await client.post("/api/chat", data=b"x" * (300 * 1024), headers=headers)
    assert too_big.status == 413
    assert too_big.headers["Access-Control-Allow-Origin"] == CITY


async def test_the_gateways_own_pages_are_same_origin_and_need_no_listing(client: TestClient) -> None:
    own = f"http://{client.host}:{client.port}"
    response = await client.post("/api/chat", json={"session_id": "a", "text": "こんにちは"}, headers={"Origin": own})
    assert response.status == 503  # reached the engine bridge (down here), not refused
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_the_origin_match_ignores_case(client: TestClient) -> None:
    response = await client.options(
        "/api/chat", headers={"Origin": "http://LOCALHOST:8000", "Access-Control-Request-Method": "POST"}
    )
    assert response.status == 204


def test_allowed_origins_are_parsed_and_bad_ones_rejected_at_start() -> None:
    assert parse_allowed_origins(None) == frozenset()
    assert parse_allowed_origins(" https://a.example ,http://b.example:8080/ https://A.example") == {
        "https://a.example",
        "http://b.example:8080",
    }
    assert parse_allowed_origins("https://a.example:443 http://b.example:80") == {
        "https://a.example",
        "http://b.example",
    }
    assert parse_allowed_origins("*") == {"*"}
    for bad in ("www.city.example.lg.jp", "ftp://a.example", "https://a.example/path", "https://user@a.example"):
        with pytest.raises(ValueError):
            normalize_origin(bad)


async def test_a_misconfigured_origin_list_stops_the_gateway_from_starting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIDGET_ALLOWED_ORIGINS", "city.example.lg.jp")
    with pytest.raises(ValueError, match="not an origin"):
        create_app(Settings(state_dir=tmp_path))


async def test_the_widgets_texts_module_carries_every_language_from_the_catalogue(client: TestClient) -> None:
    response = await client.get("/widget/chat/texts.js", headers={"Origin": "https://anywhere.example"})
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    source = await response.text()
    prefix = "export const CATALOGUE = Object.freeze("
    catalogue = json.loads(source[source.index(prefix) + len(prefix) : source.rindex(");")])
    assert sorted(catalogue) == sorted(LANGUAGES)
    for language, entry in catalogue.items():
        assert entry["texts"].keys() == catalogue["ja"]["texts"].keys(), language
        assert entry["texts"]["launcher"] == resident_text("widget.launcher", language)
        assert entry["statuses"]["full"] == resident_text("status.full", language)
        assert len(entry["texts"]["examples"]) == 3 and all(entry["texts"]["examples"])
    again = await client.get("/widget/chat/texts.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status == 304
