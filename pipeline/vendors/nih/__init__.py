"""NIH competencies dictionary pages (hr.nih.gov/competency/...).

meta.py: the vendor's name, parser version and scale; detect.py: how much a document looks
like an NIH page; parse.py: its name, definition and Key Behaviors into rows.
"""

from .detect import detect
from .meta import PARSER_VERSION, SCALE, VENDOR
from .parse import parse

__all__ = ["PARSER_VERSION", "SCALE", "VENDOR", "detect", "parse"]
