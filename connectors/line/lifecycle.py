"""Start and stop what the LINE channel needs, inside the gateway's lifetime (aiohttp cleanup_ctx)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable

import redis.asyncio as redis
from aiohttp import web
from linebot.v3 import WebhookParser
from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, Configuration

from connectors.line.channel import LineChannel
from connectors.line.config import LineConfig
from connectors.line.dedupe import EventLedger
from connectors.line.delivery import Outbox
from connectors.line.followers import FollowerCipher, FollowerStore, load_or_create_key
from connectors.line.runtime import LINE_CHANNEL, LINE_CONFIG, LINE_PARSER
from connectors.runtime import ENGINE, PSEUDONYMIZER, SETTINGS

logger = logging.getLogger(__name__)


def messaging_client(config: LineConfig) -> tuple[AsyncApiClient, AsyncMessagingApi]:
    """The SDK's client, pointed at LINE_API_BASE_URL (`line_base_path`: Configuration(host=) is ignored)."""
    client = AsyncApiClient(Configuration(access_token=config.access_token))
    api = AsyncMessagingApi(client)
    api.line_base_path = config.api_base_url
    return client, api


def follower_store(config: LineConfig, pseudonymize: Callable[[str, str], str]) -> FollowerStore:
    cipher = FollowerCipher(load_or_create_key(config.follower_key, config.state_dir))
    return FollowerStore(config.database_url, cipher, pseudonymize)


async def line_context(app: web.Application) -> AsyncIterator[None]:
    """Runs after the engine's context (registered after it), so it stops first and can drain."""
    config = LineConfig(state_dir=app[SETTINGS].state_dir)
    app[LINE_CONFIG] = config
    if not config.configured:
        logger.warning("LINE webhook disabled: %s not set", ", ".join(config.missing))
        yield
        return
    app[LINE_PARSER] = WebhookParser(config.channel_secret)
    client, api = messaging_client(config)
    redis_client = redis.Redis.from_url(config.redis_url)
    channel = LineChannel(
        config,
        app[ENGINE],
        Outbox(api, config),
        EventLedger(redis_client, config.redis_prefix, config.event_ttl_seconds),
        follower_store(config, app[PSEUDONYMIZER]),
        app[PSEUDONYMIZER],
    )
    app[LINE_CHANNEL] = channel
    logger.info("LINE webhook ready (LINE API at %s)", config.api_base_url)
    try:
        yield
    finally:
        await channel.close()
        await redis_client.aclose()
        await client.close()
