"""`make site-10k`: `compcat site` on a generated catalog of 10,000 roles, timed, with its page
sizes, then opened in headless Chromium (tools/site_browser.py).

    python tools/site_bench.py [--roles 10000] [--work /tmp/compcat-site-bench] [--limit 30]

The corpus (10,000 Salary.com job pages and 300 Kenexa competency pages from tools/corpus.py, as
`make bench` makes them) and its catalog are kept in --work while the generator and the
pipeline's code are unchanged. The site is built by the CLI in a fresh process and timed
wall-clock, into a new folder and again over that site; exit status 1 when either takes longer than --limit seconds or the browser finds a
problem. Writes normalized/reports/site_bench.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


def digest(paths: list[Path]) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in paths)).hexdigest()[:8]


def catalog(work: Path, roles: int) -> Path:
    import corpus

    generator = digest([ROOT / "tools" / f for f in ("corpus.py", "render_html.py")])
    folder = work / f"corpus_{roles}_{generator}"
    if not (folder / "expected.json").exists():
        print(f"generating {roles:,} Salary.com pages in {folder} ...", flush=True)
        corpus.generate(folder, salary=roles, kenexa=300, caliper=0, seed=2026)
    ingest_code = [p for p in sorted((ROOT / "pipeline").rglob("*.py")) if p.relative_to(ROOT / "pipeline").parts[0] != "site"]
    out = work / f"catalog_{roles}_{generator}_{digest(ingest_code)}"
    if not (out / "catalog.duckdb").exists():
        print(f"ingesting into {out} ...", flush=True)
        subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(folder), "--out", str(out), "--quiet"], cwd=ROOT, check=True)
    return out / "catalog.duckdb"


def sizes(site: Path) -> dict:
    out = {}
    for kind in ("roles", "competencies", "esco"):
        pages = sorted(p.stat().st_size for p in (site / kind).rglob("*.html"))
        if pages:
            out[kind] = {"pages": len(pages), "median_kb": round(statistics.median(pages) / 1024, 1), "max_kb": round(pages[-1] / 1024, 1),
                         "total_mb": round(sum(pages) / 2**20, 1)}
    for name in ("index.html", "search.html", "search-index.js"):
        out[name] = {"kb": round((site / name).stat().st_size / 1024, 1)}
    out["site_mb"] = round(sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20, 1)
    return out


def build(db: Path, site: Path) -> float:
    """`compcat site` in a fresh process, timed wall-clock."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pipeline", "site", "--catalog", str(db), "--out", str(site)], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    print(proc.stdout.strip() or proc.stderr.strip())
    if proc.returncode:
        raise SystemExit(f"compcat site failed with exit status {proc.returncode}")
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--roles", type=int, default=10000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/compcat-site-bench"))
    ap.add_argument("--limit", type=float, default=30.0, help="seconds the build may take")
    ap.add_argument("--out", type=Path, default=ROOT / "normalized" / "reports" / "site_bench.json")
    a = ap.parse_args()
    db = catalog(a.work, a.roles)
    site = a.work / "site"
    shutil.rmtree(site, ignore_errors=True)
    seconds = build(db, site)  # into a new folder
    rebuild = build(db, site)  # over the previous site, which it replaces (removing its files)
    result = {"roles": a.roles, "seconds": round(seconds, 2), "rebuild_seconds": round(rebuild, 2), "limit_seconds": a.limit, "sizes": sizes(site)}
    print(json.dumps(result, indent=1))
    browser = subprocess.run([sys.executable, str(ROOT / "tools" / "site_browser.py"), str(site), "--shots", str(a.out.parent / "site_10k")], cwd=ROOT)
    result["browser_ok"] = browser.returncode == 0
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    slowest = max(seconds, rebuild)
    verdict = "met" if slowest < a.limit else "NOT MET"
    print(f"compcat site on {a.roles:,} roles: {seconds:.1f} s into a new folder, {rebuild:.1f} s replacing the previous site, wall-clock in a fresh process "
          f"(target < {a.limit:g} s: {verdict}); "
          f"browser checks {'passed' if result['browser_ok'] else 'FAILED'}; wrote {a.out}")
    sys.exit(0 if slowest < a.limit and result["browser_ok"] else 1)


if __name__ == "__main__":
    main()
