"""Rasa's own evaluation of the trained model, in one `rasa test` run (one model load):
- NLU on the held-out set (tests/nlu/heldout.yml): per-intent precision/recall/F1 printed, macro-F1 >= 0.90,
  and every held-out emergency recognized (recall 1.0: a safety property);
- the test stories in tests/stories/ (every conversation flow): none may fail.

    .venv/app/bin/python -m pytest -m slow tests/stories/test_rasa_evaluation.py -s
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.stack import ENGINE_BIN, ROOT, engine_env, train_model
from tests.nlu.nlu_data import HELDOUT
from tests.nlu.rasa_eval import NluReport, read_nlu_report

pytestmark = pytest.mark.slow

STORIES = ROOT / "tests" / "stories"
MACRO_F1_TARGET = 0.90


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("rasa-test")
    command = [
        str(ENGINE_BIN / "rasa"),
        "test",
        "--model",
        str(train_model()),
        "--stories",
        str(STORIES),
        "--nlu",
        str(HELDOUT),
        "--out",
        str(out),
        "--no-plot",
    ]
    completed = subprocess.run(command, cwd=ROOT, env=engine_env(), capture_output=True, text=True, timeout=900)
    assert completed.returncode == 0, completed.stderr[-4000:]
    yield out


@pytest.fixture(scope="module")
def nlu_report(results: Path) -> NluReport:
    report = read_nlu_report(results)
    print(f"\nNLU on {HELDOUT.relative_to(ROOT)}:\n{report.table()}")
    if report.errors:
        print("misclassified:\n  " + "\n  ".join(report.error_lines()))
    return report


def test_heldout_macro_f1_reaches_the_target(nlu_report: NluReport) -> None:
    assert nlu_report.macro_f1 >= MACRO_F1_TARGET


def test_every_heldout_emergency_is_recognized(nlu_report: NluReport) -> None:
    assert nlu_report.intents["emergency"].recall == 1.0


def test_no_test_story_fails(results: Path) -> None:
    failed_file = results / "failed_test_stories.yml"
    assert failed_file.exists(), f"rasa test wrote no {failed_file.name}"
    failed = failed_file.read_text(encoding="utf-8")
    stories = [line for line in failed.splitlines() if line.strip().startswith("- story:")]
    assert stories == [], failed


def test_questions_about_evacuating_are_rarely_taken_for_a_shelter_search(nlu_report: NluReport) -> None:
    # "車の中で避難してもいいですか" asks about evacuating: the FAQ answers it, the location request would not. Of the
    # held-out boundary questions, 2 of 11 still became a shelter search on 2026-12-04 (both about a shelter's
    # facilities, near 0.5 confidence): the bound keeps it from getting worse.
    stolen = [
        e["text"]
        for e in nlu_report.errors
        if e.get("intent") == "ask_question" and (e.get("intent_prediction") or {}).get("name") == "find_shelter"
    ]
    assert "車の中で避難してもいいですか" not in stolen
    assert len(stolen) <= 2, stolen
