"""On LINE too, a conversation in each of the eight languages reads in that language end to end.

The same journey as tests/test_languages_end_to_end.py (a question, the shelter search with a location, the
alert levels, the hand-off), through the LINE stand-in, the real gateway, Rasa server and action server; here
LINE's own texts (quick replies, the shelter cards) must be in the language too.
"""

from __future__ import annotations

from typing import Any

import pytest

from connectors.line import limits
from knowledge_base.shelters.status import Status
from knowledge_base.texts import LANGUAGES, text
from scripts.stack import Stack
from tests import language_support as journey
from tests.line.conftest import LineGateway, MakeGateway
from tests.line_standin import REPLY, message_problems, webhooks

pytestmark = pytest.mark.slow

ANSWER_TIMEOUT = 180.0


@pytest.fixture
async def gateway(stack: Stack, make_line_gateway: MakeGateway) -> LineGateway:
    return await make_line_gateway(
        rasa_url=f"http://127.0.0.1:{stack.config.rasa_port}",
        action_server_url=f"http://127.0.0.1:{stack.config.action_port}",
        # Eight conversations on a shared machine: a slow turn is not what this test is about.
        rasa_timeout=120.0,
    )


class LineResident:
    def __init__(self, gateway: LineGateway) -> None:
        self.gateway = gateway
        self.user = webhooks.new_user_id()

    async def turn(self, make_event: Any, *args: Any) -> list[dict[str, Any]]:
        """One event; the messages of its reply (what LINE shows at once)."""
        api = self.gateway.api
        token = api.new_reply_token(self.user)
        await self.gateway.send(make_event(self.user, token, *args))
        await api.wait_for(lambda: any(c.body.get("replyToken") == token for c in api.calls_to(REPLY)), ANSWER_TIMEOUT)
        [reply] = [c for c in api.calls_to(REPLY) if c.body.get("replyToken") == token]
        assert message_problems(reply.messages) == []
        return reply.messages


def texts_of(messages: list[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages if m.get("type") == "text"]


def quick_labels(messages: list[dict[str, Any]]) -> list[str]:
    items = (messages[-1].get("quickReply") or {}).get("items") or []
    return [item["action"]["label"] for item in items]


def flex_texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") == "text" and "text" in node else []
        return own + [t for value in node.values() for t in flex_texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in flex_texts(value)]
    return []


def clip(label: str) -> str:
    return limits.clip(label, limits.ACTION_LABEL)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_line_conversation_reads_in_the_residents_language(gateway: LineGateway, language: str) -> None:
    resident = LineResident(gateway)

    answer = await resident.turn(webhooks.text, journey.QUESTIONS[language])
    said = "\n".join(texts_of(answer))
    if any(follow_up in said for follow_up in journey.follow_ups(language)):
        assert [clip(title) for title in journey.feedback_titles(language)] == quick_labels(answer)[-2:]
    else:
        assert any(reply in said for reply in journey.no_card_replies(language)), said

    asked = await resident.turn(webhooks.postback, "/find_shelter")
    assert texts_of(asked)[-1].startswith(journey.location_prompt(language))
    assert quick_labels(asked)[0] == clip(text("line.send_location", language))

    hazards = await resident.turn(webhooks.location, journey.NEAR_DEMO_G["latitude"], journey.NEAR_DEMO_G["longitude"])
    assert texts_of(hazards)[-1] == journey.hazard_question(language)
    assert clip(journey.flood_label(language)) in quick_labels(hazards)

    listed = await resident.turn(webhooks.postback, journey.FLOOD)
    [carousel] = [m for m in listed if m.get("type") == "flex" and m["contents"]["type"] == "carousel"]
    first = carousel["contents"]["contents"][0]
    assert first["footer"]["contents"][0]["action"]["label"] == text("line.shelter_map", language)
    shown = flex_texts(first["body"])
    assert Status.CLOSED.label(language) in shown
    assert any(journey.distance_pattern(language).fullmatch(line) for line in shown), shown

    levels = await resident.turn(webhooks.postback, "/alert_level")
    assert journey.alert_levels_intro(language) in "\n".join(texts_of(levels))
    assert quick_labels(levels) == [clip(title) for title in journey.alert_level_buttons(language)]

    handoff = await resident.turn(webhooks.postback, "/human_handoff")
    assert journey.handoff_problems(language, "\n".join(texts_of(handoff))) == []
