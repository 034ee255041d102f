"""Salary.com: the vendor's name in the catalog, its parser's version and its proficiency scale."""

from ..scale import Scale

VENDOR = "salary_com"
PARSER_VERSION = "salary_com/1.3"
SCALE = Scale("Salary.com", ((1, "General Familiarity"), (2, "Light Experience"), (3, "Moderate Experience"), (4, "Extensive Experience"), (5, "Mastery")))
