import sys

import settings
from knowledge_base.shelters.cli import main

settings.exit_on_invalid(*settings.GROUPS)
sys.exit(main(sys.argv[1:]))
