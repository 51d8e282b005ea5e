"""Typed keys for what the LINE channel shares with the gateway application."""

from __future__ import annotations

from aiohttp import web
from linebot.v3 import WebhookParser

from connectors.line.channel import LineChannel
from connectors.line.config import LineConfig

LINE_CONFIG = web.AppKey("line_config", LineConfig)
LINE_PARSER = web.AppKey("line_parser", WebhookParser)
# Present only when the channel is configured.
LINE_CHANNEL = web.AppKey("line_channel", LineChannel)
