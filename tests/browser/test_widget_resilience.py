"""When things go wrong: the server unreachable, the engine down, location refused, a site not allowed.

Real gateways (their own processes) in front of the test stack's Rasa and action server; nothing mocked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from connectors.texts import ENGINE_UNAVAILABLE
from scripts.stack import Stack
from tests.browser import canned
from tests.browser.conftest import PHONE, Embedding
from tests.browser.gateway_process import GatewayProcess
from tests.browser.widget import Widget
from tests.support import free_port

pytestmark = pytest.mark.slow

TSUKUBA_STATION = {"latitude": 36.082512, "longitude": 140.111427}  # any point will do; not a shelter


@pytest.fixture
def own_gateway(stack: Stack, tmp_path: Path) -> Iterator[GatewayProcess]:
    """A gateway this test may stop and start again (same port, same pseudonym key)."""
    gateway = GatewayProcess(
        rasa_url=f"http://127.0.0.1:{stack.config.rasa_port}",
        action_server_url=f"http://127.0.0.1:{stack.config.action_port}",
        state_dir=tmp_path / "state",
    )
    gateway.start()
    yield gateway
    gateway.stop()


def test_an_unreachable_server_is_shown_and_the_turn_is_sent_on_retry(own_gateway: GatewayProcess, open_page) -> None:
    watched = open_page(f"{own_gateway.url}/", viewport=PHONE)
    widget = Widget(watched.page)
    own_gateway.stop()

    widget.input.fill("住民票の写しがほしいです")
    widget.input.press("Enter")

    expect(widget.connection_bar).to_be_visible(timeout=30_000)
    expect(widget.connection_bar).to_contain_text("サーバーにつながりません")
    not_sent = widget.page.locator("joso-chat .entry-resident.not-sent")
    expect(not_sent).to_have_count(1)
    expect(not_sent).to_contain_text("送れませんでした")
    expect(widget.bot_entries).to_have_count(0)
    widget.screenshot("widget-unreachable-phone")

    unsent_element = not_sent.element_handle()
    own_gateway.start()
    turn = widget.turn(widget.retry_button.click)

    assert turn.response.status == 200
    # Updated in place, not replaced: a screen reader does not read the message out a second time.
    assert unsent_element.evaluate("e => e.isConnected && !e.classList.contains('not-sent')")
    assert turn.sent["text"] == "住民票の写しがほしいです"  # nothing the resident wrote is lost
    assert turn.replies
    expect(widget.connection_bar).to_be_hidden()
    expect(not_sent).to_have_count(0)
    expect(widget.resident_entries).to_have_count(1)  # the same message, not a copy


def test_an_unsent_message_survives_a_reload_and_can_still_be_sent(own_gateway: GatewayProcess, open_page) -> None:
    watched = open_page(f"{own_gateway.url}/")
    widget = Widget(watched.page)
    own_gateway.stop()
    widget.input.fill("引っ越してきました")
    widget.input.press("Enter")
    expect(widget.connection_bar).to_be_visible(timeout=30_000)
    own_gateway.start()

    watched.page.reload()
    widget = Widget(watched.page)

    expect(widget.connection_bar).to_contain_text("送れなかったメッセージがあります")
    expect(widget.page.locator("joso-chat .entry-resident.not-sent")).to_contain_text("引っ越してきました")
    turn = widget.turn(widget.retry_button.click)
    assert turn.sent["text"] == "引っ越してきました"
    assert turn.replies


def test_the_engine_unavailable_reply_is_shown_as_the_bots_message_with_a_retry(tmp_path: Path, open_page) -> None:
    nothing_there = f"http://127.0.0.1:{free_port()}"
    gateway = GatewayProcess(rasa_url=nothing_there, action_server_url=nothing_there, state_dir=tmp_path)
    gateway.start()
    try:
        gateway.wait_engine_checked()
        widget = Widget(open_page(f"{gateway.url}/").page)

        turn = widget.ask("こんにちは")

        assert turn.response.status == 503
        assert len(turn.replies) == 1
        expect(turn.replies[0]).to_contain_text(ENGINE_UNAVAILABLE)
        expect(widget.connection_bar).to_be_visible()
        expect(widget.connection_bar).to_contain_text("ただいまお答えできません")
        expect(widget.retry_button).to_be_enabled()
    finally:
        gateway.stop()


def test_a_granted_location_is_posted_as_a_location_turn(embedding: Embedding, open_page) -> None:
    watched = open_page(embedding.city.url("canned.html"), geolocation=TSUKUBA_STATION, permissions=["geolocation"])
    widget = Widget(watched.page)
    widget.show_canned([canned.LOCATION_REQUEST])

    turn = widget.turn(widget.page.get_by_role("button", name=re.compile("いまいる場所を送る")).click)

    assert set(turn.sent) == {"session_id", "location"}
    assert turn.sent["location"] == pytest.approx({"latitude": 36.0825, "longitude": 140.1114})
    # Whatever the bot answers on this branch (a shelter list once shelters are merged), it is shown.
    assert turn.response.status in (200, 503)
    assert turn.replies
    expect(widget.resident_entries.last).to_contain_text("いまいる場所を送りました")


def test_a_refused_location_explains_and_lets_the_resident_type_a_place(embedding: Embedding, open_page) -> None:
    watched = open_page(embedding.city.url("canned.html"))  # no permission granted: the browser refuses
    widget = Widget(watched.page)
    widget.show_canned([canned.LOCATION_REQUEST])
    requests_before = len(watched.requests)

    widget.page.get_by_role("button", name=re.compile("いまいる場所を送る")).click()

    expect(widget.page.locator("joso-chat .notice")).to_contain_text("位置情報の利用が許可されていません")
    expect(widget.input).to_be_focused()
    expect(widget.input).to_have_attribute("placeholder", re.compile("町名"))
    assert not any(url.endswith("/api/chat") for url in watched.requests[requests_before:])
    turn = widget.turn(lambda: (widget.input.fill("水海道"), widget.input.press("Enter")))
    assert turn.sent["text"] == "水海道"


def test_a_browser_without_geolocation_is_told_to_type_a_place(embedding: Embedding, open_page) -> None:
    watched = open_page("about:blank")
    watched.page.add_init_script("Object.defineProperty(Navigator.prototype, 'geolocation', {get: () => undefined})")
    watched.page.goto(embedding.city.url("canned.html"))
    widget = Widget(watched.page)
    widget.show_canned([canned.LOCATION_REQUEST])

    widget.page.get_by_role("button", name=re.compile("いまいる場所を送る")).click()

    expect(widget.page.locator("joso-chat .notice")).to_contain_text("位置情報が使えません")
    expect(widget.input).to_be_focused()


def test_the_type_a_place_button_puts_the_cursor_in_the_input(embedding: Embedding, open_page) -> None:
    widget = Widget(open_page(embedding.city.url("canned.html")).page)
    widget.show_canned([canned.LOCATION_REQUEST])
    widget.page.get_by_role("button", name=re.compile("地名を書いて送る")).click()
    expect(widget.input).to_be_focused()
    expect(widget.input).to_have_attribute("placeholder", re.compile("町名"))


def test_a_site_not_listed_in_allowed_origins_cannot_use_the_chat(embedding: Embedding, open_page) -> None:
    watched = open_page(embedding.city.url("city.html", unlisted=True))
    widget = Widget(watched.page)
    widget.open()
    widget.input.fill("こんにちは")
    widget.input.press("Enter")
    # The browser blocks the answer (no CORS permission): to the resident, the server cannot be reached.
    expect(widget.connection_bar).to_be_visible(timeout=30_000)
    expect(widget.bot_entries).to_have_count(0)


def test_clearing_the_conversation_starts_a_new_session(embedding: Embedding, open_page) -> None:
    watched = open_page(embedding.city.url("city.html"))
    widget = Widget(watched.page)
    first = widget.ask("こんにちは")
    watched.accept_dialogs = True

    widget.page.get_by_role("button", name="会話を消す").click()

    assert watched.dialogs == ["これまでの会話を消して、最初からやり直しますか？"]
    expect(widget.resident_entries).to_have_count(0)
    expect(widget.bot_entries).to_have_count(0)
    second = widget.ask("こんにちは")
    assert second.sent["session_id"] != first.sent["session_id"]
