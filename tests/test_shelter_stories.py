"""Rasa's own test of the evacuation conversations (tests/stories/shelter*.yml) on the trained model."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from scripts.stack import ENGINE_BIN, ROOT, engine_env, train_model

pytestmark = pytest.mark.slow


def test_shelter_test_stories_pass_on_the_trained_model(tmp_path: Path) -> None:
    stories = sorted((ROOT / "tests" / "stories").glob("shelter*.yml"))
    assert stories
    out = tmp_path / "results"
    for story_file in stories:
        done = subprocess.run(
            [
                str(ENGINE_BIN / "rasa"),
                "test",
                "core",
                "--model",
                str(train_model()),
                "--stories",
                str(story_file),
                "--out",
                str(out),
                "--no-plot",
                "--fail-on-prediction-errors",
            ],
            cwd=ROOT,
            env=engine_env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert "None of the test stories failed" in (out / "failed_test_stories.yml").read_text()
        report = json.loads((out / "story_report.json").read_text())
        assert report["action_find_shelter"]["support"] > 0 and report["action_find_shelter"]["f1-score"] == 1.0
