"""`rasa data validate` on the project's domain, data and config is clean, as a Rasa user expects.

Only the warnings listed here are accepted, each for a stated reason; anything else Rasa warns about (an action
declared twice, a comment read as an NLU example, an intent without a rule, ...) fails the test.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from scripts.stack import ENGINE_BIN, ROOT, engine_env

pytestmark = pytest.mark.slow

VALIDATE_ARGS = ("--domain", "bot/domain", "--data", "data", "--config", "config.yml")
# Intents only buttons send (never typed): Rasa wants NLU examples for them, and there must be none.
BUTTON_ONLY_INTENTS = ("show_menu", "select_faq", "choose_hazard")
ACCEPTED = {
    *(
        f"The intent '{intent}' is listed in the domain file, but is not found in the NLU training data."
        for intent in BUTTON_ONLY_INTENTS
    ),
    # Said by Rasa's own action_default_fallback (RulePolicy's core fallback), which no rule names.
    "The utterance 'utter_default' is not used in any story or rule.",
}

# Rasa reports through warnings.warn: "<file>:<line>: UserWarning: <message>". Its libraries' deprecations
# (TensorFlow, argparse) say nothing about this project.
_WARNING = re.compile(r"^.*?:\d+: (\w*Warning): (.*)$")
_NOT_OURS = {"DeprecationWarning", "PendingDeprecationWarning"}


def test_rasa_data_validate_warns_only_about_the_button_only_intents() -> None:
    done = subprocess.run(
        [str(ENGINE_BIN / "rasa"), "data", "validate", *VALIDATE_ARGS],
        cwd=ROOT,
        env=engine_env({"NO_COLOR": "1"}),
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    assert done.returncode == 0, output
    warnings = [
        match.group(2).strip()
        for line in output.splitlines()
        if (match := _WARNING.match(line)) and match.group(1) not in _NOT_OURS
    ]
    assert set(warnings) >= ACCEPTED, "the accepted warnings are stale: update ACCEPTED"
    assert [w for w in warnings if w not in ACCEPTED] == []
