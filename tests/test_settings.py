"""The typed settings (settings/): every variable named in its error, processes that stop with that message
and no traceback, and the README's configuration tables in agreement with the module."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from connectors.settings import Settings
from knowledge_base.storage import DEFAULT_DATABASE_URL
from scripts.stack import APP_BIN, ROOT, app_env
from settings import GROUPS, GatewaySettings, SettingsError, StoreSettings, check
from tests.support import free_port

# Read by the shell scripts only (the Makefile and scripts/ensure_venv.sh), before any Python environment exists.
SHELL_ONLY = {"PYTHON": "scripts/ensure_venv.sh"}


def test_a_bad_port_is_named_with_its_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_PORT", "eighty")
    with pytest.raises(SettingsError, match=r"^GATEWAY_PORT='eighty': Input should be a valid integer"):
        Settings()
    monkeypatch.setenv("GATEWAY_PORT", "70000")
    with pytest.raises(SettingsError, match=r"GATEWAY_PORT='70000': .*65535"):
        GatewaySettings()


def test_every_problem_is_listed_at_once_and_secrets_are_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_TIMEOUT", "-1")
    monkeypatch.setenv("REDIS_KEY_PREFIX", "joso:prod")
    monkeypatch.setenv("LINE_FOLLOWER_KEY", "")  # empty is unset, never an error
    with pytest.raises(SettingsError) as raised:
        check(*GROUPS)
    assert [line.split("=")[0] for line in str(raised.value).splitlines()] == ["RASA_TIMEOUT", "REDIS_KEY_PREFIX"]
    monkeypatch.delenv("RASA_TIMEOUT")
    monkeypatch.delenv("REDIS_KEY_PREFIX")
    monkeypatch.setenv("LINE_SEND_ATTEMPTS", "0")
    monkeypatch.setenv("ADMIN_TOKEN", "x" * 30)
    check(*GROUPS[:1])  # the token is a plain string; its length is the admin API's concern
    with pytest.raises(SettingsError, match="LINE_SEND_ATTEMPTS='0'"):
        check(*GROUPS)


def test_fields_can_be_given_by_name_and_urls_lose_their_trailing_slash() -> None:
    settings = Settings(rasa_url="http://127.0.0.1:9/", state_dir=Path("/tmp/x"))
    assert settings.rasa_url == "http://127.0.0.1:9" and settings.state_dir == Path("/tmp/x")


def test_the_data_layer_and_the_settings_agree_on_the_database() -> None:
    # knowledge_base/storage.py (the data layer's own issue) still reads DATABASE_URL itself.
    assert StoreSettings.model_fields["database_url"].default == DEFAULT_DATABASE_URL


@pytest.mark.parametrize(
    "argv",
    [
        [str(APP_BIN / "python"), "-m", "connectors"],
        [str(APP_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "-p", "0"],
        [str(APP_BIN / "python"), "-m", "scripts.stack", "run"],
        [str(APP_BIN / "python"), "-m", "knowledge_base.disaster", "status"],
        [str(APP_BIN / "python"), "-m", "knowledge_base.shelters", "status", "list"],
    ],
    ids=["gateway", "actions", "stack", "disaster-command", "shelter-command"],
)
def test_every_process_stops_with_the_variable_named_and_no_traceback(argv: list[str]) -> None:
    env = app_env({"GATEWAY_PORT": "eighty", "SANIC_HOST": "127.0.0.1"})
    if "rasa_sdk" in argv:
        argv[-1] = str(free_port())
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "GATEWAY_PORT='eighty': Input should be a valid integer" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


# --- the README's tables ---------------------------------------------------------------------------------------

_ROW = re.compile(r"^\|\s*(`[A-Z][A-Z0-9_]*`(?:,\s*`[A-Z][A-Z0-9_]*`)*)\s*\|\s*(.*?)\s*\|\s*(.*?)\s*\|\s*$")


def readme_variables() -> dict[str, str]:
    """Variable -> its default as the README writes it, from every `| variable | default | meaning |` table."""
    documented: dict[str, str] = {}
    in_table = False
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| variable | default | meaning |"):
            in_table = True
            continue
        if not line.startswith("|"):
            in_table = False
        match = _ROW.match(line) if in_table else None
        if not match:
            continue
        names = re.findall(r"`([A-Z0-9_]+)`", match.group(1))
        cell = match.group(2)
        literals = re.findall(r"`([^`]*)`", cell) if cell.startswith("`") else []
        defaults = literals if len(literals) == len(names) else [cell] * len(names)
        for name, default in zip(names, defaults, strict=True):
            assert name not in documented, f"{name} is documented twice"
            documented[name] = default
    return documented


def documented_default(value: Any) -> str | None:
    """A settings default as the README writes it; None when it is not a literal (unset, generated, empty)."""
    if value is None or value is False or value == frozenset():
        return None
    if isinstance(value, str) and Path(value).is_absolute():  # a model: a directory or a name
        value = Path(value)
    if isinstance(value, Path):
        if value.is_relative_to(ROOT):
            return value.relative_to(ROOT).as_posix()
        return "~/" + value.relative_to(Path.home()).as_posix()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def module_variables() -> dict[str, Any]:
    return {
        variable: group.model_fields[name].default for group in GROUPS for variable, name in group.variables().items()
    }


def test_every_variable_is_documented_and_every_documented_variable_exists() -> None:
    documented, declared = readme_variables(), module_variables()
    assert sorted(set(declared) - set(documented)) == [], "add these to a README configuration table"
    assert sorted(set(documented) - set(declared) - set(SHELL_ONLY)) == [], "the README names unknown variables"
    for variable, script in SHELL_ONLY.items():
        assert variable in (ROOT / script).read_text(encoding="utf-8")


def test_the_readme_defaults_are_the_settings_defaults() -> None:
    documented = readme_variables()
    for variable, default in module_variables().items():
        expected = documented_default(default)
        written = documented[variable]
        if expected is None:
            assert not written.startswith("`"), f"{variable}: the README gives a default, the settings have none"
        else:
            assert written.rstrip("/") == expected.rstrip("/"), f"{variable}: README {written!r}, settings {expected!r}"


def test_no_module_reads_the_environment_besides_the_settings_and_the_data_layer() -> None:
    # bot/engine_main.py runs in the engine venv (pydantic 1, no settings/): the stack checks ACTION_TIMEOUT with
    # StackSettings and passes it on.
    allowed = {"settings", "knowledge_base/storage.py", "bot/engine_main.py", "tests", ".venv"}
    reads = re.compile(r"os\.environ\.get|os\.getenv|os\.environ\[")
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if any(relative == a or relative.startswith(a + "/") for a in allowed):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            # Sanic's own marker of its worker process is not a setting.
            if reads.search(line) and "SANIC_WORKER_NAME" not in line:
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
