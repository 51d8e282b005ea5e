"""Every message kind of docs/message-contract.md, rendered in a real Chromium from canned messages.

The live bot does not send every kind on demand (shelters, alerts and FAQ cards come from other branches'
actions), so these tests show canned messages through the page's test hook; the page and the gateway are
real, so pressing a button is a real turn.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import canned
from tests.browser.conftest import PHONE, Embedding
from tests.browser.widget import Widget

pytestmark = pytest.mark.slow


def canned_page(embedding: Embedding, open_page, **options) -> Widget:
    watched = open_page(embedding.city.url("canned.html"), **options)
    widget = Widget(watched.page)
    widget.watched = watched
    return widget


def test_an_faq_answer_is_a_card_with_department_phone_hours_link_and_date(embedding: Embedding, open_page) -> None:
    widget = canned_page(embedding, open_page)
    widget.show_canned([canned.FAQ_ANSWER])
    card = widget.page.locator("joso-chat article.faq")
    custom = canned.FAQ_ANSWER["custom"]

    expect(card.get_by_role("heading", name=custom["question"])).to_be_visible()
    # The answer keeps its line breaks (its URL becomes a link, with a hint for screen readers).
    answer = card.locator(".answer")
    expect(answer).to_contain_text("はい、テスト用の答えです。\n二行目もあります。")
    assert answer.evaluate("p => getComputedStyle(p).whiteSpace") == "pre-wrap"
    facts = dict(zip(card.locator("dt").all_inner_texts(), card.locator("dd").all_inner_texts(), strict=True))
    assert facts == {"担当": "テスト課", "電話": custom["phone"], "受付": custom["hours"], "更新": "2024年4月1日"}
    # The phone number dials (extension notes left out); the page link opens safely in a new tab.
    expect(card.get_by_role("link", name=custom["phone"])).to_have_attribute("href", "tel:0297232111")
    more = card.get_by_role("link", name=re.compile("くわしくは市のページへ"))
    expect(more).to_have_attribute("href", custom["url"])
    expect(more).to_have_attribute("target", "_blank")
    expect(more).to_have_attribute("rel", "noopener noreferrer")
    # A URL inside the answer text becomes a safe link too.
    expect(card.locator(".answer a")).to_have_attribute("href", "https://example.org/faq/test")
    # The fallback text is not shown twice, and the card's buttons are there.
    expect(widget.log).not_to_contain_text(custom["text"])
    expect(widget.page.get_by_role("group", name="選べる答え").get_by_role("button")).to_have_count(2)


def test_a_translated_answer_says_so_and_is_marked_with_its_language(embedding: Embedding, open_page) -> None:
    widget = canned_page(embedding, open_page)
    widget.show_canned([canned.FAQ_ANSWER_TRANSLATED])
    card = widget.page.locator("joso-chat article.faq")
    expect(card.get_by_role("heading")).to_have_attribute("lang", "en")
    expect(card.locator(".answer")).to_have_attribute("lang", "en")
    expect(card).to_contain_text("翻訳")
    expect(card.get_by_role("link", name=re.compile("くわしく"))).to_have_count(0)  # url was null


def test_a_shelter_list_shows_distance_address_status_and_a_safe_map_link(embedding: Embedding, open_page) -> None:
    widget = canned_page(embedding, open_page)
    widget.show_canned([canned.SHELTER_LIST])
    card = widget.page.locator("joso-chat section.shelters")

    expect(card.get_by_role("heading", level=3)).to_have_text("近くの避難場所（洪水）")
    expect(card.locator(".warning")).to_contain_text("見本のデータ")  # demo data is never taken for real
    expect(card).to_contain_text("川から離れた場所へ")  # the note
    sites = card.get_by_role("listitem")
    expect(sites).to_have_count(2)
    first, second = sites.nth(0), sites.nth(1)
    expect(first.get_by_role("heading", level=4)).to_have_text("テスト避難場所A")
    expect(first).to_contain_text("約850m")
    expect(first).to_contain_text("テスト町1-1")
    expect(first).to_contain_text("開設中")
    map_link = first.get_by_role("link", name=re.compile("地図で見る"))
    expect(map_link).to_have_attribute("href", "https://example.org/map?lat=36.02&lon=139.99")
    expect(map_link).to_have_attribute("rel", "noopener noreferrer")
    expect(second).to_contain_text("約2.4km")
    expect(second).to_contain_text("福祉避難所")
    # javascript: is not a map: no link at all rather than a dangerous one.
    expect(second.get_by_role("link")).to_have_count(0)


@pytest.mark.parametrize(("level", "name"), [(5, "緊急安全確保"), (4, "避難指示"), (3, "高齢者等避難")])
def test_an_alert_is_a_banner_announced_at_once(embedding: Embedding, open_page, level: int, name: str) -> None:
    widget = canned_page(embedding, open_page)
    widget.show_canned([canned.alert(level)])
    banner = widget.page.get_by_role("alert")
    expect(banner).to_contain_text(f"警戒レベル{level} {name}")
    expect(banner).to_contain_text("洪水")
    expect(banner).to_contain_text("危険な場所から避難してください")
    expect(banner).to_contain_text("9月10日 6時15分")  # issued_at, in Japan time
    assert f"level-{level}" in (banner.get_attribute("class") or "")


def test_an_unknown_kind_falls_back_to_its_text(embedding: Embedding, open_page) -> None:
    widget = canned_page(embedding, open_page)
    widget.show_canned([canned.UNKNOWN_KIND])
    expect(widget.bot_entries.last).to_have_text(re.compile(re.escape(canned.UNKNOWN_KIND["custom"]["text"])))


def test_markup_and_javascript_links_from_the_server_never_become_html(embedding: Embedding, open_page) -> None:
    widget = canned_page(embedding, open_page)
    widget.show_canned(canned.XSS_FROM_SERVER)
    widget.page.wait_for_timeout(500)  # an onerror handler would have fired by now

    assert widget.watched.dialogs == []
    assert widget.page.locator("joso-chat img, joso-chat script, joso-chat b").count() == 0
    expect(widget.bot_entries.nth(0).locator(".bubble")).to_have_text(canned.XSS_TEXT)
    expect(widget.page.locator("joso-chat article.faq .answer")).to_have_text(canned.XSS_TEXT)
    expect(widget.page.get_by_role("button", name=canned.XSS_TEXT)).to_be_visible()
    hrefs = widget.page.locator("joso-chat a").evaluate_all("links => links.map(a => a.href)")
    assert all(href.startswith(("https:", "http:", "tel:")) for href in hrefs), hrefs


def test_every_kind_together_screenshots(embedding: Embedding, open_page) -> None:
    """A picture of every kind for people to look at: desktop, and a 320 px phone (tall, to see it all)."""
    for name, viewport in (("desktop", None), ("phone", {"width": PHONE["width"], "height": 3200})):
        widget = canned_page(embedding, open_page, viewport=viewport)
        widget.show_canned(canned.EVERY_KIND)
        expect(widget.page.get_by_role("button", name=re.compile("いまいる場所を送る"))).to_be_enabled()
        widget.screenshot(f"widget-every-kind-{name}")
        assert widget.watched.page_errors == []
