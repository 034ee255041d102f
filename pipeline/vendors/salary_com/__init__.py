"""Salary.com "Skills & Competencies" job-profile pages.

meta.py: the vendor's name, parser version and scale; detect.py: how much a document looks
like a profile; parse.py: the entry point (a file's profiles, each one's title and extent);
reader.py: a profile's lines into a Profile (profile.py), skills.py: a skill section's
entries; rows.py: the Profile into catalog rows and what the page lacks; text.py: the
wording matched (labels, headings).
"""

from .detect import detect
from .meta import PARSER_VERSION, SCALE, VENDOR
from .parse import parse

__all__ = ["PARSER_VERSION", "SCALE", "VENDOR", "detect", "parse"]
