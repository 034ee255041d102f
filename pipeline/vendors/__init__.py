"""Vendor parsers, one module each. To add a vendor: write a module with VENDOR,
PARSER_VERSION, SCALE, detect(doc) and parse(doc), and list it in PARSERS."""

from __future__ import annotations

from . import caliper, kenexa, nih, salary_com

# Order matters only when two parsers claim a document: the first wins.
PARSERS = (salary_com, caliper, kenexa, nih)


def detect_vendor(doc):
    for module in PARSERS:
        if module.detect(doc):
            return module
    return None
