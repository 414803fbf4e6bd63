"""Run the migrations in a child process: ``python -m reminderd.store.migrate`` (URL on stdin).

The daemon migrates this way so that alembic (and what it imports) never lives in the
long-running process: it would stay resident for years for a job done once. The URL
comes on standard input, not the command line, because it can carry a password.
"""

from __future__ import annotations

import sys

from . import Store, make_engine


def main() -> int:
    url = sys.stdin.read().strip()
    store = Store(make_engine(url))
    try:
        store.upgrade()
    finally:
        store.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
