"""The vendor registry: one package per vendor (pipeline/vendors/<vendor>/), each giving VENDOR,
PARSER_VERSION, SCALE, detect(doc) -> score and parse(doc) -> ParseResult.

To add a vendor: write its package and list it in PARSERS. Each detector scores a document
for its own vendor only; the registry gives the document to the best score.
"""

from __future__ import annotations

from types import ModuleType

from ..document import Document
from . import caliper, kenexa, nih, salary_com

# Where two vendors score a document the same, the one listed first gets it.
PARSERS: tuple[ModuleType, ...] = (salary_com, caliper, kenexa, nih)


def vendor_names() -> tuple[str, ...]:
    """The vendor column's allowed values."""
    return tuple(module.VENDOR for module in PARSERS)


def detect_vendor(doc: Document) -> ModuleType | None:
    """The parser whose detector scores `doc` highest, None when every one scores 0."""
    best, best_score = None, 0.0
    for module in PARSERS:
        score = module.detect(doc)
        if score > best_score:
            best, best_score = module, score
    return best
