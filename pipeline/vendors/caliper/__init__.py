"""Caliper Competency Library job models (PDF, or a text extract of one).

meta.py: the vendor's name and parser version (no scale: job models give no levels);
detect.py: how much a document looks like a job model; parse.py: its sections and its JOB
MODEL chart into rows.
"""

from .detect import detect
from .meta import PARSER_VERSION, SCALE, VENDOR
from .parse import parse

__all__ = ["PARSER_VERSION", "SCALE", "VENDOR", "detect", "parse"]
