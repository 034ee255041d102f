"""Open the catalog site (and other HTML reports) in headless Chromium: no console error, no
request leaving the machine, search finds a competency, every link on a visited page resolves;
a screenshot of each page visited.

    python tools/site_browser.py SITE_DIR --shots normalized/reports/site [--also normalized/reports/*.html]

Driven by Selenium with Debian's ChromeDriver (`tools/install_chromium.sh` installs both):
the driver comes from the same package as the browser, so their versions always agree, and
nothing is downloaded (Playwright would need its own Node driver and is tied to its own
browser builds). Requests to http(s) are blocked in the browser itself, so a page that would
load something from the network shows it as a finding instead of reaching out.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900")
SHOT_HEIGHT = 2400  # screenshots show the top of a long page, up to this many pixels


@dataclass
class PageCheck:
    url: str
    title: str = ""
    heading: str = ""
    console_errors: list[str] = field(default_factory=list)
    network_requests: list[str] = field(default_factory=list)  # requests to anything but a file (all blocked)
    broken_links: list[str] = field(default_factory=list)
    links: int = 0
    screenshot: str | None = None


def available() -> bool:
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


def start_browser(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*", "ws://*", "wss://*"]})
    return driver


def _local_target(href: str) -> Path | None:
    parts = urlsplit(href)
    return Path(unquote(parts.path)) if parts.scheme == "file" else None


def _chart_shots(driver, shots: Path, name: str) -> None:
    """A screenshot of each section holding a chart below what the page's screenshot shows."""
    from selenium.webdriver.common.by import By

    below = [s for s in driver.find_elements(By.CSS_SELECTOR, "section:has(svg.chart)") if s.location["y"] + 200 > SHOT_HEIGHT]
    for i, section in enumerate(below, 1):
        driver.execute_script("arguments[0].scrollIntoView();", section)
        section.screenshot(str(shots / f"{name}-chart{i}.png"))


def _drain_logs(driver, check: PageCheck) -> None:
    check.console_errors += [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent" and message["params"].get("documentURL", "").startswith("file:"):
            url = message["params"]["request"]["url"]
            if not url.startswith(("file:", "data:", "blob:")):
                check.network_requests.append(url)


def visit(driver, url: str, shots: Path | None, name: str) -> PageCheck:
    """Load `url`, wait for it, and check it; its links are checked against the file system."""
    check = PageCheck(url)
    driver.get(url)
    check.title = driver.title
    check.heading = driver.execute_script("var h = document.querySelector('h1'); return h ? h.textContent.trim() : '';")
    hrefs = driver.execute_script("return Array.from(document.querySelectorAll('a[href]'), a => a.href);")
    check.links = len(hrefs)
    check.broken_links = sorted({h for h in hrefs if (target := _local_target(h)) is not None and not target.is_file()})
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
        height = min(int(driver.execute_script("return document.documentElement.scrollHeight;")), SHOT_HEIGHT)
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": max(height, 600), "deviceScaleFactor": 1, "mobile": False})
        check.screenshot = str(shots / f"{name}.png")
        driver.save_screenshot(check.screenshot)
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        _chart_shots(driver, shots, name)
    _drain_logs(driver, check)
    return check


def search(driver, site: Path, words: str, shots: Path | None) -> tuple[PageCheck, list[str]]:
    """Type `words` in the search page's box as a person would; the names of the results shown."""
    from selenium.webdriver.common.by import By

    driver.get((site / "search.html").as_uri())
    _search_ran(driver, "")
    box = driver.find_element(By.ID, "q")
    box.send_keys(words)
    names = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#results li a")]
    check = visit(driver, driver.current_url, shots, "search")  # (the URL now carries the query)
    return check, names


def _search_ran(driver, query: str) -> None:
    """Waits until the search page at `query` has run its script (its count line says something):
    reading the list any sooner can find the previous page's, or none."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "return location.search === arguments[0] && document.getElementById('count').textContent !== ''", query))


def browse(driver, site: Path, params: str) -> list[str]:
    """The search page opened with filters in its address (`kind=competency&vendor=kenexa`), as
    the overview's and the pages' links open it: the names listed."""
    from selenium.webdriver.common.by import By

    driver.get(f"{(site / 'search.html').as_uri()}?{params}")
    _search_ran(driver, f"?{params}")
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#results li a")]


def _shows(page: Path, markers: tuple[str, ...]) -> tuple[int, int]:
    """Sort key: pages showing every marker first, then those with more table rows (up to 3)."""
    text = page.read_text(encoding="utf-8")
    return sum(m not in text for m in markers), -min(text.count("</tr>"), 3)


def pages_to_visit(site: Path) -> dict[str, Path]:
    """The overview, and the first role, competency and ESCO page by name, preferring the pages
    that show most: a role with a salary chart, a competency with its levels beside its matches'."""
    found = {"overview": site / "index.html"}
    for kind, name, showing in (("roles", "role", ("<svg",)), ("competencies", "competency", ("side by side", "<svg")), ("esco", "esco", ("</tr>",))):
        pages = sorted((site / kind).rglob("*.html"))
        pages = sorted(pages, key=lambda p, markers=showing: _shows(p, markers))
        if pages:
            found[name] = pages[0]
    return found


def check_site(site: Path, shots: Path | None, query: str, also: list[Path] = (), filters: list[str] = ()) -> dict:
    with tempfile.TemporaryDirectory(prefix="compcat-chromium-") as profile:
        driver = start_browser(Path(profile))
        try:
            checks = {name: visit(driver, path.as_uri(), shots, name) for name, path in pages_to_visit(site).items()}
            checks["search"], names = search(driver, site, query, shots)
            browsed = {params: browse(driver, site, params) for params in filters}
            _drain_logs(driver, checks["search"])  # (what browsing with filters logged counts with the search page)
            for path in also:
                checks[path.stem] = visit(driver, path.as_uri(), shots, path.stem)
        finally:
            driver.quit()
    return {"checks": checks, "search_results": names, "browsed": browsed}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--shots", type=Path, default=Path("normalized/reports/site"))
    ap.add_argument("--query", default=None, help="what to search for (default: the first competency's name)")
    ap.add_argument("--also", type=Path, nargs="*", default=[], help="other HTML files to open (the notebooks' reports)")
    a = ap.parse_args()
    if not available():
        raise SystemExit("no /usr/bin/chromium or /usr/bin/chromedriver: run tools/install_chromium.sh")
    site = a.site.resolve()
    query = a.query or re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", pages_to_visit(site)["competency"].read_text(encoding="utf-8")).group(1))
    result = check_site(site, a.shots.resolve(), query, [p.resolve() for p in a.also])
    bad = 0
    for name, c in result["checks"].items():
        problems = c.console_errors + c.broken_links + [f"request to {u}" for u in c.network_requests]
        ours = c.url.startswith(site.as_uri())  # (the other HTML files' problems are reported, not failed)
        bad += bool(problems) and ours
        print(f"{'ok  ' if not problems else 'FAIL' if ours else 'warn'} {name}: {c.heading!r}, {c.links} links, screenshot {c.screenshot}")
        for p in problems[:10]:
            print(f"       {p}")
    print(f"search {query!r}: {len(result['search_results'])} result(s): {result['search_results'][:5]}")
    bad += query not in result["search_results"]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
