import sys

from knowledge_base.disaster.cli import main

sys.exit(main(sys.argv[1:]))
