"""A stand-in for the city's website: another origin whose pages embed the widget with one script tag.

Pages live in tests/browser/pages/; `{{GATEWAY}}` in them becomes the gateway's URL.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support import free_port

PAGES = Path(__file__).resolve().parent / "pages"


class CitySite:
    def __init__(self, gateway_url: str) -> None:
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        # The same pages under another name: a different origin, one the gateway does not list.
        self.unlisted_origin = f"http://localhost:{self.port}"
        gateway = gateway_url

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                name = self.path.split("?", 1)[0].lstrip("/") or "city.html"
                page = PAGES / name
                if "/" in name or not page.is_file():
                    self.send_error(404)
                    return
                body = page.read_text(encoding="utf-8").replace("{{GATEWAY}}", gateway).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> CitySite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, page: str = "city.html", unlisted: bool = False) -> str:
        return f"{self.unlisted_origin if unlisted else self.origin}/{page}"
