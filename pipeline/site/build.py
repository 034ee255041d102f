"""`compcat site`: the catalog as static HTML pages that open from the file system, no server.

Pages: an overview, one per role, one per competency, one per ESCO concept anchored to, and a
search page whose index is a script (`search-index.js`, loaded with a <script> tag: a page
opened from a file may not fetch() another file). Everything is read with one SQL query per
kind of page (pipeline/site/data.py); templates are in pipeline/site/templates/.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from . import charts, data

MARKER = ".compcat-site"  # written in every site folder, so that a rebuild replaces only a site
STATIC = ("site.css", "search.js")


class SiteError(Exception):
    """The site cannot be written where asked."""


@dataclass
class SiteReport:
    out: Path
    pages: dict[str, int] = field(default_factory=dict)  # kind -> pages written
    bytes: dict[str, int] = field(default_factory=dict)  # kind -> bytes written
    largest: dict[str, int] = field(default_factory=dict)  # kind -> size of its largest page
    seconds: float = 0.0

    def summary(self) -> str:
        total = sum(self.bytes.values())
        kinds = ", ".join(f"{self.pages[k]:,} {k}" for k in ("roles", "competencies", "esco") if k in self.pages)
        largest = max(self.largest.values(), default=0)
        return (f"wrote the catalog site to {self.out}: {sum(self.pages.values()):,} pages ({kinds}, overview, search), "
                f"{total / 2**20:.1f} MB, largest page {largest / 1024:.0f} KB, in {self.seconds:.1f} s; open {self.out / 'index.html'}")


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    class RowsEnvironment(Environment):
        """`page.title` looks the key up first: every page's data are dicts, and Jinja's own
        lookup tries an attribute first, failing on every field (a large part of the render)."""

        def getattr(self, obj, attribute):
            if type(obj) is dict and attribute in obj:
                return obj[attribute]
            return super().getattr(obj, attribute)

    env = RowsEnvironment(loader=PackageLoader("pipeline.site", "templates"), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["money"] = _money
    env.filters["share"] = lambda v: "" if v is None else f"{v:.0%}"
    env.filters["score"] = lambda v: "" if v is None else f"{v:.2f}"
    env.filters["number"] = lambda v: "" if v is None else f"{v:,.0f}"
    return env


def _money(value, currency: str | None = "USD") -> str:
    if value is None:
        return "not given"
    return f"${value:,.0f}" if currency in (None, "USD") else f"{value:,.0f} {currency}"


def _rows(con, sql: str) -> list[dict]:
    return con.sql(sql).to_arrow_table().to_pylist()


def _prepare(out: Path) -> Path:
    """A fresh staging folder beside `out`; `out` itself must be missing, empty, or a site."""
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SiteError(f"{out} is not empty and holds no site written by compcat; choose another --out")
    staging = out.with_name(f".{out.name}.partial-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    (staging / MARKER).write_text("written by `compcat site`; the folder is replaced whole by the next build\n", encoding="utf-8")
    return staging


def _switch(staging: Path, out: Path) -> None:
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(out)


def build_site(con, out: Path) -> SiteReport:
    """Write the site for the catalog open on `con` (read-only is enough) into `out`, replacing
    a site written there before; nothing in `out` changes unless the whole site was written."""
    start = time.perf_counter()
    out = Path(out)
    for statement in data.MACROS:
        con.execute(statement)
    staging = _prepare(out)
    report = SiteReport(out)
    try:
        env = _environment()
        _write(staging, "index.html", env.get_template("overview.html").render(root="", **_overview(con)), report, "overview")
        _write(staging, "search.html", env.get_template("search.html").render(root=""), report, "search")
        for kind, sql in (("roles", data.ROLES), ("competencies", data.COMPETENCIES), ("esco", data.ESCO)):
            _write_pages(env, staging, kind, _rows(con, sql), report)
        _write_index(con, staging, report)
        for name in STATIC:
            (staging / name).write_bytes(resources.files("pipeline.site").joinpath("templates", name).read_bytes())
        _switch(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.seconds = time.perf_counter() - start
    return report


def _write(folder: Path, href: str, html: str, report: SiteReport, kind: str) -> None:
    path = folder / href
    encoded = html.encode("utf-8")
    path.write_bytes(encoded)
    report.pages[kind] = report.pages.get(kind, 0) + 1
    report.bytes[kind] = report.bytes.get(kind, 0) + len(encoded)
    report.largest[kind] = max(report.largest.get(kind, 0), len(encoded))


def _write_pages(env, folder: Path, kind: str, pages: list[dict], report: SiteReport) -> None:
    """Render and write every page of one kind."""
    template, root, chart = KINDS[kind]
    compiled = env.get_template(template)
    for parent in {(folder / page["href"]).parent for page in pages}:
        parent.mkdir(parents=True, exist_ok=True)
    report.pages.setdefault(kind, 0)
    for page in pages:
        _write(folder, page["href"], compiled.render(root=root, page=page, **chart(page)), report, kind)


def _overview(con) -> dict:
    found: dict[str, Any] = {name: _rows(con, sql) for name, sql in data.OVERVIEW.items()}
    pay = [dict(r, label=f"{r['job_level']} ({r['vendor']})") for r in found["pay_by_level"]]
    if len(pay) > charts.MAX_ROWS:  # the job levels with most roles, in their order
        kept = {id(r) for r in sorted(pay, key=lambda r: -r["roles"])[:charts.MAX_ROWS]}
        pay = [r for r in pay if id(r) in kept]
    found["pay_levels_left_out"] = len(found["pay_by_level"]) - len(pay)
    found["documents_chart"] = charts.status_bars(found["documents"], "Documents by vendor and status") if found["documents"] else None
    found["pay_chart"] = charts.pay_ranges(pay, "Base salary by job level: middle half and median") if pay else None
    found["load"] = found["load"][0] if found["load"] else None
    found["esco_count"] = found["esco_count"][0]["n"]
    return found


PEERS = 5  # a role's pay is drawn among its job level's only when that many roles have a salary


def _role_charts(page: dict) -> dict:
    if not page["level_pay"] or page["base_salary_p50"] is None or (page["level_peers"] or 0) < PEERS:
        return {"pay_chart": None}
    row = {"label": f"{page['job_level']} roles", "q": page["level_pay"][1:4], "roles": page["level_peers"]}
    return {"pay_chart": charts.pay_ranges([row], f"This role's base salary among the {page['job_level']} roles", marker=page["base_salary_p50"])}


STRONG = ("exact", "close", "broad", "narrow")
SIDE_BY_SIDE = 3  # matches whose levels are lined up beside the competency's own


def _competency_charts(page: dict) -> dict:
    rows = [dict(r, label="no level" if r["level"] is None else f"level {r['level']}") for r in page["by_level"]]
    chart = charts.level_bars(rows, "Roles by required level, with their median base salary") if any(r["level"] is not None for r in rows) else None
    return {"level_chart": chart, "aligned": _aligned_levels(page)}


def _aligned_levels(page: dict) -> dict | None:
    """The competency's levels and its strong matches' levels in one table: a row per position
    on the 0-100 scale that any of them uses, so that a level faces the levels of the same
    height at the other vendors (levels without a number last)."""
    columns = [dict(page, relation=None, score=None)] + [m for m in page["matches"] if m["relation"] in STRONG][:SIDE_BY_SIDE]
    if not any(c["levels"] for c in columns):
        return None
    positions = sorted({lv["normalized"] for c in columns for lv in c["levels"]}, key=lambda v: (v is None, v))
    rows = [{"position": pos, "cells": [[lv for lv in c["levels"] if lv["normalized"] == pos] for c in columns]} for pos in positions]
    return {"columns": columns, "rows": rows}


def _no_charts(page: dict) -> dict:
    return {}


# kind of page -> (template, path from a page to the site's root, charts drawn for a page)
KINDS = {"roles": ("role.html", "../../", _role_charts), "competencies": ("competency.html", "../../", _competency_charts),
         "esco": ("esco.html", "../", _no_charts)}


def _write_index(con, folder: Path, report: SiteReport) -> None:
    """The search page's index as a script setting one global: `fetch` of a file:// URL is blocked."""
    cur = con.execute(data.SEARCH_INDEX)
    fields = [d[0] for d in cur.description]
    index = {"fields": fields, "rows": cur.fetchall()}
    text = "window.COMPCAT_INDEX = " + json.dumps(index, ensure_ascii=False, separators=(",", ":")) + ";\n"
    _write(folder, "search-index.js", text, report, "index")
    report.pages.pop("index")
