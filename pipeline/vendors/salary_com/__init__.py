"""Salary.com "Skills & Competencies" job-profile pages.

meta.py: the vendor's name, parser version and scale; detect.py: how much a document looks
like a profile; parse.py: the profile's lines into a Profile; rows.py: the Profile into
catalog rows and what the page lacks; text.py: the wording matched (labels, headings).
"""

from .detect import detect
from .meta import PARSER_VERSION, SCALE, VENDOR
from .parse import parse

__all__ = ["PARSER_VERSION", "SCALE", "VENDOR", "detect", "parse"]
