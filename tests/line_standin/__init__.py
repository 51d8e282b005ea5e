"""A local stand-in for the LINE platform in tests and benchmarks: its Messaging API, and its webhooks."""

from tests.line_standin import webhooks
from tests.line_standin.server import LOADING, MULTICAST, PUSH, REPLY, Call, LineApiStandIn, message_problems

__all__ = ["LOADING", "MULTICAST", "PUSH", "REPLY", "Call", "LineApiStandIn", "message_problems", "webhooks"]
