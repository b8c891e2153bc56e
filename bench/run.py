"""Entry point of `make bench`: the app against a bare-Django reference (see bench/main.py).

Usage: python bench/run.py [--seconds N] [--users 10,50] [--client auto|wrk|aiohttp] [--keep-db]
"""

import sys
from pathlib import Path

# Run as a script (`python bench/run.py`), the repository root is not on the path yet.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.main import main

if __name__ == "__main__":
    sys.exit(main())
