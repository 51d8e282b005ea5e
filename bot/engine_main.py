"""`rasa run` with a time limit on custom actions (what scripts/stack.py starts; engine environment).

Rasa 3.6 waits up to five minutes for the action server and offers no setting for it (`action_endpoint` in
endpoints.yml takes no timeout in the open-source line). A resident must get the apology within 5 s when the action
server hangs or died mid-call, so the call is limited to ACTION_TIMEOUT seconds (default 4; the gateway's
RASA_TIMEOUT, 4.5 s, is just above it): the action then fails, Rasa answers nothing, and the gateway apologises.
"""

from __future__ import annotations

import os
import sys

DEFAULT_ACTION_TIMEOUT = 4.0


def limit_action_calls() -> float:
    import rasa.core.actions.action as action

    seconds = float(os.environ.get("ACTION_TIMEOUT") or DEFAULT_ACTION_TIMEOUT)
    # read by RemoteAction.run at every call
    action.DEFAULT_REQUEST_TIMEOUT = seconds
    return seconds


if __name__ == "__main__":
    limit_action_calls()
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    sys.exit(main())
