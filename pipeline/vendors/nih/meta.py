"""NIH: the vendor's name in the catalog, its parser's version and its proficiency scale (which
its competency pages do not apply: behaviors are loaded without a level)."""

from ..scale import Scale

VENDOR = "nih"
PARSER_VERSION = "nih/1.3"
SCALE = Scale("NIH", ((1, "Fundamental Awareness"), (2, "Novice"), (3, "Intermediate"), (4, "Advanced"), (5, "Expert")))
