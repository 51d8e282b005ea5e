"""What residents read when disaster mode is on: the alert (first reply of every conversation, and the LINE
broadcast). Japanese first, plain and short; one line each in English and Portuguese for foreign residents."""

from __future__ import annotations

from knowledge_base.disaster.levels import level
from knowledge_base.disaster.state import DisasterState

FIND_SHELTER_BUTTON = {"ja": "避難場所を探す", "en": "Find a shelter", "pt": "Procurar abrigo"}


def alert_text(state: DisasterState) -> str:
    info = level(state.level)
    lines = [
        f"【警戒レベル{state.level} {info.name['ja']}】{state.hazard.label('ja')}",
        state.message,
        info.advice("ja"),
    ]
    if state.level >= 3:
        lines.append("119（火事・救急）/ 110（事件・事故）: 命が危ないときは、すぐ電話してください。")
    for language in ("en", "pt"):
        lines.append(f"Level {state.level} / {state.hazard.label(language)}: {info.advice(language)}")
    return "\n".join(lines)


def broadcast_text(state: DisasterState) -> str:
    """The text the LINE broadcast sends to followers."""
    return "\n".join(
        [
            alert_text(state),
            "近くの避難場所は、このトークで「避難場所」と送ると調べられます。",
            "Send “shelter” here to find the nearest shelter. / Envie “abrigo” para ver o abrigo mais próximo.",
        ]
    )
