"""The catalog as a static site (`compcat site`): pages rendered from Jinja2 templates in
templates/, data read with SQL (data.py), charts as static SVG (charts.py)."""

from .build import SiteError, SiteReport, build_site

__all__ = ["SiteError", "SiteReport", "build_site"]
