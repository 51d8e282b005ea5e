"""Browser fixtures: Debian's chromium driven by Playwright, the stand-in city site, a gateway of our own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, sync_playwright

from scripts.stack import Stack
from tests.browser.city_site import CitySite
from tests.browser.gateway_process import GatewayProcess
from tests.support import free_port

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox: CI runs as root in a container. Nothing may reach the network on its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 320, "height": 640}


# Module scope: Playwright's sync API keeps an event loop running on this thread while it is started,
# which the async tests of other modules (pytest-asyncio) cannot share; it stops after each module.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure_chromium.sh (make test does)", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Watched:
    """A page, with what it did that a test may want to check afterwards."""

    page: Page
    context: BrowserContext
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    accept_dialogs: bool = False  # answer "OK" to confirm() (default: "Cancel")


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Watched]]:
    """open_page(url, viewport=..., **context_options) -> Watched; contexts are closed after the test."""
    contexts: list[BrowserContext] = []

    def opener(url: str, viewport: dict[str, int] | None = None, **options: Any) -> Watched:
        context = browser.new_context(viewport=viewport or DESKTOP, locale="ja-JP", **options)
        context.set_default_timeout(60_000)
        contexts.append(context)
        page = context.new_page()
        watched = Watched(page, context)

        def on_dialog(dialog: Dialog) -> None:
            watched.dialogs.append(dialog.message)
            if watched.accept_dialogs:
                dialog.accept()
            else:
                dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: watched.page_errors.append(str(error)))
        page.on("request", lambda request: watched.requests.append(request.url))
        page.goto(url)
        return watched

    yield opener
    for context in contexts:
        context.close()


@dataclass
class Embedding:
    city: CitySite
    gateway: GatewayProcess


@pytest.fixture(scope="session")
def embedding(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Embedding]:
    """The stand-in city site, and a real gateway (in front of the test stack) that lists its origin."""
    port = free_port()
    with CitySite(f"http://127.0.0.1:{port}") as city:
        gateway = GatewayProcess(
            port=port,
            rasa_url=f"http://127.0.0.1:{stack.config.rasa_port}",
            action_server_url=f"http://127.0.0.1:{stack.config.action_port}",
            state_dir=tmp_path_factory.mktemp("widget-gateway"),
            allowed_origins=city.origin,
        )
        gateway.start()
        try:
            yield Embedding(city, gateway)
        finally:
            gateway.stop()
