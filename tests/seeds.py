"""Where the tests find the seed issue's text: ``BIBLIO_SEED_DIR`` if set, else the copy
vendored in tests/data/seeds (so every clean checkout runs the seed tests; none is skipped)."""

from __future__ import annotations

import os
from pathlib import Path

SEED_DIR = Path(os.environ.get("BIBLIO_SEED_DIR") or Path(__file__).resolve().parent / "data" / "seeds")
ISSUE_TEXT = SEED_DIR / "000_0ad3b409a7571561.txt"
ARTICLE_TEXT = SEED_DIR / "001_3419770898551ee2.txt"
