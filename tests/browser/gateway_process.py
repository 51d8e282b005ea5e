"""A gateway process of its own (the real `python -m connectors`) in front of the test stack's Rasa.

The browser tests need gateways the shared stack cannot give: one that allows the stand-in city site's
origin, one that goes down and comes back, one whose engine is gone.
"""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from scripts.stack import APP_BIN, ROOT, app_env
from tests.support import ARTIFACTS, free_port


class GatewayProcess:
    def __init__(
        self,
        *,
        rasa_url: str,
        action_server_url: str,
        state_dir: Path,
        allowed_origins: str = "",
        port: int | None = None,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._env = app_env(
            {
                "GATEWAY_HOST": "127.0.0.1",
                "GATEWAY_PORT": str(self.port),
                "RASA_URL": rasa_url,
                "ACTION_SERVER_URL": action_server_url,
                "JOSO_STATE_DIR": str(state_dir),
                "WIDGET_ALLOWED_ORIGINS": allowed_origins,
                "HEALTH_INTERVAL": "0.5",
            }
        )
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        log = open(ARTIFACTS / f"widget-gateway-{self.port}.log", "ab")  # noqa: SIM115 (owned by the process)
        self._process = subprocess.Popen(
            [str(APP_BIN / "python"), "-m", "connectors"],
            cwd=ROOT,
            env=self._env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the gateway exited with {self._process.returncode}; see its log in {ARTIFACTS}")
            try:
                with urllib.request.urlopen(f"{self.url}/widget/joso-chat.js", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the gateway on port {self.port} did not start within {timeout:.0f} s")

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def wait_engine_checked(self, timeout: float = 10.0) -> None:
        """Until the gateway's health monitor has looked at the engine at least once."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=3).close()
                return
            except urllib.error.HTTPError:
                return  # 503 is an answer too: the check ran
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
