"""Driving the widget in a page the way a resident does (Playwright's locators reach into its shadow root)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Locator, Page, Response, expect

from tests.support import ARTIFACTS

REPLY_TIMEOUT_MS = 60_000


@dataclass
class Turn:
    response: Response
    sent: dict[str, Any]  # the JSON body the widget posted
    replies: list[Locator]  # the bot entries this turn added


class Widget:
    def __init__(self, page: Page) -> None:
        self.page = page
        page.locator("joso-chat .root:not([data-loading])").wait_for(state="attached")

    # --- parts -------------------------------------------------------------------------------

    @property
    def launcher(self) -> Locator:
        return self.page.get_by_role("button", name="チャットで質問する")

    @property
    def panel(self) -> Locator:
        return self.page.locator("joso-chat .panel")

    @property
    def log(self) -> Locator:
        return self.page.get_by_role("log")

    @property
    def input(self) -> Locator:
        return self.page.get_by_role("textbox", name="メッセージ")

    @property
    def send_button(self) -> Locator:
        return self.page.get_by_role("button", name="送信", exact=True)

    @property
    def bot_entries(self) -> Locator:
        return self.page.locator("joso-chat .entry-bot")

    @property
    def resident_entries(self) -> Locator:
        return self.page.locator("joso-chat .entry-resident")

    @property
    def connection_bar(self) -> Locator:
        return self.page.locator("joso-chat .connection")

    @property
    def retry_button(self) -> Locator:
        return self.page.get_by_role("button", name="もう一度送る")

    # --- actions -----------------------------------------------------------------------------

    def open(self) -> None:
        if not self.input.is_visible():
            self.launcher.click()
        expect(self.input).to_be_visible()

    def turn(self, act: Any) -> Turn:
        """Do `act()` (which sends one turn); wait for the API's answer and for the widget to show it."""
        before = self.bot_entries.count()
        with self.page.expect_response(
            lambda r: r.url.endswith("/api/chat") and r.request.method == "POST", timeout=REPLY_TIMEOUT_MS
        ) as answer:
            act()
        response = answer.value
        if response.status in (200, 503):
            expect(self.bot_entries.nth(before)).to_be_visible(timeout=REPLY_TIMEOUT_MS)
        added = [self.bot_entries.nth(i) for i in range(before, self.bot_entries.count())]
        return Turn(response, response.request.post_data_json, added)

    def ask(self, text: str) -> Turn:
        self.open()
        self.input.fill(text)
        return self.turn(lambda: self.input.press("Enter"))

    def show_canned(self, messages: list[dict[str, Any]]) -> None:
        """Bot messages injected through the page's test hook (pages with data-test-hook only)."""
        before = self.bot_entries.count()
        self.page.evaluate("messages => window.JosoChat.receive(messages)", messages)
        expect(self.bot_entries).to_have_count(before + len(messages))

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))

    def computed(self, locator: Locator, *properties: str) -> dict[str, str]:
        return locator.evaluate(
            "(element, names) => Object.fromEntries(names.map(n => [n, getComputedStyle(element)[n]]))",
            list(properties),
        )
