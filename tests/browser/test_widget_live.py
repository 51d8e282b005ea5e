"""The widget in a real Chromium against the real stack (gateway, Rasa, action server).

FAQ wording and NLU are being improved elsewhere: these tests check the shape of a conversation (a reply
appears, buttons work, the transcript survives), never what the bot says.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from knowledge_base.texts import text as resident_text
from scripts.stack import Stack
from tests.browser import canned
from tests.browser.conftest import PHONE, Embedding
from tests.browser.widget import Widget

pytestmark = pytest.mark.slow

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def demo_url(stack: Stack) -> str:
    return f"{stack.config.gateway_url}/"


def test_a_resident_asks_on_the_demo_page_and_reads_the_answer(stack: Stack, open_page) -> None:
    watched = open_page(demo_url(stack))
    widget = Widget(watched.page)
    expect(widget.input).to_be_visible()  # the demo page opens the panel

    turn = widget.ask("マイナンバーカードをなくしました")

    assert turn.response.status == 200
    assert set(turn.sent) == {"session_id", "text"}
    assert turn.sent["text"] == "マイナンバーカードをなくしました"
    assert SESSION_ID.match(turn.sent["session_id"])
    expect(widget.resident_entries.last).to_contain_text("マイナンバーカードをなくしました")
    assert turn.replies, "the bot's reply is shown"
    for reply in turn.replies:
        assert reply.inner_text().strip()
    expect(widget.connection_bar).to_be_hidden()
    widget.screenshot("widget-demo-desktop")
    assert watched.page_errors == []
    # Nothing comes from anywhere but the gateway (no CDN, no web font, no analytics).
    assert all(url.startswith((stack.config.gateway_url, "data:")) for url in watched.requests), watched.requests


def test_the_demo_page_fits_a_320_px_phone(stack: Stack, open_page) -> None:
    watched = open_page(demo_url(stack), viewport=PHONE)
    widget = Widget(watched.page)
    turn = widget.ask("引っ越してきました。手続きを教えてください")
    assert turn.response.status == 200
    widths = watched.page.evaluate(
        """() => {
            const panel = document.querySelector("joso-chat").shadowRoot.querySelector(".panel");
            return {page: document.documentElement.scrollWidth, viewport: innerWidth,
                    panel: panel.getBoundingClientRect().width, panelContent: panel.scrollWidth};
        }"""
    )
    assert widths["page"] <= widths["viewport"], "no sideways scrolling"
    assert widths["panel"] == pytest.approx(320, abs=1), "the panel takes the phone's whole width"
    assert widths["panelContent"] <= widths["panel"], "nothing in the panel sticks out sideways"
    widget.screenshot("widget-demo-phone")


def test_an_example_button_sends_its_question(stack: Stack, open_page) -> None:
    widget = Widget(open_page(demo_url(stack)).page)
    example = widget.page.locator("joso-chat .example").first
    title = example.inner_text()

    turn = widget.turn(example.click)

    assert turn.response.status == 200
    assert turn.sent["text"] == title
    expect(widget.resident_entries.last).to_contain_text(title)
    assert turn.replies


def test_a_bot_button_sends_its_payload_and_is_then_marked_as_chosen(embedding: Embedding, open_page) -> None:
    watched = open_page(embedding.city.url("canned.html"))
    widget = Widget(watched.page)
    widget.show_canned([canned.FAQ_ANSWER])
    choice = widget.page.get_by_role("button", name="👍 役に立った")
    card_entry = widget.bot_entries.last.element_handle()

    turn = widget.turn(choice.click)

    assert turn.response.status == 200
    assert set(turn.sent) == {"session_id", "payload"}
    assert turn.sent["payload"] == "/greet"
    # The resident sees the button's words, not the payload.
    expect(widget.resident_entries.last).to_have_text(re.compile("👍 役に立った"))
    expect(widget.resident_entries.last).not_to_contain_text("/greet")
    assert turn.replies
    # Buttons belong to the turn they came with: once answered, they no longer send anything.
    chosen = widget.page.locator("joso-chat .choice.chosen")
    expect(chosen).to_have_count(1)
    expect(chosen).to_be_disabled()
    expect(widget.page.get_by_role("button", name="関連する質問（テスト）")).to_be_disabled()
    assert card_entry.evaluate("e => e.isConnected"), "marked in place, not re-added to the live region"


def test_after_a_reload_the_conversation_is_shown_again_and_continues(stack: Stack, open_page) -> None:
    watched = open_page(demo_url(stack))
    widget = Widget(watched.page)
    first = widget.ask("こんにちは")
    second = widget.ask("マイナンバーカードをなくしました")
    shown_before = widget.log.inner_text()
    counts_before = (widget.resident_entries.count(), widget.bot_entries.count())

    watched.page.reload()
    widget = Widget(watched.page)

    expect(widget.input).to_be_visible()  # still open
    assert (widget.resident_entries.count(), widget.bot_entries.count()) == counts_before
    assert widget.log.inner_text() == shown_before
    third = widget.ask("マイナンバーカードを作りたい")
    assert third.response.status == 200
    assert third.replies
    # One conversation: the same session id before and after the reload.
    assert first.sent["session_id"] == second.sent["session_id"] == third.sent["session_id"]


@pytest.mark.parametrize("where", ["demo page (strict CSP)", "city page (no CSP)"])
def test_markup_typed_by_a_resident_is_shown_as_text_and_never_runs(
    where: str, stack: Stack, embedding: Embedding, open_page
) -> None:
    url = demo_url(stack) if where.startswith("demo") else embedding.city.url("city.html")
    watched = open_page(url)
    widget = Widget(watched.page)

    turn = widget.ask(canned.XSS_TEXT)

    assert turn.sent["text"] == canned.XSS_TEXT
    expect(widget.resident_entries.last.locator(".bubble")).to_have_text(canned.XSS_TEXT)
    watched.page.wait_for_timeout(500)  # an onerror handler would have fired by now
    assert watched.dialogs == []
    assert widget.page.locator("joso-chat img, joso-chat script, joso-chat b").count() == 0


def test_keyboard_alone_opens_asks_chooses_and_closes(embedding: Embedding, open_page) -> None:
    watched = open_page(embedding.city.url("city.html"))
    widget = Widget(watched.page)
    keyboard = watched.page.keyboard
    expect(widget.panel).to_be_hidden()

    # Tab from the top of the page until the launcher has the focus, then open it with Enter.
    for _ in range(10):
        keyboard.press("Tab")
        if widget.launcher.evaluate("button => button.getRootNode().activeElement === button"):
            break
    else:
        pytest.fail("the launcher cannot be reached with Tab")
    keyboard.press("Enter")
    expect(widget.input).to_be_focused()

    widget.turn(lambda: (keyboard.type("こんにちは"), keyboard.press("Enter")))
    expect(widget.input).to_be_focused()

    # Shift+Tab back from the input to an example button and press it with the space bar.
    for _ in range(30):
        keyboard.press("Shift+Tab")
        focused_class = watched.page.evaluate(
            "() => document.querySelector('joso-chat').shadowRoot.activeElement?.className ?? ''"
        )
        if "example" in focused_class:
            break
    else:
        pytest.fail("no example button can be reached with Shift+Tab")
    turn = widget.turn(lambda: keyboard.press("Space"))
    assert turn.sent["text"]

    keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_be_focused()


def test_the_widgets_own_texts_follow_the_language_the_resident_writes_in(stack: Stack, open_page) -> None:
    watched = open_page(demo_url(stack))
    widget = Widget(watched.page)
    turn = widget.ask(resident_text("topic.residence_certificate.question", "vi"))
    assert turn.response.status == 200 and turn.response.json().get("language") == "vi"
    root = watched.page.locator("joso-chat .root")
    expect(root).to_have_attribute("lang", "vi")
    expect(watched.page.get_by_role("button", name=resident_text("widget.send", "vi"), exact=True)).to_be_visible()
    expect(watched.page.get_by_role("textbox", name=resident_text("widget.input_label", "vi"))).to_be_visible()
    expect(widget.bot_entries.first).to_be_visible()  # the transcript is kept when the labels change
    # A reload continues the conversation in its language.
    watched.page.reload()
    expect(watched.page.locator("joso-chat .root")).to_have_attribute("lang", "vi")
    assert watched.page_errors == []
