"""Accessibility checks that need no network: roles and names, contrast of the colours as rendered, visible
focus, text that follows the browser's font size, large enough targets, isolation from the host page's CSS."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import canned
from tests.browser.conftest import PHONE, Embedding
from tests.browser.contrast import contrast_ratio
from tests.browser.widget import Widget

pytestmark = pytest.mark.slow

AA_TEXT = 4.5  # WCAG 2 AA, 1.4.3 (normal-size text)
AA_NON_TEXT = 3.0  # WCAG 2 AA, 1.4.11 (edges of controls)
FOCUS_YELLOW = "rgb(255, 221, 0)"  # the focus ring's inner colour (widget.css)

# Colours of an element and of what is really behind it (the first ancestor with a background colour,
# crossing out of the shadow root if need be).
_COLOURS = """
(element, pseudo) => {
    const background = (node) => {
        for (let n = node; n; n = n.parentElement || n.getRootNode().host) {
            const colour = getComputedStyle(n).backgroundColor;
            if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") return colour;
        }
        return "rgb(255, 255, 255)";
    };
    const style = getComputedStyle(element, pseudo || null);
    return {color: style.color, background: background(element), border: style.borderTopColor,
            parentBackground: background(element.parentElement || element.getRootNode().host)};
}
"""


def colours(page: Page, selector: str, pseudo: str | None = None) -> dict[str, str]:
    return page.locator(selector).first.evaluate(_COLOURS, pseudo)


def canned_widget(embedding: Embedding, open_page, **options) -> Widget:
    widget = Widget(open_page(embedding.city.url("canned.html"), **options).page)
    widget.show_canned(canned.EVERY_KIND)
    return widget


def test_roles_names_and_live_region(embedding: Embedding, open_page) -> None:
    widget = Widget(open_page(embedding.city.url("city.html")).page)
    page = widget.page
    launcher = page.locator("joso-chat .launcher")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(launcher).to_have_attribute("aria-controls", "joso-chat-panel")
    widget.launcher.click()
    expect(launcher).to_be_hidden()  # the panel's own 閉じる button takes over
    expect(launcher).to_have_attribute("aria-expanded", "true")

    expect(page.get_by_role("region", name="常総市 チャットボット")).to_be_visible()
    expect(widget.log).to_have_attribute("aria-live", "polite")
    expect(widget.log).to_have_attribute("aria-label", "会話")
    expect(widget.input).to_be_visible()  # found by its label, メッセージ
    expect(widget.send_button).to_be_visible()
    expect(page.get_by_role("group", name="質問の例（押すと送ります）").get_by_role("button")).to_have_count(3)
    expect(page.locator("joso-chat .root")).to_have_attribute("lang", "ja")
    # Each message says who speaks, for screen readers (visually hidden).
    widget.ask("こんにちは")
    expect(widget.resident_entries.last.locator(".visually-hidden")).to_have_text("あなた：")
    expect(widget.bot_entries.last.locator(".visually-hidden").first).to_have_text("チャットボット：")


def test_the_main_colours_meet_wcag_aa_contrast(embedding: Embedding, open_page) -> None:
    widget = Widget(open_page(embedding.city.url("canned.html")).page)
    page = widget.page
    widget.ask("こんにちは")  # a resident bubble and a bot bubble from the live bot
    widget.show_canned(canned.EVERY_KIND)
    text_pairs = {
        "resident bubble": colours(page, "joso-chat .entry-resident .bubble"),
        "bot bubble": colours(page, "joso-chat .entry-bot > .bubble"),
        "title on the header": colours(page, "joso-chat .title"),
        "subtitle on the header": colours(page, "joso-chat .subtitle"),
        "header button": colours(page, "joso-chat .header-button"),
        "choice button": colours(page, "joso-chat .choices .choice:not(:disabled)"),
        "primary button": colours(page, "joso-chat .choice.primary"),
        "send button": colours(page, "joso-chat .send"),
        "input text": colours(page, "joso-chat .input"),
        "input placeholder": colours(page, "joso-chat .input", "::placeholder"),
        "privacy note": colours(page, "joso-chat .intro-note"),
        "emergency note": colours(page, "joso-chat .intro-note.emergency"),
        "link in a card": colours(page, "joso-chat .faq .more a"),
        "label in the facts": colours(page, "joso-chat .facts dt"),
        "demo data warning": colours(page, "joso-chat .warning"),
        "alert level 4": colours(page, "joso-chat .alert.level-4 .alert-title"),
    }
    for label, pair in text_pairs.items():
        ratio = contrast_ratio(pair["color"], pair["background"])
        assert ratio >= AA_TEXT, f"{label}: {pair['color']} on {pair['background']} is {ratio:.2f}:1"
    for label, selector in {
        "choice button's edge": "joso-chat .choices .choice:not(:disabled)",
        "input's edge": "joso-chat .input",
        "card's edge": "joso-chat .card",
    }.items():
        pair = colours(page, selector)
        ratio = contrast_ratio(pair["border"], pair["parentBackground"])
        assert ratio >= AA_NON_TEXT, f"{label}: {pair['border']} on {pair['parentBackground']} is {ratio:.2f}:1"


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_every_alert_level_colour_is_readable(embedding: Embedding, open_page, level: int) -> None:
    widget = Widget(open_page(embedding.city.url("canned.html")).page)
    widget.show_canned([canned.alert(level)])
    for part in ("alert-title", "alert-message", "alert-time"):
        pair = colours(widget.page, f"joso-chat .alert .{part}")
        ratio = contrast_ratio(pair["color"], pair["background"])
        assert ratio >= AA_TEXT, f"level {level} {part}: {ratio:.2f}:1"


def test_the_connection_bar_is_readable(embedding: Embedding, open_page) -> None:
    widget = Widget(open_page(embedding.city.url("city.html", unlisted=True)).page)
    widget.open()
    widget.input.fill("こんにちは")
    widget.input.press("Enter")
    expect(widget.connection_bar).to_be_visible(timeout=30_000)
    for selector in ("joso-chat .connection-text", "joso-chat .retry", "joso-chat .entry-status"):
        pair = colours(widget.page, selector)
        assert contrast_ratio(pair["color"], pair["background"]) >= AA_TEXT, selector


def test_every_control_shows_where_the_keyboard_focus_is(embedding: Embedding, open_page) -> None:
    widget = canned_widget(embedding, open_page)
    page = widget.page
    widget.input.focus()
    seen: dict[str, str] = {}
    # Walk backwards through everything focusable in the panel, from the input to the header.
    for _ in range(40):
        focused = page.evaluate(
            """() => {
                const el = document.querySelector("joso-chat").shadowRoot.activeElement;
                if (!el) return null;
                const style = getComputedStyle(el);
                return {name: el.tagName + "." + el.className, shadow: style.boxShadow,
                        outline: style.outlineStyle + " " + style.outlineWidth, background: style.backgroundColor};
            }"""
        )
        if focused is None:
            break
        seen[focused["name"]] = focused["shadow"]
        page.keyboard.press("Shift+Tab")
    kinds = {name.split(".")[0] + "." + name.split(".")[1].split(" ")[0] for name in seen}
    assert {"INPUT.input", "BUTTON.choice", "A.", "DIV.log", "BUTTON.header-button"} <= kinds, kinds
    missing = [name for name, shadow in seen.items() if FOCUS_YELLOW not in shadow]
    assert not missing, f"no focus ring on: {missing}"


def test_the_launcher_shows_keyboard_focus(embedding: Embedding, open_page) -> None:
    watched = open_page(embedding.city.url("city.html"), viewport=PHONE)
    widget = Widget(watched.page)
    for _ in range(10):
        watched.page.keyboard.press("Tab")
        if widget.launcher.evaluate("button => button.getRootNode().activeElement === button"):
            break
    assert FOCUS_YELLOW in widget.computed(widget.launcher, "boxShadow")["boxShadow"]
    widget.screenshot("widget-launcher-focused-phone")  # on the stand-in city page, with its hostile CSS


def test_a_focused_link_is_highlighted(embedding: Embedding, open_page) -> None:
    widget = canned_widget(embedding, open_page)
    link = widget.page.locator("joso-chat .faq .more a")
    link.focus()
    widget.page.keyboard.press("Shift+Tab")
    widget.page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    expect(link).to_be_focused()
    style = widget.computed(link, "backgroundColor", "boxShadow")
    assert style["backgroundColor"] == FOCUS_YELLOW
    assert style["boxShadow"] != "none"


def test_text_follows_the_browsers_font_size_and_ignores_the_host_pages_root_size(
    embedding: Embedding, open_page
) -> None:
    watched = open_page(embedding.city.url("canned.html"))
    widget = Widget(watched.page)
    widget.show_canned(canned.EVERY_KIND)

    def sizes() -> dict[str, float]:
        selectors = {
            "bubble": "joso-chat .entry-bot > .bubble",
            "answer": "joso-chat .answer",
            "button": "joso-chat .choice",
            "input": "joso-chat .input",
        }
        return {
            name: float(widget.page.locator(sel).first.evaluate("e => getComputedStyle(e).fontSize")[:-2])
            for name, sel in selectors.items()
        }

    default = sizes()
    assert min(default.values()) >= 16, default  # readable at the browser's default (16 px)
    cdp = watched.context.new_cdp_session(widget.page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 24, "fixed": 20}})  # the resident's setting
    larger = sizes()
    for name, size in default.items():
        assert larger[name] == pytest.approx(size * 1.5, rel=0.02), (name, size, larger[name])

    # The stand-in city page sets html { font-size: 62.5% } (1rem = 10 px): the widget does not shrink.
    city = Widget(open_page(embedding.city.url("city.html")).page)
    city.open()
    city_bubble = city.page.locator("joso-chat .intro .bubble").evaluate("e => getComputedStyle(e).fontSize")
    assert float(city_bubble[:-2]) == pytest.approx(default["bubble"])


def test_buttons_are_big_enough_to_press(embedding: Embedding, open_page) -> None:
    widget = canned_widget(embedding, open_page, viewport=PHONE)
    heights = widget.page.locator("joso-chat button:visible").evaluate_all(
        "buttons => buttons.map(b => [b.textContent, b.getBoundingClientRect().height])"
    )
    assert heights
    small = [(text, height) for text, height in heights if height < 44]
    assert not small, f"buttons under 44 px: {small}"


def test_the_host_pages_css_does_not_reach_into_the_widget(embedding: Embedding, open_page) -> None:
    # city.html hides [role=log], paints buttons lime at 8 px, colours every div magenta, hides joso-chat.
    widget = Widget(open_page(embedding.city.url("city.html")).page)
    widget.open()
    expect(widget.log).to_be_visible()
    send = widget.computed(widget.send_button, "backgroundColor", "fontSize")
    assert send["backgroundColor"] == "rgb(0, 85, 140)"
    assert float(send["fontSize"][:-2]) >= 16
    intro = widget.computed(widget.page.locator("joso-chat .intro .bubble"), "color", "letterSpacing", "marginTop")
    assert intro == {"color": "rgb(27, 27, 27)", "letterSpacing": "normal", "marginTop": "0px"}


def test_every_kind_fits_a_320_px_phone(embedding: Embedding, open_page) -> None:
    widget = canned_widget(embedding, open_page, viewport=PHONE)
    overflowing = widget.page.evaluate(
        """() => [...document.querySelector("joso-chat").shadowRoot.querySelectorAll(".panel *")]
                .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "hidden"
                             && e.clientWidth > 0)
                .map(e => e.className || e.tagName)"""
    )
    assert overflowing == []
    assert widget.page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
