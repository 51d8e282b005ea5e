"""python -m knowledge_base.disaster: the staff command, wired to the city's broadcast channel.

This entry point is the command's composition root: the only place here that names a channel. The commands
themselves (cli.py, knowledge_base.operations) take the broadcaster they are given.
"""

import sys

import settings
from knowledge_base.disaster.broadcast import Broadcaster
from knowledge_base.disaster.cli import main


def line_followers() -> Broadcaster:
    from connectors.line.broadcast import DisasterBroadcaster  # imported only when a broadcast is asked for

    return DisasterBroadcaster()


settings.exit_on_invalid(*settings.GROUPS)
sys.exit(main(sys.argv[1:], broadcaster=line_followers))
