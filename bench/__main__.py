"""``python -m bench`` (from the repository root): the same as ``python bench/run_all.py``."""

import sys

from bench.run_all import main

sys.exit(main())
