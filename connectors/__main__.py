"""Run the gateway: python -m connectors (host and port from GATEWAY_HOST / GATEWAY_PORT)."""

import logging

from aiohttp import web

import settings
from connectors.app import create_app
from connectors.settings import Settings


def main() -> None:
    # An invalid variable stops the gateway with its name, before anything starts.
    settings.exit_on_invalid(*settings.GROUPS)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    gateway = Settings()
    web.run_app(create_app(gateway), host=gateway.host, port=gateway.port, print=None)


if __name__ == "__main__":
    main()
