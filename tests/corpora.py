"""The shared test corpora (naughty strings, XSS vectors, sanitizer pairs), each with its licence.

A copy with their licences lives in ``tests/data/corpora`` (so a fresh clone needs nothing else);
``WILMA_CORPORA_DIR`` points to another copy, e.g. a newer shared one.
"""

import json
import os
from pathlib import Path

CORPORA = Path(os.environ.get("WILMA_CORPORA_DIR") or Path(__file__).resolve().parent / "data" / "corpora")


def blns() -> list[str]:
    """The Big List of Naughty Strings (MIT)."""
    return json.loads((CORPORA / "naughty" / "blns.json").read_text(encoding="utf-8"))


def xss_vectors() -> list:
    """The HTML5 Security Cheatsheet's vectors (MPL 2.0), as resolved JSON."""
    return json.loads((CORPORA / "xss" / "h5sc_vectors_resolved.json").read_text(encoding="utf-8"))
