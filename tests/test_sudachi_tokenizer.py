"""The Japanese tokenizer component, run in the engine environment (where Rasa lives)."""

from __future__ import annotations

import json
import subprocess

from scripts.stack import ENGINE_BIN, ROOT, engine_env

SCRIPT = """
import json, sys
from rasa.shared.nlu.training_data.message import Message
from bot.components.sudachi_tokenizer import SudachiTokenizer
tokenizer = SudachiTokenizer(SudachiTokenizer.get_default_config())
out = {}
for text in json.loads(sys.stdin.read()):
    tokens = tokenizer.tokenize(Message(data={"text": text}), "text")
    out[text] = [[t.text, t.start, t.end, t.lemma] for t in tokens]
print(json.dumps(out, ensure_ascii=False))
"""


def tokenize(*texts: str) -> dict[str, list[list]]:
    result = subprocess.run(
        [str(ENGINE_BIN / "python"), "-c", SCRIPT],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=engine_env(),
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_japanese_is_split_into_words_with_normalized_lemmas_and_offsets() -> None:
    text = "引越しの手続きを教えて下さい！"
    tokens = tokenize(text)[text]
    assert [t[0] for t in tokens][:3] == ["引越し", "の", "手続き"]
    assert tokens[0][3] == "引っ越し"
    for surface, start, end, _ in tokens:
        assert text[start:end] == surface
    assert "！" not in [t[0] for t in tokens]  # punctuation carries no meaning


def test_latin_words_keep_their_own_lemma_and_a_lone_symbol_still_gives_a_token() -> None:
    out = tokenize("How do I move?", "？")
    assert [t[3] for t in out["How do I move?"]] == ["how", "do", "i", "move"]
    assert len(out["？"]) == 1
