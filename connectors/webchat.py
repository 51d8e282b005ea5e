"""POST /api/chat: the web widget's API (contract in ../shared/DESIGN.md, "Public faces").

In:  {"session_id": "...", "text": "..."} | {"session_id": "...", "location": {"latitude": .., "longitude": ..}}
     | {"session_id": "...", "payload": "..."}   (a button)
Out: {"messages": [{"text": "...", "buttons": [{"title": "...", "payload": "..."}], ...}], "language": "vi"}
     (`language`: the turn's, for the widget's own labels; absent when the turn shows none)
"""

from __future__ import annotations

import json
import logging

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from connectors.engine import EngineUnavailable
from connectors.errors import error_response
from connectors.http import json_response
from connectors.replies import from_rasa, turn_language, unavailable_reply
from connectors.runtime import ENGINE, PSEUDONYMIZER

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 2000


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    session_id: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")
    text: str | None = Field(default=None, max_length=MAX_TEXT_LENGTH)
    location: Location | None = None
    payload: str | None = Field(default=None, min_length=1, max_length=500)

    @model_validator(mode="after")
    def _exactly_one_input(self) -> ChatRequest:
        given = [name for name in ("text", "location", "payload") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of: text, location, payload")
        if self.text is not None and not self.text.strip():
            raise ValueError("text is empty")
        return self


def engine_message(request: ChatRequest) -> str:
    """The message Rasa receives for this request."""
    if request.location is not None:
        coordinates = {"latitude": request.location.latitude, "longitude": request.location.longitude}
        return "/share_location" + json.dumps(coordinates)
    if request.payload is not None:
        return request.payload
    # Typed text must never be read as a "/intent" command: only buttons send those.
    text = request.text.strip()
    return "／" + text[1:] if text.startswith("/") else text


_JA_HINTS = {
    "string_too_long": f"メッセージは{MAX_TEXT_LENGTH}文字以内で入力してください。",
    "json_invalid": "JSON形式で送信してください。",
}


def _validation_error(exc: ValidationError) -> web.Response:
    details = [
        {"field": ".".join(str(part) for part in err["loc"]) or "(body)", "type": err["type"], "message": err["msg"]}
        for err in exc.errors(include_url=False, include_input=False)
    ]
    first = details[0]
    message_ja = _JA_HINTS.get(first["type"])
    if message_ja is None and "empty" in first["message"]:
        message_ja = "メッセージを入力してください。"
    return error_response(400, "invalid_request", f"{first['field']}: {first['message']}", message_ja, details=details)


async def handle_chat(request: web.Request) -> web.Response:
    body = await request.read()
    try:
        chat = ChatRequest.model_validate_json(body or b"null")
    except ValidationError as exc:
        return _validation_error(exc)
    sender = request.app[PSEUDONYMIZER]("web", chat.session_id)
    try:
        replies = await request.app[ENGINE].exchange(sender, engine_message(chat), {"channel": "web"})
    except EngineUnavailable as exc:
        logger.warning("engine unavailable for %s: %s", sender, exc)
        language = turn_language([], chat.text) or "ja"
        body = {"messages": unavailable_reply(language), "language": language}
        return json_response(body, status=503, headers={"Retry-After": "10"})
    messages = from_rasa(replies)
    # The widget shows its own labels in this language; absent when the turn shows none (a button press).
    language = turn_language(messages, chat.text)
    return json_response({"messages": messages} | ({"language": language} if language else {}))


def routes() -> list[web.RouteDef]:
    return [web.post("/api/chat", handle_chat)]


__all__ = ["ChatRequest", "engine_message", "handle_chat", "routes"]
