"""The gateway's one way into the dialogue engine: Rasa's REST channel, always with a time limit.

A background monitor keeps a fresh view of whether Rasa and the action server answer, so that when
either is down a resident gets the apology at once instead of waiting for a timeout.

Busy is not dead. A dead process refuses connections: that (or an error answer) marks it down at once. A health
probe that times out only means the component is slow: Rasa is single-threaded and a heavy turn delays its health
answer. So a timeout marks a component down only after `health_failures` probes in a row have timed out, and for
Rasa only when no resident's message was answered meanwhile (an answered message proves it alive).
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from connectors.settings import Settings

logger = logging.getLogger(__name__)

COMPONENTS = ("rasa", "actions")


class EngineUnavailable(Exception):
    """Rasa or the action server did not produce a reply."""


@dataclass
class Health:
    up: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(COMPONENTS, True))
    checked_at: float = 0.0

    @property
    def all_up(self) -> bool:
        return all(self.up.values())


class Probe(enum.Enum):
    OK = "ok"
    DOWN = "down"  # refused (nothing listens: the process is dead), dropped, or answered with an error
    SLOW = "slow"  # no answer in time: hung, or merely busy


class Engine:
    def __init__(self, http: aiohttp.ClientSession, settings: Settings) -> None:
        self._http = http
        self._settings = settings
        self.health = Health()
        self._health_urls = {
            "rasa": f"{settings.rasa_url}/",
            "actions": f"{settings.action_server_url}/health",
        }
        self._failures = dict.fromkeys(COMPONENTS, 0)
        self._answered_at = 0.0  # monotonic time of Rasa's latest reply to a resident

    async def _probe(self, url: str) -> Probe:
        timeout = aiohttp.ClientTimeout(total=self._settings.health_timeout)
        try:
            async with self._http.get(url, timeout=timeout) as response:
                return Probe.OK if response.status == 200 else Probe.DOWN
        except TimeoutError:
            return Probe.SLOW
        except aiohttp.ClientError:
            return Probe.DOWN

    def _judge(self, name: str, probe: Probe, now: float) -> bool:
        """Whether `name` counts as up after this probe (see the module's docstring)."""
        if probe is Probe.OK:
            self._failures[name] = 0
            return True
        if probe is Probe.DOWN:
            self._failures[name] = self._settings.health_failures
            return False
        if name == "rasa" and now - self._answered_at < self._settings.health_failures * self._settings.health_interval:
            return True  # slow to answer the probe, yet answering residents: busy, not dead
        self._failures[name] += 1
        return self._failures[name] < self._settings.health_failures and self.health.up.get(name, True)

    async def check(self) -> Health:
        """Ask every component now; also refreshes the monitor's view."""
        probes = await asyncio.gather(*(self._probe(url) for url in self._health_urls.values()))
        now = time.monotonic()
        up = {name: self._judge(name, probe, now) for name, probe in zip(self._health_urls, probes, strict=True)}
        health = Health(up=up, checked_at=now)
        for name, up in health.up.items():
            if up != self.health.up.get(name):
                logger.log(logging.INFO if up else logging.WARNING, "%s is %s", name, "up" if up else "DOWN")
        self.health = health
        return health

    async def monitor(self) -> None:
        while True:
            await self.check()
            await asyncio.sleep(self._settings.health_interval)

    async def exchange(self, sender: str, text: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Send one resident message to Rasa and return its replies (Rasa's REST format)."""
        if not self.health.all_up:
            down = [name for name, up in self.health.up.items() if not up]
            raise EngineUnavailable(f"known down: {', '.join(down)}")
        body = {"sender": sender, "message": text, "metadata": metadata or {}}
        timeout = aiohttp.ClientTimeout(total=self._settings.rasa_timeout)
        url = f"{self._settings.rasa_url}/webhooks/rest/webhook"
        try:
            async with self._http.post(url, json=body, timeout=timeout) as response:
                if response.status != 200:
                    raise EngineUnavailable(f"Rasa answered HTTP {response.status}")
                replies = await response.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            raise EngineUnavailable(f"Rasa call failed: {exc.__class__.__name__} {exc}") from exc
        self._answered_at = time.monotonic()
        if not isinstance(replies, list) or not replies:
            # Every turn of this bot says something: silence means an action failed (e.g. the
            # action server went down mid-conversation).
            raise EngineUnavailable("Rasa returned no reply")
        return replies
