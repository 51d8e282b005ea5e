"""The custom Rasa components (emergency detector, sentence-encoder features), run in the engine venv."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from scripts.stack import ENGINE_BIN, ROOT, engine_env

# One engine process runs both components (importing Rasa is the slow part).
SCRIPT = """
import json, sys
from unittest.mock import MagicMock
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from bot.components.emergency_classifier import EmergencyDetector
from bot.components.sentence_encoder_featurizer import SentenceEncoderFeaturizer
given = json.loads(sys.stdin.read())

# Without a reference bank (no trained model): keywords only, any emergency word is sure.
classifier = EmergencyDetector(EmergencyDetector.get_default_config())
emergency = []
for case in given["emergency"]:
    message = Message(data={"text": case["text"], "intent": case["intent"], "intent_ranking": case["ranking"]})
    classifier.process([message])
    emergency.append({"intent": message.get("intent"), "ranking": message.get("intent_ranking"),
                      "words": message.get("emergency_words"), "output": sorted(message.output_properties),
                      "verdict": message.get("emergency")})

featurizer = SentenceEncoderFeaturizer(SentenceEncoderFeaturizer.get_default_config(), MagicMock(node_name="usem3"))
messages = [Message(data={"text": t}) for t in given["texts"]] + [Message(data={"intent": "greet"})]
featurizer.process_training_data(TrainingData(training_examples=messages))
features = []
for m in messages:
    seq, sent = m.get_dense_features("text")
    features.append(None if sent is None else {"shape": list(sent.features.shape), "seq": seq is not None,
                                               "vector": sent.features[0].tolist()})
print(json.dumps({"emergency": emergency, "features": features}, ensure_ascii=False))
"""


def run_in_engine(script: str, payload: Any) -> Any:
    result = subprocess.run(
        [str(ENGINE_BIN / "python"), "-c", script],
        input=json.dumps(payload, ensure_ascii=False),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=engine_env(),
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _ranking(*pairs: tuple[str, float]) -> list[dict[str, Any]]:
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


EMERGENCY_CASES = [
    # DIET thought it was a shelter search: the emergency wins, the shelter search stays second.
    {
        "text": "家に水が入ってきた、避難所はどこ",
        "intent": {"name": "find_shelter", "confidence": 0.7},
        "ranking": _ranking(("find_shelter", 0.7), ("emergency", 0.2), ("ask_question", 0.1)),
    },
    # Below the fallback threshold: nlu_fallback is replaced, never kept in the ranking.
    {
        "text": "Socorro!",
        "intent": {"name": "nlu_fallback", "confidence": 0.4},
        "ranking": _ranking(("nlu_fallback", 0.4), ("greet", 0.3), ("emergency", 0.25)),
    },
    # No emergency word: untouched.
    {
        "text": "住民票がほしい",
        "intent": {"name": "ask_question", "confidence": 0.9},
        "ranking": _ranking(("ask_question", 0.9), ("find_shelter", 0.1)),
    },
    # DIET saw only the emergency; the words name the shelter search, which goes right below it.
    {
        "text": "Help! Where is the nearest shelter?",
        "intent": {"name": "emergency", "confidence": 0.99},
        "ranking": _ranking(("emergency", 0.99), ("greet", 0.004), ("find_shelter", 0.003)),
    },
    # A button payload is never reinterpreted.
    {
        "text": '/feedback_bad{"faq_id": "fire-insurance"}',
        "intent": {"name": "feedback_bad", "confidence": 1.0},
        "ranking": _ranking(("feedback_bad", 1.0)),
    },
]
ENCODED_TEXTS = ["住民票がほしい", "I want a residence certificate", "明日の天気は？"]


@pytest.fixture(scope="module")
def engine_output() -> dict[str, Any]:
    return run_in_engine(SCRIPT, {"emergency": EMERGENCY_CASES, "texts": ENCODED_TEXTS})


def test_an_emergency_word_forces_the_emergency_intent_and_keeps_the_rest_of_the_ranking(
    engine_output: dict[str, Any],
) -> None:
    cases = EMERGENCY_CASES
    shelter, fallback, question, cued, payload = engine_output["emergency"]

    assert shelter["intent"] == {"name": "emergency", "confidence": 1.0}
    assert shelter["ranking"] == _ranking(("emergency", 1.0), ("find_shelter", 0.7), ("ask_question", 0.1))
    assert shelter["words"] == ["ja_water_coming_in"]
    assert {"intent", "intent_ranking", "emergency_words", "emergency"} <= set(shelter["output"])
    assert shelter["verdict"] == {"tier": "sure", "words": ["ja_water_coming_in"]}

    assert fallback["intent"]["name"] == "emergency"
    assert [r["name"] for r in fallback["ranking"]] == ["emergency", "greet"]

    assert question["intent"] == cases[2]["intent"]
    assert question["words"] is None
    assert question["verdict"]["tier"] == "none"
    assert [(r["name"], r["confidence"]) for r in cued["ranking"]] == [
        ("emergency", 1.0),
        ("find_shelter", 0.5),
        ("greet", 0.004),
    ]
    assert payload["intent"] == cases[4]["intent"]
    assert payload["verdict"] is None


def test_the_sentence_encoder_adds_one_512_d_sentence_vector_per_text(engine_output: dict[str, Any]) -> None:
    out = engine_output["features"]
    assert out[-1] is None  # no text, no features
    vectors = [o["vector"] for o in out[:3]]
    assert all(o["shape"] == [1, 512] and o["seq"] is False for o in out[:3])

    def cosine(a: list[float], b: list[float]) -> float:
        return sum(x * y for x, y in zip(a, b, strict=True)) / (
            sum(x * x for x in a) ** 0.5 * sum(y * y for y in b) ** 0.5
        )

    # The same request across languages is closer than an unrelated one.
    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2])


# The detector with its real reference (the bank; no NLU examples here) and the thresholds of config.yml.
SEMANTIC_SCRIPT = """
import json, sys, yaml
import numpy as np
from unittest.mock import MagicMock
from rasa.shared.nlu.training_data.message import Message
from bot.components.emergency_bank import load_examples
from bot.components.emergency_classifier import EmergencyDetector
from bot.components.emergency_semantic import reference_lines
from bot.components.sentence_encoder_featurizer import SentenceEncoderFeaturizer
given = json.loads(sys.stdin.read())
pipeline = yaml.safe_load(open("config.yml"))["pipeline"]
config = next(c for c in pipeline if c["name"].endswith("EmergencyDetector"))
featurizer = SentenceEncoderFeaturizer(SentenceEncoderFeaturizer.get_default_config(), MagicMock(node_name="usem3"))
texts, labels = reference_lines(load_examples(), [])
vectors = np.asarray(featurizer._encoder.encode(texts), dtype=np.float32)
out = []
for overrides in given["configs"]:
    detector = EmergencyDetector({**config, **overrides})
    detector._reference = detector._build_reference(texts, labels, vectors)
    results = []
    for case in given["cases"]:
        message = Message(data={"text": case["text"], "intent": case["intent"], "intent_ranking": case["ranking"]})
        featurizer.process([message])
        detector.process([message])
        results.append({"intent": message.get("intent"), "ranking": message.get("intent_ranking"),
                        "verdict": message.get("emergency")})
    out.append(results)
