"""Kenexa (IBM) job competency library pages, as published by university HR sites.

meta.py: the vendor's name, parser version and scale; headings.py: the level and section
headings; detect.py: how much a document looks like a Kenexa page; parse.py: its name,
definition, levels, questions and titles into rows.
"""

from .detect import detect
from .meta import PARSER_VERSION, SCALE, VENDOR
from .parse import parse

__all__ = ["PARSER_VERSION", "SCALE", "VENDOR", "detect", "parse"]
