"""Disaster mode on, broadcast to LINE followers: the staff command, through the real LINE module, to the stand-in."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from connectors.line.config import LineConfig
from connectors.line.lifecycle import follower_store
from connectors.pseudonym import Pseudonymizer, load_or_create_key
from scripts.stack import ROOT
from tests.line_standin import MULTICAST, LineApiStandIn, webhooks


async def _staff_command(env: dict[str, str], *args: str) -> tuple[int, str]:
    # A subprocess that does not block this loop: the stand-in lives in it.
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "knowledge_base.disaster",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    return process.returncode or 0, out.decode()


async def test_switching_disaster_mode_on_reaches_every_follower_once_even_when_resent(
    line_api: LineApiStandIn, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PSEUDONYM_KEY", raising=False)
    config = LineConfig(
        channel_secret="s",
        access_token=line_api.access_token,
        api_base_url=line_api.url,
        database_url=database_url,
        state_dir=tmp_path,
    )
    store = follower_store(config, Pseudonymizer(load_or_create_key(None, tmp_path)))
    followers = [webhooks.new_user_id() for _ in range(3)]
    for user in followers:
        await store.add(user)
    env = os.environ | {
        "DATABASE_URL": database_url,
        "JOSO_STATE_DIR": str(tmp_path),
        "LINE_CHANNEL_SECRET": "s",
        "LINE_CHANNEL_ACCESS_TOKEN": line_api.access_token,
        "LINE_API_BASE_URL": line_api.url,
        "PYTHONPATH": str(ROOT),
    }

    code, out = await _staff_command(
        env, "on", "--hazard", "flood", "--level", "4", "--message", "鬼怒川が氾濫するおそれがあります", "--broadcast"
    )
    assert code == 0, out
    [first] = line_api.calls_to(MULTICAST)
    assert first.ok
    assert sorted(first.body["to"]) == sorted(followers)
    [message] = first.messages
    assert "鬼怒川が氾濫するおそれがあります" in message["text"]
    actions = [item["action"] for item in message["quickReply"]["items"]]
    assert [a["type"] for a in actions] == ["location", "postback"]
    assert "3人に届きました" in out

    # Staff send the same alert again (e.g. unsure it went out): LINE sees the same key and delivers nothing twice.
    code, out = await _staff_command(env, "broadcast")
    assert code == 0, out
    _, second = line_api.calls_to(MULTICAST)
    assert second.retry_key == first.retry_key
    assert second.status == 409
    assert not second.delivered
