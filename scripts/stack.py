"""Prepare and run the whole bot: Rasa, the action server and the gateway (used by `make run` and the tests).

    python -m scripts.stack prepare   # train the Rasa model and build the FAQ index if their inputs changed
    python -m scripts.stack run       # prepare, start all three, print the chat page's URL, stop on a signal
    python -m scripts.stack shell     # prepare, start the action server, talk to the bot in `rasa shell`

Runs in the app venv (it reads settings/). Each component runs in its own session (so a Ctrl-C reaches this
supervisor, which then stops them in order) and dies with the supervisor if it is killed outright
(PR_SET_PDEATHSIG). A component that dies is restarted after 1 s, 2 s, 4 s ... (at most 30 s; back to 1 s once
it stayed up a minute), and the log says so.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from settings import (
    GROUPS,
    CacheSettings,
    GatewaySettings,
    StackSettings,
    StateSettings,
    StoreSettings,
    exit_on_invalid,
)

ROOT = Path(__file__).resolve().parent.parent
ENGINE_BIN = ROOT / ".venv" / "engine" / "bin"
APP_BIN = ROOT / ".venv" / "app" / "bin"

# Inputs of a trained Rasa model: a change to any of them means retraining, and nothing else does.
MODEL_INPUTS = (
    "config.yml",
    "bot/domain/**/*.yml",
    "bot/components/**/*.py",
    "bot/components/**/*.yml",
    "data/**/*.yml",
    "requirements/engine*.txt",
)


def cache_dir() -> Path:
    return CacheSettings().cache_dir


def fingerprint(patterns: Iterable[str], root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    files = sorted(
        {p for pattern in patterns for p in root.glob(pattern) if p.is_file() and "__pycache__" not in p.parts}
    )
    for path in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _log(message: str) -> None:
    print(f"[stack] {message}", flush=True)


def train_model() -> Path:
    """The Rasa model for the current inputs, trained only when no model for them exists yet."""
    models = cache_dir() / "models"
    models.mkdir(parents=True, exist_ok=True)
    name = f"rasa-{fingerprint(MODEL_INPUTS)}"
    model = models / f"{name}.tar.gz"
    if model.exists():
        _log(f"Rasa model up to date: {model}")
        return model
    with open(models / f".{name}.lock", "w") as lock:
        import fcntl

        fcntl.flock(lock, fcntl.LOCK_EX)
        if model.exists():
            return model
        _log("training the Rasa model (its inputs changed)...")
        start = time.monotonic()
        staging = models / f".{name}.tmp"
        command = [
            str(ENGINE_BIN / "rasa"),
            "train",
            "--config",
            "config.yml",
            "--domain",
            "bot/domain",
            "--data",
            "data",
            "--out",
            str(staging),
            "--fixed-model-name",
            name,
        ]
        subprocess.run(command, cwd=ROOT, env=engine_env(), check=True)
        os.replace(staging / f"{name}.tar.gz", model)
        _log(f"trained in {time.monotonic() - start:.0f} s: {model}")
    return model


def build_faq_index() -> bool:
    """The FAQ search index for the current YAML, built only when its inputs changed (knowledge_base/README.md).

    YAML errors do not stop the bot: they are printed, and the action server serves the last good index.
    """
    command = [str(APP_BIN / "python"), "-m", "knowledge_base", "build"]
    if subprocess.run(command, cwd=ROOT, env=app_env()).returncode != 0:
        _log("the FAQ files have errors (listed above); the action server serves the last good index")
        return False
    return True


# The settings' defaults (settings/groups.py), not copies of them.
_GATEWAY, _STACK = GatewaySettings.model_fields, StackSettings.model_fields
_STORES, _STATE = StoreSettings.model_fields, StateSettings.model_fields


@dataclass
class StackConfig:
    """Where everything listens and what it talks to; the defaults are the settings' (settings/groups.py)."""

    gateway_host: str = _GATEWAY["host"].default
    gateway_port: int = _GATEWAY["port"].default
    rasa_port: int = _STACK["rasa_port"].default
    action_port: int = _STACK["action_server_port"].default
    redis_url: str = _STORES["redis_url"].default
    redis_prefix: str = _STORES["redis_prefix"].default
    database_url: str = _STORES["database_url"].default
    conversation_ttl: int = _STORES["conversation_ttl"].default
    state_dir: Path = _STATE["state_dir"].default
    extra_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> StackConfig:
        gateway, stack, stores = GatewaySettings(), StackSettings(), StoreSettings()
        return cls(
            gateway_host=gateway.host,
            gateway_port=gateway.port,
            rasa_port=stack.rasa_port,
            action_port=stack.action_server_port,
            redis_url=stores.redis_url,
            redis_prefix=stores.redis_prefix,
            database_url=stores.database_url,
            conversation_ttl=stores.conversation_ttl,
            state_dir=StateSettings().state_dir,
        )

    @property
    def gateway_url(self) -> str:
        return f"http://{self.gateway_host}:{self.gateway_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    def environment(self) -> dict[str, str]:
        redis = urllib.parse.urlsplit(self.redis_url)
        return {
            "GATEWAY_HOST": self.gateway_host,
            "GATEWAY_PORT": str(self.gateway_port),
            "RASA_URL": f"http://127.0.0.1:{self.rasa_port}",
            "ACTION_SERVER_URL": self.action_url,
            "REDIS_URL": self.redis_url,
            "REDIS_KEY_PREFIX": self.redis_prefix,
            "DATABASE_URL": self.database_url,
            # bot/endpoints.yml reads these (Rasa wants host, port and db apart)
            "RASA_REDIS_HOST": redis.hostname or "127.0.0.1",
            "RASA_REDIS_PORT": str(redis.port or 6379),
            "RASA_REDIS_DB": (redis.path or "/0").lstrip("/") or "0",
            "RASA_REDIS_PREFIX": self.redis_prefix,
            "CONVERSATION_TTL_SECONDS": str(self.conversation_ttl),
            "JOSO_STATE_DIR": str(self.state_dir),
        } | self.extra_env


