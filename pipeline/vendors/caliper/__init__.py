"""Caliper Competency Library job models (PDF, or a text extract of one).

meta.py: the vendor's name and parser version (no scale: job models give no levels);
detect.py: how much a document looks like a job model; parse.py: a job model into rows, step
by step; sections.py: its title and text sections; chart.py: its JOB MODEL chart's families
from word positions; boundaries.py: where each model of a file holding several begins.
"""

from .detect import detect
from .meta import PARSER_VERSION, SCALE, VENDOR
from .parse import parse

__all__ = ["PARSER_VERSION", "SCALE", "VENDOR", "detect", "parse"]
