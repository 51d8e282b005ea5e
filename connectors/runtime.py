"""Typed keys for what the running gateway shares between handlers."""

from __future__ import annotations

import aiohttp
from aiohttp import web

from connectors.engine import Engine
from connectors.pseudonym import Pseudonymizer
from connectors.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
HTTP = web.AppKey("http", aiohttp.ClientSession)
ENGINE = web.AppKey("engine", Engine)
PSEUDONYMIZER = web.AppKey("pseudonymizer", Pseudonymizer)
