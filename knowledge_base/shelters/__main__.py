import sys

from knowledge_base.shelters.cli import main

sys.exit(main(sys.argv[1:]))