print(json.dumps(out, ensure_ascii=False))
"""

SEMANTIC_CASES = [
    # no emergency word at all, yet a danger now (issue 11's own misses)
    {
        "text": "子供が川に落ちた",
        "intent": {"name": "nlu_fallback", "confidence": 0.4},
        "ranking": _ranking(("nlu_fallback", 0.4), ("ask_question", 0.35), ("emergency", 0.2)),
    },
    # DIET says emergency; the meaning says fire insurance: overruled, the next intent answers
    {
        "text": "火災保険に入りたいです",
        "intent": {"name": "emergency", "confidence": 0.7},
        "ranking": _ranking(("emergency", 0.7), ("ask_question", 0.5), ("greet", 0.1)),
    },
    # a mention (救急) in a question about the service: nothing
    {
        "text": "救急車を呼ぶのにお金はかかりますか",
        "intent": {"name": "ask_question", "confidence": 0.8},
        "ranking": _ranking(("ask_question", 0.8), ("emergency", 0.15)),
    },
    # a danger word is a floor whatever the meaning says
    {
        "text": "たすけて",
        "intent": {"name": "greet", "confidence": 0.6},
        "ranking": _ranking(("greet", 0.6), ("emergency", 0.3)),
    },
]


@pytest.fixture(scope="module")
def semantic_output() -> list[list[dict[str, Any]]]:
    # Second configuration: a sure bar nobody reaches, so that meaning alone can only make a message 'possible'.
    configs = [{}, {"sure": 0.99}]
    return run_in_engine(SEMANTIC_SCRIPT, {"cases": SEMANTIC_CASES, "configs": configs})


def test_the_meaning_finds_a_danger_now_that_no_keyword_names(semantic_output: list[list[dict[str, Any]]]) -> None:
    river = semantic_output[0][0]
    assert river["verdict"]["tier"] == "sure" and river["verdict"]["words"] == []
    assert river["intent"] == {"name": "emergency", "confidence": 1.0}
    assert river["verdict"]["margin"] > 0


def test_a_possible_emergency_is_routed_to_the_emergency_action_and_keeps_what_it_would_have_been(
    semantic_output: list[list[dict[str, Any]]],
) -> None:
    river = semantic_output[1][0]
    assert river["verdict"]["tier"] == "possible"
    assert river["intent"]["name"] == "emergency"
    assert river["verdict"]["answer_as"] == {"name": "nlu_fallback", "confidence": 0.4}


def test_near_misses_get_nothing_and_diet_is_overruled(semantic_output: list[list[dict[str, Any]]]) -> None:
    _, insurance, ambulance_fee, _ = semantic_output[0]
    assert insurance["verdict"]["tier"] == "none"
    assert insurance["intent"] == {"name": "ask_question", "confidence": 0.5}
    assert [r["name"] for r in insurance["ranking"]] == ["ask_question", "greet"]
    assert ambulance_fee["verdict"]["tier"] == "none" and ambulance_fee["verdict"]["words"] == ["ja_ambulance"]
    assert ambulance_fee["intent"]["name"] == "ask_question"


def test_a_danger_word_is_a_floor(semantic_output: list[list[dict[str, Any]]]) -> None:
    for results in semantic_output:
        assert results[3]["verdict"]["tier"] in ("sure", "possible")
        assert results[3]["intent"]["name"] == "emergency"
