"""Caliper: the vendor's name in the catalog and its parser's version. Caliper job models give
no proficiency levels: the scale is empty."""

from ..scale import Scale

VENDOR = "caliper"
PARSER_VERSION = "caliper/1.3"
SCALE = Scale("Caliper")
