"""Running Rasa's own evaluations (`rasa test nlu`, `rasa test core`) in the engine venv and reading their reports.

Used by the slow NLU/story tests and by benchmarks/nlu_features.py.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from scripts.stack import ENGINE_BIN, ROOT, engine_env

# Keys of intent_report.json that are averages, not intents.
_SUMMARY_KEYS = {"accuracy", "macro avg", "micro avg", "weighted avg"}


@dataclass(frozen=True)
class IntentScore:
    intent: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class NluReport:
    intents: dict[str, IntentScore]
    macro_f1: float
    accuracy: float
    errors: list[dict]

    def table(self) -> str:
        lines = [f"{'intent':<16} {'precision':>9} {'recall':>7} {'F1':>6} {'n':>4}"]
        for score in sorted(self.intents.values(), key=lambda s: s.intent):
            lines.append(
                f"{score.intent:<16} {score.precision:>9.3f} {score.recall:>7.3f} {score.f1:>6.3f} {score.support:>4}"
            )
        lines.append(f"{'macro-F1':<16} {'':>9} {'':>7} {self.macro_f1:>6.3f}")
        lines.append(f"{'accuracy':<16} {'':>9} {'':>7} {self.accuracy:>6.3f}")
        return "\n".join(lines)

    def error_lines(self) -> list[str]:
        lines = []
        for error in self.errors:
            predicted = error["intent_prediction"]
            lines.append(f"{error['intent']} -> {predicted['name']} ({predicted['confidence']:.2f}): {error['text']}")
        return lines


def _run_rasa(args: list[str], timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(ENGINE_BIN / "rasa"), *args],
        cwd=ROOT,
        env=engine_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"rasa {args[0]} {args[1]} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return result


def read_nlu_report(out_dir: Path) -> NluReport:
    report = json.loads((out_dir / "intent_report.json").read_text(encoding="utf-8"))
    errors_file = out_dir / "intent_errors.json"
    errors = json.loads(errors_file.read_text(encoding="utf-8")) if errors_file.exists() else []
    intents = {
        name: IntentScore(name, v["precision"], v["recall"], v["f1-score"], int(v["support"]))
        for name, v in report.items()
        if name not in _SUMMARY_KEYS and isinstance(v, dict)
    }
    return NluReport(intents, report["macro avg"]["f1-score"], float(report.get("accuracy", 0.0)), errors)


def evaluate_nlu(model: Path, test_data: Path, out_dir: Path, timeout: float = 900) -> NluReport:
    """`rasa test nlu` of `model` on `test_data` (a Rasa NLU YAML file); the per-intent report."""
    _run_rasa(
        ["test", "nlu", "--model", str(model), "--nlu", str(test_data), "--out", str(out_dir), "--no-plot"],
        timeout,
    )
    return read_nlu_report(out_dir)


def evaluate_stories(model: Path, stories: Path, out_dir: Path, timeout: float = 900) -> list[str]:
    """`rasa test core` of `model` on the test stories in `stories`; the names of the stories that failed."""
    _run_rasa(
        ["test", "core", "--model", str(model), "--stories", str(stories), "--out", str(out_dir), "--no-plot"],
        timeout,
    )
    failed_file = out_dir / "failed_test_stories.yml"
    if not failed_file.exists():
        raise RuntimeError(f"rasa test core wrote no {failed_file.name} in {out_dir}")
    return [
        line.split(":", 1)[1].strip()
        for line in failed_file.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("- story:")
    ]


def train_nlu(config: Path, out_dir: Path, name: str, timeout: float = 1800) -> Path:
    """An NLU-only model trained from `config` and data/nlu, from scratch: Rasa's component cache is off, so the
    time is a real training time (for comparisons; the bot's model comes from scripts.stack.train_model)."""
    _run_rasa(
        [
            "train",
            "nlu",
            "--config",
            str(config),
            "--nlu",
            "data/nlu",
            "--domain",
            "bot/domain",
            "--out",
            str(out_dir),
            "--fixed-model-name",
            name,
        ],
        timeout,
        env={"RASA_MAX_CACHE_SIZE": "0"},
    )
    return out_dir / f"{name}.tar.gz"
