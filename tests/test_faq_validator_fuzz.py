"""Property: whatever staff save (a mistyped date, a lost indent, a stray bracket), the validator answers
with file:line problems, never a traceback, and the running bot keeps serving the last good index."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge_base.catalog.validator import validate_directory
from knowledge_base.retrieval.service import FaqService
from tests.faq_support import FIXTURE_FAQ

FIXTURE_FILES = sorted(p.name for p in FIXTURE_FAQ.glob("*.yml"))

# Values staff plausibly type, and values that broke YAML libraries before.
BAD_VALUES = [
    "2026-13-01",
    "2026-11-31",
    "2026-02-29",
    "2026-00-10",
    "2026-11-31 10:00:00",
    "2026-1-1",
    "99999-01-01",
    "!!int abc",
    "!!float x",
    "!!timestamp 2026-99-99",
    "!!binary ???",
    "!!python/object:os.system",
    "&a x",
    "*missing",
    "[unclosed",
    "{a: 1",
    "'quote",
    '"quote',
    "- item",
    "a: b: c",
    "~",
    "null",
    "true",
    "0x1F",
    "1e999",
    "",
    "|",
    ">-",
    "「全角」：値",
    "\t",
    "%",
    "@",
    "`",
    "? complex",
    "[1, [2, {3: 4}]]",
    "{url: x, checked: 2026-13-01}",
]


def dates() -> st.SearchStrategy[str]:
    """Date-shaped text, possible or not: month 0-13, day 0-32."""
    return st.builds("{:04d}-{:02d}-{:02d}".format, st.integers(1, 9999), st.integers(0, 13), st.integers(0, 32))


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    """(file name, text): a fixture FAQ file with a few lines changed, dropped, doubled or re-indented."""
    name = draw(st.sampled_from(FIXTURE_FILES))
    lines = (FIXTURE_FAQ / name).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        kind = draw(st.sampled_from(["date", "value", "drop", "double", "indent", "dedent", "key", "sources"]))
        value = draw(st.sampled_from(BAD_VALUES) | st.text(max_size=12) | dates())
        dated = [n for n, text in enumerate(lines) if text.lstrip().startswith(("updated:", "review_by:"))]
        if kind == "date" and dated:  # the fields staff type dates into, with any month and day
            n = draw(st.sampled_from(dated))
            lines[n] = lines[n].split(":", 1)[0] + ": " + draw(dates())
        elif kind == "value" and ":" in line:
            lines[i] = line.split(":", 1)[0] + ": " + value
        elif kind == "drop":
            del lines[i]
        elif kind == "double":
            lines.insert(i, line)
        elif kind == "indent":
            lines[i] = "  " + line
        elif kind == "dedent":
            lines[i] = line[2:] if line.startswith("  ") else line
        elif kind == "key":
            indent = line[: len(line) - len(line.lstrip())]
            key = draw(st.sampled_from(["updated", "review_by", "sources", "url", "id", "translations", "x"]))
            lines.insert(i, f"{indent}{key}: {value}")
        else:  # a sources list with one changed value, where an entry may take it
            indent = line[: len(line) - len(line.lstrip())]
            field = draw(st.sampled_from(["url", "confirms", "checked"]))
            item = {"url": "https://www.city.joso.lg.jp/a.html", "confirms": "担当課", "checked": "2026-12-01"}
            item[field] = value
            lines[i + 1 : i + 1] = [f"{indent}sources:"] + [
                f"{indent}  {'- ' if k == 'url' else '  '}{k}: {v}" for k, v in item.items()
            ]
    return name, "\n".join(lines) + "\n"


def check_problems_point_at_lines(directory: Path) -> None:
    result = validate_directory(directory, today=dt.date(2026, 12, 4))  # must not raise
    sizes = {str(p): len(p.read_text(encoding="utf-8").splitlines()) for p in directory.glob("*.yml")}
    for problem in result.problems:
        assert problem.file in sizes, problem
        assert 1 <= problem.line <= max(sizes[problem.file], 1), problem
        assert problem.severity in ("error", "warning", "review") and problem.message.strip()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=mutated())
def test_a_mutated_faq_file_gets_file_line_problems_never_a_traceback(tmp_path: Path, change: tuple[str, str]) -> None:
    directory = tmp_path / "faq"
    shutil.rmtree(directory, ignore_errors=True)
    shutil.copytree(FIXTURE_FAQ, directory)
    name, text = change
    (directory / name).write_text(text, encoding="utf-8")
    check_problems_point_at_lines(directory)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8")))
def test_any_bytes_get_problems_never_a_traceback(tmp_path: Path, data: bytes) -> None:
    directory = tmp_path / "faq"
    directory.mkdir(exist_ok=True)
    (directory / "any.yml").write_bytes(data)
    result = validate_directory(directory)
    assert all(p.line >= 1 for p in result.problems)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple[FaqService, Path]:
    """A service answering from the fixture FAQ (its own cache), as the action server runs it."""
    root = tmp_path_factory.mktemp("served")
    patch = pytest.MonkeyPatch()
    patch.setenv("JOSO_CACHE_DIR", str(root / "cache"))
    directory = root / "faq"
    shutil.copytree(FIXTURE_FAQ, directory)
    service = FaqService(directory, poll_interval=0)
    assert service.refresh() is True
    yield service, directory
    patch.undo()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=mutated())
def test_the_running_bot_keeps_the_last_good_index_when_a_saved_file_has_errors(
    served: tuple[FaqService, Path], change: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    service, directory = served
    good = service.current()
    name, text = change
    original = (directory / name).read_text(encoding="utf-8")
    (directory / name).write_text(text, encoding="utf-8")
    try:
        errors = validate_directory(directory).errors
        with caplog.at_level(logging.ERROR, logger="knowledge_base.retrieval.service"):
            swapped = service.refresh()  # must not raise
        if errors:
            assert swapped is False and service.current() is good
            assert f"{errors[0].file}:{errors[0].line}:" in caplog.text
        else:
            assert service.current() is not None
    finally:
        (directory / name).write_text(original, encoding="utf-8")
        service.refresh()
        caplog.clear()


def test_an_impossible_date_saved_while_serving_keeps_the_last_good_index(
    served: tuple[FaqService, Path], caplog: pytest.LogCaptureFixture
) -> None:
    service, directory = served
    good = service.current()
    path = directory / "shimin.yml"
    original = path.read_text(encoding="utf-8")
    assert "updated: 2026-11-01" in original
    path.write_text(original.replace("updated: 2026-11-01", "updated: 2026-11-31", 1), encoding="utf-8")
    try:
        with caplog.at_level(logging.ERROR, logger="knowledge_base.retrieval.service"):
            assert service.refresh() is False
        assert service.current() is good
        assert "2026-11-31 という日はありません" in caplog.text and f"{path}:" in caplog.text
    finally:
        path.write_text(original, encoding="utf-8")
        service.refresh()
