"""How much a document looks like an NIH competencies dictionary page."""

from __future__ import annotations

import re

from ...document import Document
from .parse import RE_CLOSING, RE_KEY_BEHAVIORS

# NIH's pages rate no proficiency: a page whose lines require a level is no NIH page.
_REQUIRED_LEVEL = re.compile(r"^Proficiency Level\s*\d", re.I)


def detect(doc: Document) -> float:
    """0.5 for a 'Key Behaviors:' heading in the first lines, 1 with the page's closing line too;
    0 when the page rates a proficiency level."""
    lines = doc.lines[:200]
    if not any(RE_KEY_BEHAVIORS.match(t) for t in lines) or any(_REQUIRED_LEVEL.match(t) for t in lines):
        return 0.0
    return 1.0 if any(RE_CLOSING.match(t) for t in doc.lines) else 0.5
