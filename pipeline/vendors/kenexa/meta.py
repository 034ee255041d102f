"""Kenexa: the vendor's name in the catalog, its parser's version and its proficiency scale."""

from ..scale import Scale

VENDOR = "kenexa"
PARSER_VERSION = "kenexa/1.4"
SCALE = Scale("Kenexa", ((1, "Basic understanding"), (2, "Working experience"), (3, "Extensive experience"), (4, "Subject matter depth and breadth")))