def engine_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return (
        os.environ
        | {
            "PYTHONPATH": str(ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "TQDM_DISABLE": "1",
            # Rasa 3.6's dependencies warn about their own deprecations at every start; they are not ours to fix.
            "PYTHONWARNINGS": "ignore::DeprecationWarning,ignore::PendingDeprecationWarning",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "RASA_CACHE_DIRECTORY": str(cache_dir() / "rasa-train-cache"),
        }
        | (extra or {})
    )


def app_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return (
        os.environ
        | {
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            # rasa-sdk 3.21 serving Rasa 3.6 is deliberate (DESIGN.md): no need to warn at every start
            "PYTHONWARNINGS": "ignore:Your versions of rasa and rasa_sdk:UserWarning",
        }
        | (extra or {})
    )


@dataclass(frozen=True)
class Component:
    name: str
    argv: list[str]
    env: dict[str, str]


def components(config: StackConfig, model: Path) -> list[Component]:
    env = config.environment()
    return [
        Component(
            "actions",
            [str(APP_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "-p", str(config.action_port)],
            # FAQ_PRELOAD: load the FAQ index at start, not on the first question
            app_env(env | {"SANIC_HOST": "127.0.0.1", "FAQ_PRELOAD": "1"}),
        ),
        Component(
            "rasa",
            [
                # `rasa run`, with Rasa's time limit on action calls set (bot/engine_main.py)
                str(ENGINE_BIN / "python"),
                "-m",
                "bot.engine_main",
                "run",
                "--model",
                str(model),
                "--endpoints",
                "bot/endpoints.yml",
                "--credentials",
                "bot/credentials.yml",
                "-i",
                "127.0.0.1",
                "-p",
                str(config.rasa_port),
            ],
            engine_env(env | {"ACTION_TIMEOUT": str(StackSettings().action_timeout)}),
        ),
        Component("gateway", [str(APP_BIN / "python"), "-m", "connectors"], app_env(env)),
    ]


# Loaded in the supervisor: a restart forks while the log threads run, and the child must then only make
# system calls, not load a library (which takes locks another thread may hold).
_LIBC = ctypes.CDLL("libc.so.6", use_errno=True)


def _die_with_parent() -> None:
    """Runs in the child before exec: a session of its own, and SIGTERM when the supervisor dies."""
    os.setsid()
    _LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class LogSink:
    """One place for the three logs: each line names its component; also appended to a file."""

    def __init__(self, out: TextIO, path: Path | None) -> None:
        self._out = out
        self._lock = threading.Lock()
        self._file = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(path, "a", encoding="utf-8")  # noqa: SIM115 (closed in close())

    def write(self, component: str, line: str) -> None:
        stamped = f"{time.strftime('%H:%M:%S')} [{component:<7}] {line.rstrip()}\n"
        with self._lock:
            self._out.write(stamped)
            self._out.flush()
            if self._file:
                self._file.write(stamped)
                self._file.flush()

    def close(self) -> None:
        if self._file:
            self._file.close()


@dataclass
class Restarts:
    """Backoff of one component's restarts: 1 s, 2 s, 4 s ... up to `cap`, back to 1 s once it stayed up `stable`."""

    first: float = 1.0
    cap: float = 30.0
    stable: float = 60.0
    delay: float = 1.0
    started_at: float = 0.0
    due_at: float | None = None  # when the pending restart happens

    def exited(self, now: float) -> float:
        """Schedule a restart after an exit at `now`; returns the pause."""
        if now - self.started_at >= self.stable:
            self.delay = self.first
        pause = self.delay
        self.delay = min(self.cap, self.delay * 2)
        self.due_at = now + pause
        return pause


class Stack:
    """The three processes, started together and stopped together; `supervise` restarts one that dies."""

    def __init__(self, config: StackConfig, model: Path, sink: LogSink, only: Iterable[str] | None = None) -> None:
        self.config = config
        self._components = [c for c in components(config, model) if only is None or c.name in only]
        self._sink = sink
        self._processes: dict[str, subprocess.Popen[str]] = {}
        self._pumps: list[threading.Thread] = []
        self._restarts = {component.name: Restarts() for component in self._components}
        self._stopping = False

    def start(self) -> None:
        from knowledge_base.storage import ensure_database

        ensure_database(self.config.database_url)
        # Start every process before any log thread: preexec functions and threads do not mix.
        for component in self._components:
            self._spawn(component)
        for name, process in self._processes.items():
            self._start_pump(name, process)

    def _spawn(self, component: Component) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            component.argv,
            cwd=ROOT,
            env=component.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            preexec_fn=_die_with_parent,
        )
        self._processes[component.name] = process
        self._restarts[component.name].started_at = time.monotonic()
        return process

    def _start_pump(self, name: str, process: subprocess.Popen[str]) -> None:
        pump = threading.Thread(target=self._pump, args=(name, process), daemon=True)
        pump.start()
        self._pumps.append(pump)

    def supervise(self) -> None:
        """Restart every component that exited, each after its backoff; call it every half second or so."""
        now = time.monotonic()
        for component in self._components:
            if self._stopping:
                return
            process = self._processes[component.name]
            restarts = self._restarts[component.name]
            if restarts.due_at is None:
                code = process.poll()
                if code is None:
                    continue
                # what the dead process left behind (e.g. the action server's sanic workers) holds its port
                _signal_group(process, signal.SIGKILL)
                pause = restarts.exited(now)
                self._sink.write("stack", f"{component.name} exited with code {code}; restarting in {pause:.0f} s")
            elif now >= restarts.due_at:
                restarts.due_at = None
                self._start_pump(component.name, self._spawn(component))
                self._sink.write("stack", f"{component.name} restarted")
                if component.name == "rasa":
                    threading.Thread(target=self._warm_up_when_listening, daemon=True).start()

    def _warm_up_when_listening(self, timeout: float = 600) -> None:
        """After a restart of Rasa: warm it up as soon as it answers, before residents' messages pay for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self._stopping:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.config.rasa_port}/", timeout=3):
                    pass
            except (urllib.error.URLError, OSError):
                time.sleep(1)
                continue
            self.warm_up()
            self._sink.write("stack", "rasa warmed up")
            return

    def _pump(self, name: str, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self._sink.write(name, line)

    def exited(self) -> dict[str, int]:
        return {name: code for name, p in self._processes.items() if (code := p.poll()) is not None}

    def healthy(self) -> bool:
        # The gateway's health covers all three; without a gateway (make shell), the action server's own.
        names = {c.name for c in self._components}
        url = f"{self.config.gateway_url}/healthz" if "gateway" in names else f"{self.config.action_url}/health"
        try:
            with urllib.request.urlopen(url, timeout=3) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def warm_up(self) -> None:
        """One message straight to Rasa: its first turn loads what prediction needs and takes seconds, longer
        than the gateway waits (RASA_TIMEOUT); no resident should be the one who pays for it."""
        url = f"http://127.0.0.1:{self.config.rasa_port}/webhooks/rest/webhook"
        body = json.dumps({"sender": "stack-warm-up", "message": "こんにちは"}).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
        except (urllib.error.URLError, OSError) as exc:
            self._sink.write("stack", f"warm-up message to Rasa failed: {exc}")

    def wait_healthy(self, timeout: float, interrupted: threading.Event | None = None) -> bool:
        interrupted = interrupted or threading.Event()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not interrupted.is_set():
            if self.exited():
                return False
            if self.healthy():
                self.warm_up()
                return True
            interrupted.wait(0.5)
        return False

    def stop(self, grace: float = 20.0) -> None:
        """Gateway first (no new work), then Rasa, then the action server; SIGKILL what outlives the grace."""
        self._stopping = True
        for name in ("gateway", "rasa", "actions"):
            process = self._processes.get(name)
            if process is not None and process.poll() is None:
                # Only the component's main process: it shuts its own workers down in order.
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for name, process in self._processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._sink.write("stack", f"{name} did not stop in {grace:.0f} s; killing it")
                _signal_group(process, signal.SIGKILL)
                process.wait()
            # Stray children of a component (e.g. sanic workers) go with their session.
            _signal_group(process, signal.SIGKILL)
        for pump in self._pumps:
            pump.join(timeout=2)


def _signal_group(process: subprocess.Popen[str], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def run() -> int:
    config = StackConfig.from_env()
    model = train_model()
    build_faq_index()
    sink = LogSink(sys.stdout, StackSettings().log_file or config.state_dir / "log" / "joso.log")
    stack = Stack(config, model, sink)
    stop_requested = threading.Event()
    received: list[str] = []

    def on_signal(signum: int, _frame: object) -> None:
        received.append(signal.Signals(signum).name)
        stop_requested.set()

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    stack.start()
    sink.write("stack", "starting Rasa, the action server and the gateway...")
    ready = False
    start_deadline = time.monotonic() + StackSettings().start_timeout
    # A part that dies is restarted (with backoff) until a signal asks everything to stop.
    while not stop_requested.wait(0.5):
        stack.supervise()
        if not ready and time.monotonic() < start_deadline and not stack.exited() and stack.healthy():
            stack.warm_up()
            ready = True
            sink.write("stack", f"ready: chat page {config.gateway_url}/  (health: {config.gateway_url}/healthz)")
            sink.write("stack", "press Ctrl-C to stop")
    sink.write("stack", f"{received[0]} received: stopping...")
    stack.stop()
    sink.write("stack", "stopped")
    sink.close()
    return 0


def shell_command(config: StackConfig, model: Path) -> list[str]:
    """`rasa shell` on the model, with the same endpoints (action server, Redis) as `make run`."""
    return [
        str(ENGINE_BIN / "rasa"),
        "shell",
        "--model",
        str(model),
        "--endpoints",
        "bot/endpoints.yml",
        "-i",
        "127.0.0.1",
        "-p",
        str(config.rasa_port),
    ]


def shell() -> int:
    """Talk to the trained bot in the terminal (make shell): the action server runs behind, logging to a file."""
    config = StackConfig.from_env()
    model = train_model()
    build_faq_index()
    log = StackSettings().log_file or config.state_dir / "log" / "joso.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a", encoding="utf-8") as quiet:
        sink = LogSink(quiet, None)  # the terminal is the conversation's
        stack = Stack(config, model, sink, only=("actions",))
        stack.start()
        try:
            _log(f"starting the action server (its log: {log})...")
            if not stack.wait_healthy(StackSettings().start_timeout):
                _log(f"the action server did not start; see {log}")
                return 1
            _log("type a message; /stop ends the conversation")
            shell_env = engine_env(config.environment())
            return subprocess.run(shell_command(config, model), cwd=ROOT, env=shell_env).returncode
        except KeyboardInterrupt:
            return 0
        finally:
            stack.stop()


def main(argv: list[str]) -> int:
    exit_on_invalid(*GROUPS)  # before training or starting anything: one message naming each bad variable
    command = argv[1] if len(argv) > 1 else "run"
    if command == "prepare":
        train_model()
        build_faq_index()
        return 0
    if command == "run":
        return run()
    if command == "shell":
        return shell()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
