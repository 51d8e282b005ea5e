"""The staff admin API (connectors/admin.py): disabled without a token, bearer authentication, and the same
operations as the commands, on a real PostgreSQL database."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from connectors.app import create_app
from connectors.settings import Settings
from knowledge_base.disaster import state as disaster_store
from knowledge_base.shelters.status import Status, all_statuses
from scripts.stack import ROOT, app_env
from tests.shelter_support import Receiver, failing_broadcast, post_announcement
from tests.support import free_port

TOKEN = "t0ken-for-tests-" + "x" * 16
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _settings(tmp_path: Path) -> Settings:
    # Rasa and the action server are not needed: nothing listens on these ports.
    return Settings(
        rasa_url=f"http://127.0.0.1:{free_port()}",
        action_server_url=f"http://127.0.0.1:{free_port()}",
        state_dir=tmp_path,
    )


@pytest.fixture
async def admin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> AsyncIterator[TestClient]:
    # The demo data: these tests run everywhere, with or without the real Joso files beside the project.
    monkeypatch.delenv("EMERGENCY_SITES_CSV", raising=False)
    monkeypatch.delenv("SHELTERS_CSV", raising=False)
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ADMIN_TOKEN", TOKEN)
    async with TestClient(TestServer(create_app(_settings(tmp_path)))) as client:
        yield client


@pytest.mark.parametrize("token", [None, "", "short-token"])
async def test_without_a_long_enough_token_the_admin_api_does_not_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, token: str | None
) -> None:
    if token is None:
        monkeypatch.delenv("ADMIN_TOKEN", raising=False)
    else:
        monkeypatch.setenv("ADMIN_TOKEN", token)
    async with TestClient(TestServer(create_app(_settings(tmp_path)))) as client:
        for method, path in [("GET", "/admin/disaster"), ("PUT", "/admin/disaster"), ("GET", "/admin/shelters/status")]:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = await client.request(method, path, headers=headers, json={})
            assert response.status == 404, (method, path)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"}],
)
async def test_requests_without_the_bearer_token_are_refused(admin: TestClient, headers: dict[str, str]) -> None:
    for method, path in [
        ("GET", "/admin/disaster"),
        ("PUT", "/admin/disaster"),
        ("DELETE", "/admin/disaster"),
        ("PUT", "/admin/shelters/E0821199007201/status"),
        ("DELETE", "/admin/shelters/status"),
    ]:
        response = await admin.request(method, path, headers=headers, json={"status": "open"})
        assert response.status == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert (await response.json())["error"]["code"] == "unauthorized"
    assert all_statuses() == [] and disaster_store.current() is None


async def test_staff_set_opening_status_by_id_or_name(admin: TestClient) -> None:
    # The shelter row's 共通ID means the joined place (whose ID is the emergency-site row's).
    response = await admin.put("/admin/shelters/E0821199007111/status", headers=AUTH, json={"status": "開設"})
    assert response.status == 200
    body = await response.json()
    assert body["place_id"] == "E0821199007201" and body["name"] == "デモ避難所G" and body["status"] == "開設"
    response = await admin.put("/admin/shelters/デモ避難所E/status", headers=AUTH, json={"status": "full"})
    assert response.status == 200
    assert {(r.place_id, r.status) for r in all_statuses()} == {
        ("E0821199007201", Status.OPEN),
        ("E0821199005201", Status.FULL),
    }
    listed = await (await admin.get("/admin/shelters/status", headers=AUTH)).json()
    assert {(s["name"], s["status"]) for s in listed["statuses"]} == {("デモ避難所G", "開設"), ("デモ避難所E", "満員")}
    assert listed["demo"] is True
    reset = await admin.delete("/admin/shelters/status", headers=AUTH)
    assert (await reset.json()) == {"changed": 2} and all_statuses() == []


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/admin/shelters/E0821199007201/status", {"status": "たぶん"}, 400, "invalid_status"),
        ("/admin/shelters/E0821199007201/status", {"status": 1}, 400, "invalid_request"),
        ("/admin/shelters/E0821199007201/status", {"status": "open", "extra": 1}, 400, "invalid_request"),
        ("/admin/shelters/E0821199007201/status", None, 400, "invalid_request"),
        ("/admin/shelters/E0000000000000/status", {"status": "open"}, 404, "unknown_place"),
    ],
)
async def test_bad_status_requests_get_clear_4xx(
    admin: TestClient, path: str, body: object, status: int, code: str
) -> None:
    response = await admin.put(path, headers=AUTH, json=body)
    assert response.status == status
    error = (await response.json())["error"]
    assert error["code"] == code and error["message_ja"]
    assert all_statuses() == []


async def test_staff_switch_disaster_mode_on_and_off(admin: TestClient) -> None:
    assert await (await admin.get("/admin/disaster", headers=AUTH)).json() == {"active": False}
    body = {"hazard": "洪水", "level": 4, "message": "鬼怒川が氾濫するおそれがあります"}
    response = await admin.put("/admin/disaster", headers=AUTH, json=body)
    assert response.status == 200
    on = await response.json()
    # readable by staff as it comes (curl): Japanese as UTF-8, not \u escapes
    assert "鬼怒川" in await response.text()
    assert on["active"] and on["hazard"] == "flood" and on["level"] == 4
    assert on["broadcast_text"].startswith("【警戒レベル4 避難指示】洪水") and "broadcast" not in on
    assert disaster_store.current().message == "鬼怒川が氾濫するおそれがあります"
    assert (await (await admin.get("/admin/disaster", headers=AUTH)).json())["level"] == 4
    off = await (await admin.delete("/admin/disaster", headers=AUTH)).json()
    assert off["active"] is False and off["ended"]["level"] == 4
    assert disaster_store.current() is None


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"hazard": "snow", "level": 4, "message": "x"}, "invalid_alert"),
        ({"hazard": "flood", "level": 7, "message": "x"}, "invalid_alert"),
        ({"hazard": "flood", "level": "4", "message": "x"}, "invalid_request"),
        ({"hazard": "flood", "level": 4}, "invalid_request"),
        ({"hazard": "flood", "level": 4, "message": "x", "broadcast": True}, "broadcast_unavailable"),
    ],
)
async def test_bad_disaster_requests_change_nothing(admin: TestClient, body: dict, code: str) -> None:
    response = await admin.put("/admin/disaster", headers=AUTH, json=body)
    assert response.status == 400
    assert (await response.json())["error"]["code"] == code
    assert disaster_store.current() is None


async def test_broadcast_from_the_admin_api_reaches_the_broadcaster_the_gateway_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setenv("ADMIN_TOKEN", TOKEN)
    body = {"hazard": "flood", "level": 5, "message": "堤防が決壊しました", "broadcast": True}
    with Receiver() as receiver:
        monkeypatch.setenv("BROADCAST_PROBE_URL", receiver.url)
        app = create_app(_settings(tmp_path), broadcaster=post_announcement)
        async with TestClient(TestServer(app)) as client:
            answer = await (await client.put("/admin/disaster", headers=AUTH, json=body)).json()
    assert answer["broadcast"]["status"] == "sent"
    assert receiver.bodies == [
        {"text": answer["broadcast_text"], "retry_key": answer["announcement_id"], "level": 5, "hazard": "flood"}
    ]

    async with TestClient(TestServer(create_app(_settings(tmp_path), broadcaster=failing_broadcast))) as client:
        failed = await (await client.put("/admin/disaster", headers=AUTH, json=body)).json()
    assert failed["broadcast"] == {
        "status": "failed",
        "error": "the channel refused the broadcast",
        "retry_key": failed["announcement_id"],
    }
    assert failed["active"] and disaster_store.current().level == 5


async def test_the_same_refusals_read_the_same_in_the_admin_api_and_the_command(
    admin: TestClient, database_url: str
) -> None:
    # One operation behind both: the admin API's message_ja is what the command prints.
    response = await admin.put("/admin/shelters/どこにもない場所/status", headers=AUTH, json={"status": "開設"})
    assert response.status == 404
    api_message = (await response.json())["error"]["message_ja"]
    done = subprocess.run(
        [sys.executable, "-m", "knowledge_base.shelters", "status", "set", "どこにもない場所", "開設"],
        cwd=ROOT,
        env=app_env({"DATABASE_URL": database_url, "EMERGENCY_SITES_CSV": "", "SHELTERS_CSV": ""}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stderr.strip() == api_message


async def test_the_gateway_by_default_announces_on_line_and_says_when_line_is_not_configured(
    admin: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = {"hazard": "flood", "level": 4, "message": "x", "broadcast": True}
    error = (await (await admin.put("/admin/disaster", headers=AUTH, json=body)).json())["error"]
    assert error["code"] == "broadcast_unavailable" and "LINE" in error["message_ja"]
