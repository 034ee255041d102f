"""Allowed values of the catalog's closed vocabularies, at the bottom of the package.

Every module may import this one; it imports nothing of the package. The vendor column's
values are not here: they are the parser registry's (pipeline.vendors.PARSERS), read when
the DDL or the schema doc is made.
"""

from __future__ import annotations

FORMATS = ("html", "mhtml", "webarchive", "pdf", "text")
STATUSES = ("ok", "partial", "failed")
CATEGORIES = ("general", "soft", "hard")
VISIBILITIES = ("shown", "named_in_summary", "locked", "chart_only")
TITLE_SOURCES = ("heading", "html_title", "section_heading")
SALARY_KINDS = ("base", "total")
RELATED_TITLE_RELATIONS = ("example_position", "shared_competency")
# SKOS mapping relations: broad = the right concept is broader, narrow = it is narrower.
MATCH_RELATIONS = ("exact", "close", "broad", "narrow", "related")
# What a warning code does to its document (pipeline.warning_codes).
WARNING_EFFECTS = ("failed", "partial", "note")
