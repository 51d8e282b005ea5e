"""What every settings group shares: read from the environment once per construction, errors that name the
variable, secrets never echoed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """One or more environment variables are invalid; the message names each, one per line."""


def secret(default: Any = None, *, alias: str, description: str) -> Any:
    """A field whose value stays out of reprs and error messages (keys, tokens)."""
    return Field(default, validation_alias=alias, description=description, repr=False)


def env(default: Any = None, *, alias: str, description: str, **constraints: Any) -> Any:
    """A field read from the environment variable `alias` (the exact name a deployment sets)."""
    return Field(default, validation_alias=alias, description=description, **constraints)


class Group(BaseSettings):
    """A group of related environment variables; constructing one reads them from the environment."""

    # Exact names; an empty variable counts as unset (as `VAR= make run` always did); fields may also be
    # given by name (tests, and composites such as the gateway's Settings).
    model_config = SettingsConfigDict(
        case_sensitive=True, env_ignore_empty=True, validate_by_name=True, extra="ignore", frozen=True
    )

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise SettingsError(_describe(type(self), exc)) from None

    @classmethod
    def variables(cls) -> dict[str, str]:
        """Environment variable -> field name."""
        return {str(f.validation_alias): name for name, f in cls.model_fields.items() if f.validation_alias}


def _describe(group: type[Group], exc: ValidationError) -> str:
    by_name = {name: f for name, f in group.model_fields.items()}
    lines = []
    for error in exc.errors(include_url=False):
        key = str(error["loc"][0]) if error["loc"] else "?"
        field = by_name.get(key) or next((f for f in by_name.values() if f.validation_alias == key), None)
        variable = str(field.validation_alias) if field and field.validation_alias else key
        shown = "" if field is not None and field.repr is False else f"={error.get('input')!r}"
        lines.append(f"{variable}{shown}: {error['msg']}")
    return "\n".join(lines)


def check(*groups: type[Group]) -> None:
    """Read every group; one SettingsError listing every invalid variable of all of them."""
    problems = []
    for group in groups:
        try:
            group()
        except SettingsError as exc:
            problems.append(str(exc))
    if problems:
        raise SettingsError("\n".join(problems))


def exit_on_invalid(*groups: type[Group]) -> None:
    """At a process's start: on invalid settings, say which and exit 2 (no traceback: nothing crashed)."""
    try:
        check(*groups)
    except SettingsError as exc:
        fail(exc)


def fail(exc: SettingsError) -> NoReturn:
    print(f"configuration error (environment variables):\n{_indent(str(exc))}", file=sys.stderr)
    raise SystemExit(2)


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())
