"""Followers in PostgreSQL: encrypted ids (AES-GCM) beside their keyed hash; follow and unfollow via the webhook."""

from __future__ import annotations

import base64
from pathlib import Path

import psycopg
import pytest

from connectors.line import texts
from connectors.line.followers import FollowerCipher, FollowerStore, decode_key, load_or_create_key
from connectors.pseudonym import Pseudonymizer
from knowledge_base.texts import text
from tests.line.conftest import LineGateway
from tests.line_standin import REPLY, webhooks


def test_the_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    key = load_or_create_key(None, tmp_path)
    assert len(key) == 32
    assert load_or_create_key(None, tmp_path) == key
    assert oct((tmp_path / "line_follower.key").stat().st_mode & 0o777) == "0o600"
    configured = bytes(range(32))
    assert load_or_create_key(configured.hex(), tmp_path) == configured
    assert load_or_create_key(base64.b64encode(configured).decode(), tmp_path) == configured
    for bad in ("short", "zz" * 32, base64.b64encode(b"x" * 16).decode()):
        with pytest.raises(ValueError, match="LINE_FOLLOWER_KEY"):
            decode_key(bad)


def _store(url: str, key: bytes) -> FollowerStore:
    return FollowerStore(url, FollowerCipher(key), Pseudonymizer(b"pseudonym key"))


async def test_followers_are_stored_encrypted_and_found_by_keyed_hash(database_url: str) -> None:
    store = _store(database_url, bytes(32))
    user = webhooks.new_user_id()
    await store.add(user)
    await store.add(user)  # following again (after a block) keeps one row
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT id_hash, user_id_encrypted, key_id FROM line_followers").fetchall()
    assert len(rows) == 1
    id_hash, sealed, key_id = rows[0]
    assert id_hash == Pseudonymizer(b"pseudonym key")("line", user)
    assert user.encode() not in bytes(sealed) and user[1:] not in bytes(sealed).hex()
    assert key_id == FollowerCipher(bytes(32)).key_id
    assert (await store.recipients()).user_ids == [user]
    assert await store.count() == 1
    assert await store.remove(user) is True
    assert await store.remove(user) is False
    assert await store.count() == 0


async def test_rows_sealed_under_another_key_are_counted_not_crashed_on(database_url: str) -> None:
    old, new = _store(database_url, bytes(32)), _store(database_url, b"\x01" * 32)
    await old.add(webhooks.new_user_id())
    await new.add(kept := webhooks.new_user_id())
    recipients = await new.recipients()
    assert recipients.user_ids == [kept]
    assert recipients.unreadable == 1


async def test_follow_welcomes_with_a_menu_and_records_unfollow_forgets(gateway_engine_down: LineGateway) -> None:
    gateway = gateway_engine_down
    user = webhooks.new_user_id()
    token = gateway.api.new_reply_token(user)
    await gateway.send(webhooks.follow(user, token))
    await gateway.api.wait_for(lambda: bool(gateway.api.delivered_to(user)))
    [message] = gateway.api.delivered_to(user)
    assert message["text"] == texts.welcome()  # the engine is down here: the welcome still goes out
    assert message["text"].startswith(text("line.welcome", "ja"))
    assert text("line.write_in_your_language", "vi") in message["text"]
    actions = [item["action"] for item in message["quickReply"]["items"]]
    assert actions[0] == {"type": "location", "label": text("line.menu_nearest_shelter", "ja")}
    assert gateway.api.calls_to(REPLY)[-1].body["replyToken"] == token

    with psycopg.connect(gateway.database_url) as conn:
        [(id_hash, sealed)] = conn.execute("SELECT id_hash, user_id_encrypted FROM line_followers").fetchall()
    assert id_hash == gateway.pseudonym(user)
    assert user.encode() not in bytes(sealed)
    assert oct((gateway.state_dir / "line_follower.key").stat().st_mode & 0o777) == "0o600"

    await gateway.send(webhooks.unfollow(user))
    await gateway.settle(user)  # handled after the unfollow: same chat, in order
    with psycopg.connect(gateway.database_url) as conn:
        assert conn.execute("SELECT count(*) FROM line_followers").fetchone() == (0,)
