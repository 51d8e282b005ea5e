"""`python -m knowledge_base.texts`: update the template and every language from ja.po; print the coverage."""

from __future__ import annotations

import sys

from knowledge_base.texts.maintain import coverage_table, gaps, update_languages


def main() -> int:
    update_languages()
    print(coverage_table(by_id="--by-id" in sys.argv))
    problems = gaps()
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
