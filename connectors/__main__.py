"""Run the gateway: python -m connectors (host and port from GATEWAY_HOST / GATEWAY_PORT)."""

import logging

from aiohttp import web

from connectors.app import create_app
from connectors.settings import Settings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None)


if __name__ == "__main__":
    main()
