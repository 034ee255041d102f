"""`compcat site` on the catalog of raw/: a page per role, competency and ESCO concept with what
the catalog holds, links that resolve, a search index, nothing loaded from the network; then the
site opened in headless Chromium (tools/site_browser.py), with screenshots."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import duckdb
import pytest
from conftest import RAW, ROOT
from lxml import html as lxml_html

from pipeline.cli import main

sys.path.insert(0, str(ROOT / "tools"))
import site_browser  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(catalog, site folder, what `compcat site` printed)."""
    out = tmp_path_factory.mktemp("site")
    assert main(["ingest", str(RAW), "--out", str(out / "normalized"), "--quiet"]) == 0  # (partial pages load: exit 0)
    catalog = out / "normalized" / "catalog.duckdb"
    import io
    from contextlib import redirect_stdout

    printed = io.StringIO()
    with redirect_stdout(printed):
        assert main(["site", "--catalog", str(catalog), "--out", str(out / "site")]) == 0
    return catalog, out / "site", printed.getvalue()


def _sql(catalog: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(catalog), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _text(path: Path) -> str:
    """A page's text as a person reads it: tags dropped, white space collapsed."""
    return " ".join(" ".join(lxml_html.fromstring(path.read_bytes()).itertext()).split())


def test_summary_line_counts_every_page(built):
    catalog, site, printed = built
    roles, competencies, esco = _sql(catalog, """SELECT (SELECT count(*) FROM roles_current), (SELECT count(*) FROM competencies),
                                                        (SELECT count(DISTINCT esco_uri) FROM competency_esco)""")[0]
    assert (roles, competencies) == (7, 30)
    assert re.fullmatch(rf"wrote the catalog site to {re.escape(str(site))}: {roles + competencies + esco + 2} pages \({roles} roles, "
                        rf"{competencies} competencies, {esco} esco, overview, search\), \d+\.\d MB, largest page \d+ KB, in \d+\.\d s; "
                        rf"open {re.escape(str(site / 'index.html'))}\n", printed)
    assert len(list((site / "roles").rglob("*.html"))) == roles
    assert len(list((site / "competencies").rglob("*.html"))) == competencies
    assert len(list((site / "esco").glob("*.html"))) == esco


def test_role_page_shows_pay_level_competencies_and_the_matched_role(built):
    _, site, _ = built
    text = _text(site / "roles" / "salary_com" / "client-service-specialist-ii.html")
    assert "Client Service Specialist II" in text and "job level P02" in text and "job code SM15000495" in text
    assert "Base salary (50th percentile) $63,586" in text and "Total cash (50th percentile) $66,040" in text
    assert "general 1 Customer Complaint Resolution 2 · Light Experience 25 shown" in text
    assert "soft 2 Standard Operating Procedures (SOP) 3 · Moderate Experience \"skilled\" 50 shown" in text
    assert "general 4 locked on the page (name not given) not given (the placeholder shows 4) locked" in text
    assert "Client Service Specialist caliper close 0.90" in text  # the same job at another vendor
    page = lxml_html.fromstring((site / "roles" / "salary_com" / "client-service-specialist-ii.html").read_bytes())
    assert "../../roles/caliper/client-service-specialist.html" in page.xpath("//a/@href")
    partial = _text(site / "roles" / "salary_com" / "software-engineer-ii.html")
    assert "partial page: its competency list is incomplete" in partial and "truncated" in partial


def test_competency_page_lines_up_levels_with_its_matches_and_lists_anchors(built):
    catalog, site, _ = built
    page = site / "competencies" / "caliper" / "accountability.html"
    text = _text(page)
    assert "Accountability caliper · Self-Management · required by 1 role(s)" in text
    assert "They take responsibility for their own performance" in text
    # A competency's levels face its strong matches' levels of the same height: Kenexa's four at
    # 0, 33, 67 and 100, Salary.com's five (its exact match) at 0, 25, 50, 75 and 100.
    interaction = lxml_html.fromstring((site / "competencies" / "kenexa" / "customer-interaction.html").read_bytes())
    rows = [" ".join(" ".join(tr.itertext()).split()) for tr in interaction.xpath("//table[@class='aligned']/tbody/tr")]
    assert [r.split(" ")[0] for r in rows] == ["0", "25", "33", "50", "67", "75", "100"]
    assert rows[2].startswith("33 Level 2: Working experience Provides first line of customer support.")
    assert rows[1].startswith("25 Level 2: Light Experience Follows the regulations and policies governing customer interactions.")
    anchors = _sql(catalog, """SELECT e.preferred_label FROM competency_esco a JOIN esco_concepts e USING (esco_uri)
                               WHERE competency_id = 'caliper:accountability' ORDER BY rank""")
    assert anchors and all(f"{rank} {label}" in text for rank, (label,) in enumerate(anchors, 1))
    kenexa = lxml_html.fromstring((site / "competencies" / "kenexa" / "unnamed-1856d8dbafc6.html").read_bytes())
    assert kenexa.findtext(".//h1") == "kenexa:unnamed-1856d8dbafc6"  # its page gives no name: shown by its id, never "None"
    assert "Level 4: Subject matter depth and breadth Sets clear expectations of self and team." in " ".join(" ".join(kenexa.itertext()).split())
    nih = _text(site / "competencies" / "nih" / "federal-budget-process.html")
    assert "Behaviors (no level)" in nih


def test_esco_page_lists_the_competencies_anchored_to_it(built):
    catalog, site, _ = built
    uri, label, name = _sql(catalog, """SELECT a.esco_uri, e.preferred_label, c.name FROM competency_esco a JOIN esco_concepts e USING (esco_uri)
                                        JOIN competencies c USING (competency_id) WHERE a.competency_id = 'kenexa:service-excellence' AND rank = 1""")[0]
    text = _text(site / "esco" / f"{uri.rsplit('/', 1)[1]}.html")
    assert text.count(label) >= 2 and f"{name} kenexa" in text and uri in text


def test_overview_has_vendors_statuses_coverage_and_warnings(built):
    _, site, _ = built
    text = _text(site / "index.html")
    assert "12 documents, 6 ok, 6 partial, 0 failed" in text
    assert "salary_com 6 3 3 0 6 15 87 20 23%" in text  # documents, ok, partial, failed, roles, competencies, declared, extracted, coverage
    assert "truncated 6 6 page stops part-way" in text
    svg = (site / "index.html").read_text(encoding="utf-8")
    assert svg.count("<svg") == 2 and "<title>3 partial</title>" in svg


def _local_links(page: Path) -> list[str]:
    tree = lxml_html.fromstring(page.read_bytes())
    return [v for v in tree.xpath("//a/@href | //link/@href | //script/@src | //img/@src") if not urlsplit(v).scheme]


def test_every_link_of_every_page_resolves_and_nothing_comes_from_the_network(built):
    _, site, _ = built
    pages = sorted(site.rglob("*.html"))
    broken = []
    for page in pages:
        tree = lxml_html.fromstring(page.read_bytes())
        assert not tree.xpath("//script/@src[contains(., '//')] | //link/@href[contains(., '//')] | //img/@src[contains(., '//')]"), page
        for href in _local_links(page):
            target = (page.parent / unquote(urlsplit(href).path)).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert broken == [] and len(pages) > 100


def test_search_index_holds_every_role_and_competency(built):
    catalog, site, _ = built
    text = (site / "search-index.js").read_text(encoding="utf-8")
    assert text.startswith("window.COMPCAT_INDEX = ") and text.endswith(";\n")
    index = json.loads(text[len("window.COMPCAT_INDEX = "):-2])
    assert index["fields"] == ["kind", "name", "vendor", "href", "detail", "words"]
    names = {(r[0], r[1]) for r in index["rows"]}
    assert {("competency", n) for (n,) in _sql(catalog, "SELECT coalesce(name, competency_id) FROM competencies")} <= names
    assert {("role", t) for (t,) in _sql(catalog, "SELECT title FROM roles_current")} <= names
    assert all((site / r[3]).is_file() for r in index["rows"])


def test_a_rebuild_replaces_the_site_and_a_foreign_folder_is_refused(built, tmp_path, capsys):
    catalog, _, _ = built
    site = tmp_path / "site"
    assert main(["site", "--catalog", str(catalog), "--out", str(site)]) == 0
    stale = site / "roles" / "salary_com" / "gone.html"
    stale.write_text("old", encoding="utf-8")
    assert main(["site", "--catalog", str(catalog), "--out", str(site)]) == 0
    assert not stale.exists() and (site / "index.html").is_file()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep", encoding="utf-8")
    capsys.readouterr()
    assert main(["site", "--catalog", str(catalog), "--out", str(mine)]) == 2
    assert capsys.readouterr().err == f"error: {mine} is not empty and holds no site written by compcat; choose another --out\n"
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"] and not list(tmp_path.glob(".mine.partial-*"))


def _needs_chromium():
    if not site_browser.available():
        if os.environ.get("CI"):
            pytest.fail("no Chromium in CI: .ci/run installs it with tools/install_chromium.sh")
        pytest.skip("no /usr/bin/chromium and /usr/bin/chromedriver (tools/install_chromium.sh installs them)")


def test_site_in_headless_chromium(built, tmp_path):
    """Pages render without console errors or network requests, search finds a competency by
    typing, every link on the pages visited resolves; a page with a script error is caught (the
    check can fail). The notebooks, run on the same catalog and written as HTML as `make notebooks`
    writes them, are opened too: no console error, no request, no broken link."""
    _needs_chromium()
    catalog, site, _ = built
    broken = tmp_path / "broken.html"
    broken.write_text("<!doctype html><title>b</title><h1>b</h1><script>no_such_function();</script>", encoding="utf-8")
    notebooks = _notebooks_as_html(catalog, tmp_path / "reports")
    shots = tmp_path / "shots"
    result = site_browser.check_site(site, shots, "Federal Budget", [broken, *notebooks], filters=["kind=competency&vendor=kenexa", "kind=role&detail=P01"])
    checks = result["checks"]
    assert result["search_results"] == ["Federal Budget Process"]
    assert result["browsed"] == {"kind=competency&vendor=kenexa": [n for (n,) in _sql(catalog, "SELECT coalesce(name, competency_id) AS n FROM competencies WHERE vendor = 'kenexa' ORDER BY n")],
                                 "kind=role&detail=P01": ["Database Administrator I", "Network Administrator I"]}
    visited = site_browser.pages_to_visit(site)
    assert sorted(visited) == ["competency", "esco", "overview", "role"] and checks["search"].heading == "Search and browse"
    assert all(checks[name].heading == lxml_html.fromstring(path.read_bytes()).findtext(".//h1") for name, path in visited.items())
    for name in ("overview", "role", "competency", "esco", "search"):
        c = checks[name]
        assert (c.console_errors, c.network_requests, c.broken_links) == ([], [], []), name
        assert c.links >= 5 and c.title.endswith("· competency catalog")
        assert Path(c.screenshot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert any("no_such_function is not defined" in e for e in checks["broken"].console_errors)
    for path in notebooks:
        assert (checks[path.stem].console_errors, checks[path.stem].network_requests, checks[path.stem].broken_links) == ([], [], []), path.name
        assert checks[path.stem].heading.startswith(("Salary versus required proficiency", "Comparing competency frameworks"))


def _notebooks_as_html(catalog: Path, out: Path) -> list[Path]:
    """Both notebooks run on `catalog` and written with the template `make notebooks` uses."""
    from nbconvert import HTMLExporter
    from test_notebooks import NOTEBOOKS, execute

    out.mkdir()
    exporter = HTMLExporter(template_file=str(ROOT / "notebooks" / "offline.html.j2"))
    for path in NOTEBOOKS:
        body, _ = exporter.from_notebook_node(execute(path, catalog))
        (out / f"{path.stem}.html").write_text(body, encoding="utf-8")
    return sorted(out.glob("*.html"))


def test_charts_stay_bounded_however_many_rows():
    """A chart draws at most charts.MAX_ROWS rows, so its size and its text labels are bounded."""
    from pipeline.site import charts

    many = [{"label": f"L{i:03d}", "q": [50_000.0 + i, 60_000.0 + i, 70_000.0 + i], "roles": i + 1, "level": i, "median_base": 1.0,
             "vendor": f"v{i}", "ok": i, "partial": 0, "failed": 1} for i in range(500)]
    for svg in (charts.pay_ranges(many, "t", marker=55_000.0), charts.level_bars(many, "t"), charts.status_bars(many, "t")):
        height = int(re.search(r'height="(\d+)"', svg).group(1))
        assert svg.count("<text") <= 3 * charts.MAX_ROWS + 3 and height <= 40 + charts.MAX_ROWS * charts.ROW + 200
    assert "L024" in charts.pay_ranges(many, "t") and "L025" not in charts.pay_ranges(many, "t")


def test_the_site_of_10000_roles_has_a_page_for_each_and_every_page_stays_small(synthetic_10000_roles, tmp_path, capsys):
    """The site of a large catalog (10,000 SYNTHETIC roles): one page per role, competency and
    ESCO concept, none of them growing with the catalog (lists and charts are bounded)."""
    site = tmp_path / "site"
    assert main(["site", "--catalog", str(synthetic_10000_roles), "--out", str(site)]) == 0
    (roles, competencies), = _sql(synthetic_10000_roles, "SELECT (SELECT count(*) FROM roles_current), (SELECT count(*) FROM competencies)")
    assert roles == 10000
    assert len(list((site / "roles").rglob("*.html"))) == roles
    assert len(list((site / "competencies").rglob("*.html"))) == competencies
    largest = {kind: max(p.stat().st_size for p in (site / kind).rglob("*.html")) for kind in ("roles", "competencies")}
    assert largest["roles"] < 16_000 and largest["competencies"] < 48_000, largest
    assert (site / "index.html").stat().st_size < 32_000
    assert (site / "search-index.js").stat().st_size < 3_000_000
