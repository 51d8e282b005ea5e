"""Disaster news to every follower: LINE multicast in batches of at most 500 ids, each with its own retry key.

Used by disaster mode (knowledge_base.disaster: `on --broadcast`, `broadcast`) and by staff:

    python -m connectors.line.broadcast "避難指示が出ました。..." [--ask-location] [--button 題名=/payload ...]
    python -m connectors.line.broadcast --count        # how many followers would receive it

A transient failure (LINE's 5xx, a rate limit, the network) is retried with the batch's same X-Line-Retry-Key,
so LINE never delivers a batch twice; the report says which batches failed for good, and their keys.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from connectors.line import limits
from connectors.line.config import LineConfig
from connectors.line.delivery import Outbox
from connectors.line.followers import FollowerStore
from connectors.line.lifecycle import follower_store, messaging_client
from connectors.line.render import LineMessage, render
from connectors.pseudonym import Pseudonymizer, load_or_create_key
from knowledge_base.texts import text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchReport:
    recipients: int
    ok: bool
    attempts: int
    retry_key: str | None
    status: int | None
    error: str = ""


@dataclass
class BroadcastReport:
    followers: int = 0
    unreadable: int = 0  # follower rows that could not be decrypted (another key): not reached
    batches: list[BatchReport] = field(default_factory=list)

    @property
    def delivered(self) -> int:
        return sum(batch.recipients for batch in self.batches if batch.ok)

    @property
    def failed(self) -> int:
        return sum(batch.recipients for batch in self.batches if not batch.ok)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.unreadable == 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"delivered": self.delivered, "failed": self.failed, "ok": self.ok}


def broadcast_messages(
    text: str, buttons: list[dict[str, str]] | None = None, ask_location: bool = False
) -> list[LineMessage]:
    """The LINE messages of one broadcast (quick reply included); at most 5, or ValueError."""
    if not text.strip():
        raise ValueError("a broadcast needs a text")
    if ask_location:
        reply: dict[str, Any] = {"custom": {"kind": "location_request", "text": text, "buttons": buttons or []}}
    else:
        reply = {"text": text, "buttons": buttons or []}
    messages = render([reply])
    if len(messages) > limits.MESSAGES_PER_CALL:
        raise ValueError(f"the text is too long for one broadcast ({len(messages)} messages, at most 5)")
    return messages


def recipient_batches(user_ids: list[str], size: int = limits.MULTICAST_RECIPIENTS) -> list[list[str]]:
    unique = list(dict.fromkeys(user_ids))
    return [unique[start : start + size] for start in range(0, len(unique), size)]


class Broadcaster:
    def __init__(self, outbox: Outbox, followers: FollowerStore) -> None:
        self._outbox = outbox
        self._followers = followers

    async def send(
        self,
        text: str,
        buttons: list[dict[str, str]] | None = None,
        ask_location: bool = False,
        key_seed: str | None = None,
    ) -> BroadcastReport:
        """key_seed: when given, batch i always gets the same retry key, so sending the same announcement
        again never reaches anyone twice (followers are read in follow order: earlier batches stay the same)."""
        messages = broadcast_messages(text, buttons, ask_location)
        recipients = await self._followers.recipients()
        report = BroadcastReport(followers=len(recipients.user_ids), unreadable=recipients.unreadable)
        for index, batch in enumerate(recipient_batches(recipients.user_ids)):
            key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"joso-broadcast:{key_seed}:{index}")) if key_seed else None
            result = await self._outbox.multicast(batch, messages, key)
            report.batches.append(
                BatchReport(len(batch), result.ok, result.attempts, result.retry_key, result.status, result.error)
            )
            if not result.ok:
                logger.error("broadcast batch of %d failed: %s (key %s)", len(batch), result.error, result.retry_key)
        logger.info(
            "broadcast: %d follower(s), %d delivered, %d failed, %d unreadable",
            report.followers,
            report.delivered,
            report.failed,
            report.unreadable,
        )
        return report


def _configured(config: LineConfig | None) -> LineConfig:
    config = config or LineConfig()
    if not config.configured:
        raise RuntimeError(f"the LINE channel is not configured: set {', '.join(config.missing)}")
    return config


def _store(config: LineConfig) -> FollowerStore:
    pseudonymizer = Pseudonymizer(load_or_create_key(config.pseudonym_key, config.state_dir))
    return follower_store(config, pseudonymizer)


async def broadcast(
    text: str,
    buttons: list[dict[str, str]] | None = None,
    *,
    ask_location: bool = False,
    key_seed: str | None = None,
    config: LineConfig | None = None,
) -> BroadcastReport:
    """Send `text` (and optional quick-reply buttons) to every follower; configured from the environment."""
    config = _configured(config)
    client, api = messaging_client(config)
    try:
        return await Broadcaster(Outbox(api, config), _store(config)).send(text, buttons, ask_location, key_seed)
    finally:
        await client.close()


class DisasterBroadcaster:
    """Disaster mode's broadcaster (see knowledge_base.disaster.broadcast): the alert, a "send my location" quick
    reply and a shelter button. Batch keys derive from the announcement, so a re-send is never a double send."""

    def __init__(self, config: LineConfig | None = None) -> None:
        self._config = config

    def unavailable_reason(self) -> str | None:
        """Asked before disaster mode changes, so an unconfigured channel is refused up front."""
        config = self._config or LineConfig()
        return None if config.configured else f"LINE が設定されていません（{', '.join(config.missing)}）"

    async def __call__(self, announcement: Any) -> BroadcastReport:
        report = await broadcast(
            announcement.text,
            [{"title": text("menu.find_shelter", "ja"), "payload": "/find_shelter"}],
            ask_location=True,
            key_seed=announcement.retry_key,
            config=self._config,
        )
        if not report.ok:
            raise BroadcastIncomplete(report)
        return report


broadcast_disaster_announcement = DisasterBroadcaster()


class BroadcastIncomplete(Exception):
    """Some followers were not reached; the report says how many and which batch keys failed."""

    def __init__(self, report: BroadcastReport) -> None:
        super().__init__(
            f"{report.delivered}/{report.followers} delivered, {report.failed} failed, {report.unreadable} unreadable"
        )
        self.report = report


def _button(text: str) -> dict[str, str]:
    title, separator, payload = text.partition("=")
    if not separator or not title or not payload:
        raise argparse.ArgumentTypeError("a button is written 題名=/payload")
    return {"title": title, "payload": payload}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m connectors.line.broadcast", description=__doc__.split("\n")[0])
    parser.add_argument("text", nargs="?", help="the message (Japanese, short and plain)")
    parser.add_argument("--ask-location", action="store_true", help="offer a 'send my location' quick reply")
    parser.add_argument("--button", type=_button, action="append", default=[], help="題名=/payload (repeatable)")
    parser.add_argument("--count", action="store_true", help="only print how many followers there are")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.count:
        print(asyncio.run(_store(LineConfig()).count()))
        return 0
    if not args.text:
        parser.error("give the text to send")
    report = asyncio.run(broadcast(args.text, args.button, ask_location=args.ask_location))
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
