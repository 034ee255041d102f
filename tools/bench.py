"""`make bench`: ingest speed and memory against floors measured in the same round, same files.

    python tools/bench.py [--corpora site,lines] [--scales 2500,10000,40000] [--rounds 3] [--pdf 200]
                          [--one-worker-up-to 10000] [--work DIR] [--out normalized/reports/bench.json]

Every ratio is taken between a floor and an ingest measured back to back in the same round
(never the best of one round against the best of another); each figure is the median of
--rounds rounds, with the lowest and highest. Each floor and ingest runs in a fresh process;
wall time, CPU time (the process and every worker it waited for) and the ingest process's
peak memory (VmHWM) are read. Per corpus and scale, a round measures:
- the floor: reading the bytes (warmed in the page cache first, as the ingests read them) plus
  an lxml tree and its text, one process;
- a full ingest with every core and (up to --one-worker-up-to pages) with 1 worker;
- a no-op re-ingest, and a re-ingest after one page changed (saved again under a new title).
Corpora (tools/corpus.py, seeded, kept under the generator's code hash): "site", pages laid
out as the vendors' sites (4 Salary.com pages to 1 Kenexa page, two-page Caliper PDFs beside
them at the first scale); "lines", every line in a block of its own after a large inline
script, as many Kenexa pages as Salary.com ones. Every timed ingest is checked: all generated
documents loaded 'ok', without warnings. Also: the PDF floor (pdfplumber's words) against
PDF ingests, the analysis views on 100,000 roles, and where an HTML page's time goes
(tools/bench_stages.py). Targets come from the performance issue; the report says which are met.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
PY = sys.executable

from corpus import MARKUPS  # noqa: E402

# Every measured process runs as Python runs on a user's machine: compiled modules kept in
# __pycache__ (an environment with PYTHONDONTWRITEBYTECODE set compiles every module of the
# package again in each process, which a no-op re-ingest would pay at every start).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_ingest(paths: list[str], out: Path, workers: int, fresh: bool = True) -> dict:
    if fresh and out.exists():
        shutil.rmtree(out)
    # The ingest as `python -m pipeline ingest` runs it, timed and its peak memory read from inside.
    code = ("import re, runpy, time\nt = time.perf_counter()\ntry:\n    runpy.run_module('pipeline', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print('BENCH', time.perf_counter() - t, re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([PY, "-c", code, "ingest", *paths, "--out", str(out), "--quiet", "--workers", str(workers)],
                          capture_output=True, text=True, cwd=ROOT, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"ingest failed: {proc.stderr}")
    _, inner, hwm = next(line for line in proc.stdout.splitlines() if line.startswith("BENCH")).split()
    return {"seconds": round(wall, 3), "cpu_seconds": round(cpu, 3), "seconds_in_process": round(float(inner), 3), "peak_rss_mib": round(int(hwm) / 1024, 1)}


def verify(out: Path, expected: dict[str, int]) -> None:
    """What was timed must be right: every generated document loaded 'ok', none missing, no
    warning (the round-trip tests check the rows themselves on a smaller corpus)."""
    import duckdb

    con = duckdb.connect(str(out / "catalog.duckdb"), read_only=True)
    try:
        got = dict(con.execute("SELECT vendor, count(*) FILTER (status = 'ok') FROM documents GROUP BY vendor").fetchall())
        warnings = con.execute("SELECT count(*) FROM parse_warnings").fetchone()[0]
    finally:
        con.close()
    if got != expected or warnings:
        raise SystemExit(f"benchmark ingest into {out} is wrong: documents ok per vendor {got}, expected {expected}; {warnings} warning(s)")


def spread(values: list[float]) -> dict:
    """A figure over rounds: its median, lowest and highest, and every round's value."""
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3), "max": round(max(values), 3), "rounds": values}


def in_fresh_process(code: str, files: list[Path]) -> dict:
    """Run `code` in a new interpreter, as the ingests run: `files` one per line on stdin
    (read into `files` first, each read once to warm the page cache, as the ingests read them
    from memory too), tools/ importable; the code prints one JSON object, returned. A floor
    measured in this process moved 3.6-5.1 s with its state (slowest right after the corpus
    was generated in it)."""
    prelude = "import sys, time, json\nfiles = sys.stdin.read().split('\\n')\nfor f in files: open(f, 'rb').read()\n"
    proc = subprocess.run([PY, "-c", prelude + code], input="\n".join(str(f) for f in files), capture_output=True, text=True, cwd=ROOT,
                          env={**ENV, "PYTHONPATH": str(Path(__file__).resolve().parent)})
    if proc.returncode != 0:
        raise SystemExit(f"floor measurement failed: {proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def html_floor(files: list[Path]) -> dict:
    """Floor 1 (reading the bytes) and floor 2 (that plus an lxml tree and its text)."""
    return in_fresh_process(
        "from bench_stages import lxml_floor\n"
        "t = time.perf_counter(); datas = [open(f, 'rb').read() for f in files]; read = time.perf_counter() - t\n"
        "t = time.perf_counter()\n"
        "for d in datas: lxml_floor(d)\n"
        "print(json.dumps({'read_bytes_seconds': round(read, 3), 'lxml_seconds': round(time.perf_counter() - t + read, 3), 'cpu_seconds': round(time.process_time(), 3)}))\n", files)


def pdf_floor(files: list[Path]) -> dict:
    """pdfplumber's own word extraction of every page."""
    return in_fresh_process(
        "import pdfplumber\n"
        "t = time.perf_counter(); pages = 0\n"
        "for f in files:\n"
        "    with pdfplumber.open(f) as pdf:\n"
        "        for page in pdf.pages:\n"
        "            page.extract_words(); pages += 1\n"
        "print(json.dumps({'pdfplumber_words_seconds': round(time.perf_counter() - t, 3), 'pages': pages}))\n", files)


def views_on_100k_roles(work: Path) -> dict:
    """Fill a catalog with 100,000 generated roles through the real DDL and views; time each view."""
    import duckdb

    from pipeline.load import write_catalog

    db_dir = work / "views_catalog"
    shutil.rmtree(db_dir, ignore_errors=True)
    write_catalog(db_dir, "bench")  # an empty catalog
    con = duckdb.connect(str(db_dir / "catalog.duckdb"))
    con.execute("""
        INSERT INTO documents SELECT 'd' || i, 'p' || i, 'salary_com', 'html', CASE WHEN i % 10 = 0 THEN 'partial' ELSE 'ok' END, NULL,
               'Role ' || i, 'heading', NULL, 'salary_com/1.0', TIMESTAMP '2026-01-01' + INTERVAL (i % 1000) MINUTE, TIMESTAMP '2026-11-01', 'bench'
        FROM range(100000) t(i);
        INSERT INTO roles SELECT 'salary_com:role-' || i, 'salary_com', 'Role ' || i, 'SM' || i, 'P0' || (i % 5), NULL, NULL, NULL, NULL, 20, 'd' || i
        FROM range(100000) t(i);
        INSERT INTO salaries SELECT 'salary_com:role-' || i, k, 50, 40000 + (i * 37) % 200000, 'USD', 'd' || i
        FROM range(100000) t(i), (VALUES ('base'), ('total')) v(k);
        INSERT INTO competencies SELECT 'salary_com:c-' || j, 'salary_com', 'Competency ' || j, 'Definition ' || j, 'general', NULL, NULL FROM range(2000) t(j);
        INSERT INTO competencies SELECT 'kenexa:c-' || j, 'kenexa', 'Competency ' || j, 'Definition ' || j, NULL, NULL, NULL FROM range(300) t(j);
        INSERT INTO competency_matches SELECT 'kenexa:c-' || j, 'salary_com:c-' || (j * 7), 'close', 0.5, 'bench' FROM range(300) t(j);
        INSERT INTO role_competencies
        SELECT 'salary_com:role-' || i, CASE WHEN r <= 2 THEN 'salary_com:c-' || ((i * 13 + r) % 2000) END,
               CASE WHEN r <= 2 THEN 'Competency ' || ((i * 13 + r) % 2000) END, 'general', r,
               CASE WHEN r <= 2 THEN 1 + (i + r) % 5 END, CASE WHEN r <= 2 THEN 25.0 * ((i + r) % 5) END,
               CASE WHEN r > 2 THEN r END, CASE WHEN r <= 2 THEN 'shown' ELSE 'locked' END, NULL, 'd' || i
        FROM range(100000) t(i), range(1, 11) s(r);
        INSERT INTO role_skill_counts SELECT 'salary_com:role-' || i, 'general', 20, 2, 'd' || i FROM range(100000) t(i);
    """)
    from pipeline.views import create_views

    create_views(con)  # materialized views are computed at load: refresh them over the generated rows
    con.execute("CHECKPOINT")
    queries = {
        "role_summary": "SELECT * FROM role_summary",
        "role_summary (one role)": "SELECT * FROM role_summary WHERE role_id = 'salary_com:role-4242'",
        "coverage": "SELECT * FROM coverage",
        "vendor_coverage": "SELECT * FROM vendor_coverage",
        "competency_requirements (one competency)": "SELECT * FROM competency_requirements WHERE competency_id = 'kenexa:c-10'",
        "vendor_match_coverage": "SELECT * FROM vendor_match_coverage",
    }
    out = {}
    for name, sql in queries.items():
        con.sql(sql).to_arrow_table()  # warm; results fetched as Arrow, as a notebook's .df() would
        t = time.perf_counter()
        con.sql(sql).to_arrow_table()
        out[name] = round((time.perf_counter() - t) * 1000, 1)
    con.close()
    return out


def _arguments() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Benchmark the ingest against floors measured in the same round.")
    ap.add_argument("--corpora", default=",".join(MARKUPS), help="comma-separated corpus markups (tools/corpus.py)")
    ap.add_argument("--scales", default="2500,10000,40000", help="comma-separated HTML page counts")
    ap.add_argument("--rounds", type=int, default=3, help="rounds; each figure is their median (with the lowest and highest)")
    ap.add_argument("--pdf", type=int, default=200, help="Caliper job-model PDFs (timed against pdfplumber's floor; 0: none)")
    ap.add_argument("--one-worker-up-to", type=int, default=10000, help="1-worker ingests only up to this many pages")
    ap.add_argument("--work", type=Path, default=Path("/tmp/compcat-bench"), help="scratch folder (corpora are kept while the generator is unchanged)")
    ap.add_argument("--out", type=Path, default=ROOT / "normalized" / "reports" / "bench.json")
    ap.add_argument("--stage-pages", type=int, default=800, help="HTML pages timed stage by stage")
    a = ap.parse_args()
    a.corpora = [c for c in a.corpora.split(",") if c]
    a.scales = sorted(int(n) for n in a.scales.split(","))
    unknown = set(a.corpora) - set(MARKUPS)
    if unknown:
        ap.error(f"unknown corpus {sorted(unknown)}: choose from {', '.join(MARKUPS)}")
    return a


# Kenexa's share of a corpus's HTML pages, by markup.
KENEXA_SHARE = {"site": 0.2, "lines": 0.5}


def corpus_folder(a: argparse.Namespace, markup: str, pages: int, pdfs: int) -> Path:
    """The corpus, generated once and kept under the generator's code: a changed generator
    writes a new one instead of benchmarking pages it would no longer write."""
    import corpus

    generator = hashlib.sha256(b"".join((ROOT / "tools" / f).read_bytes() for f in ("corpus.py", "render_html.py", "render_pdf.py"))).hexdigest()[:8]
    folder = a.work / f"corpus_{markup}_{pages}_{pdfs}_{generator}"
    if not (folder / "expected.json").exists():
        print(f"generating {pages} HTML pages ({markup}) and {pdfs} PDFs in {folder} ...", flush=True)
        kenexa = round(pages * KENEXA_SHARE[markup])
        corpus.generate(folder, salary=pages - kenexa, kenexa=kenexa, caliper=pdfs, seed=2026, markup=markup)
    return folder


@contextlib.contextmanager
def one_page_changed(page: Path):
    """The page saved again under another job title (a changed file, same name), then put back."""
    import re

    original, times = page.read_bytes(), page.stat()
    title = re.search(rb"Skills &(?:amp;)? Competencies for ([^<]+)<", original).group(1).strip()
    _replace(page, original.replace(title, title + b" Changed"))
    try:
        yield
    finally:
        _replace(page, original)
        os.utime(page, ns=(times.st_atime_ns, times.st_mtime_ns))  # as generated: the next round's no-op sees no change


def _replace(path: Path, data: bytes) -> None:
    """Whole or not at all: a corpus is kept between runs, and an interrupted write would leave a page no round expects."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def html_rounds(a: argparse.Namespace, folder: Path, cores: int) -> dict:
    """Floor and ingests of one corpus, back to back in each round; medians over the rounds."""
    dirs = [str(folder / "salary_com"), str(folder / "kenexa")]
    files = sorted(folder.glob("salary_com/*.html")) + sorted(folder.glob("kenexa/*.html"))
    expected = {v: n for v in ("salary_com", "kenexa") if (n := len(list(folder.glob(f"{v}/*.html"))))}
    one_worker = len(files) <= a.one_worker_up_to
    values: dict[str, list[float]] = {}

    def keep(name: str, value: float) -> None:
        values.setdefault(name, []).append(round(value, 3))

    for n in range(1, a.rounds + 1):
        print(f"  round {n}/{a.rounds}: floor, ingest with {cores} workers{', with 1' if one_worker else ''}, no-op and one-page re-ingests ...", flush=True)
        floor = html_floor(files)
        full = run_ingest(dirs, a.work / "out_n", cores)
        verify(a.work / "out_n", expected)
        noop = run_ingest(dirs, a.work / "out_n", cores, fresh=False)
        with one_page_changed(files[0]):
            changed = run_ingest(dirs, a.work / "out_n", cores, fresh=False)
            verify(a.work / "out_n", expected)
        keep("floor_seconds", floor["lxml_seconds"])
        keep("floor_cpu_seconds", floor["cpu_seconds"])
        keep("ingest_seconds", full["seconds"])
        keep("ingest_cpu_seconds", full["cpu_seconds"])
        keep("ingest_peak_rss_mib", full["peak_rss_mib"])
        keep("ingest_vs_floor", full["seconds"] / floor["lxml_seconds"])
        keep("noop_seconds", noop["seconds"])
        keep("full_vs_noop", full["seconds"] / noop["seconds"])
        keep("one_changed_seconds", changed["seconds"])
        keep("one_changed_share_of_full", changed["seconds"] / full["seconds"])
        if one_worker:
            one = run_ingest(dirs, a.work / "out_1", 1)
            verify(a.work / "out_1", expected)
            keep("ingest_1_worker_seconds", one["seconds"])
            keep("ingest_1_worker_cpu_seconds", one["cpu_seconds"])
            keep("ingest_1_worker_vs_floor", one["seconds"] / floor["lxml_seconds"])
            keep("parallel_speedup", one["seconds"] / full["seconds"])
    mib = sum(f.stat().st_size for f in files) / 2**20
    return {"pages": len(files), "mib": round(mib, 1), **{name: spread(v) for name, v in values.items()}}


def pdf_rounds(a: argparse.Namespace, folder: Path, cores: int) -> dict:
    pdfs = sorted(folder.glob("caliper/*.pdf"))
    values: dict[str, list[float]] = {}
    pages = 0
    for n in range(1, a.rounds + 1):
        print(f"  round {n}/{a.rounds}: pdfplumber floor and PDF ingests over {len(pdfs)} files ...", flush=True)
        floor = pdf_floor(pdfs)
        pages = floor["pages"]
        for workers, name in ((1, "ingest_1_worker"), (cores, "ingest")):
            run = run_ingest([str(folder / "caliper")], a.work / f"out_pdf_{workers}", workers)
            verify(a.work / f"out_pdf_{workers}", {"caliper": len(pdfs)})
            values.setdefault(f"{name}_seconds", []).append(run["seconds"])
            values.setdefault(f"{name}_vs_floor", []).append(round(run["seconds"] / floor["pdfplumber_words_seconds"], 3))
            values.setdefault(f"{name}_peak_rss_mib", []).append(run["peak_rss_mib"])
        values.setdefault("floor_seconds", []).append(floor["pdfplumber_words_seconds"])
    return {"pdfs": len(pdfs), "pages": pages, **{name: spread(v) for name, v in values.items()}}


def targets(r: dict) -> list[tuple[str, str, bool]]:
    """(target, the measured medians, met) for every corpus: each scale's ratios, memory
    growth, incremental re-ingests at the largest scale."""
    out = []
    for markup, scales in r["html"].items():
        sizes = sorted(scales, key=int)
        for size in sizes:
            f = scales[size]
            out.append((f"{markup} {int(size):,} pages: full ingest, {r['machine']['cores']} workers <= 1.6x the lxml floor",
                        _fmt(f["ingest_vs_floor"], "x"), f["ingest_vs_floor"]["median"] <= 1.6))
            if "ingest_1_worker_vs_floor" in f:
                out.append((f"{markup} {int(size):,} pages: full ingest, 1 worker <= 2.5x the lxml floor",
                            _fmt(f["ingest_1_worker_vs_floor"], "x"), f["ingest_1_worker_vs_floor"]["median"] <= 2.5))
        largest = scales[sizes[-1]]
        if "10000" in scales and "40000" in scales:
            growth = scales["40000"]["ingest_peak_rss_mib"]["median"] / scales["10000"]["ingest_peak_rss_mib"]["median"]
            out.append((f"{markup}: peak memory at 40,000 pages <= 1.3x that at 10,000 (median over median)", f"{growth:.2f}x", growth <= 1.3))
        if "100000" in scales:
            peak = scales["100000"]["ingest_peak_rss_mib"]["median"]
            out.append((f"{markup}: peak memory at 100,000 pages under 1 GiB", f"{peak:.0f} MiB", peak < 1024))
        changed, share = largest["one_changed_seconds"], largest["one_changed_share_of_full"]
        out.append((f"{markup} {int(sizes[-1]):,} pages: one changed file re-ingested in under 1 s or 5% of the full ingest",
                    f"{_fmt(changed, ' s')}, {share['median']:.1%}", changed["median"] < 1 or share["median"] < 0.05))
        out.append((f"{markup} {int(sizes[-1]):,} pages: no-op re-ingest >= 100x faster than the full ingest",
                    _fmt(largest["full_vs_noop"], "x"), largest["full_vs_noop"]["median"] >= 100))
    if r.get("views_ms_100k_roles"):
        slowest = max(r["views_ms_100k_roles"].values())
        out.append(("analysis views < 200 ms on 100,000 roles", f"{slowest:.0f} ms", slowest < 200))
    return out


def _fmt(figure: dict, unit: str) -> str:
    return f"{figure['median']:.2f}{unit} [{figure['min']:.2f}, {figure['max']:.2f}]"


def main() -> None:
    a = _arguments()
    import bench_stages

    cores = os.cpu_count() or 1
    r: dict = {"date": time.strftime("%Y-%m-%d"), "machine": {"cores": cores, "python": platform.python_version(),
                                                              "platform": platform.platform(), "cpu": _cpu_name()},
               "rounds": a.rounds, "html": {}}
    first_site = None
    for markup in a.corpora:
        for pages in a.scales:
            pdfs = a.pdf if markup == "site" and first_site is None else 0
            folder = corpus_folder(a, markup, pages, pdfs)
            first_site = first_site or (folder if markup == "site" else None)
            print(f"{markup} corpus, {pages:,} HTML pages:", flush=True)
            r["html"].setdefault(markup, {})[str(pages)] = html_rounds(a, folder, cores)
    if first_site is not None and a.pdf:
        print("PDF:", flush=True)
        r["pdf"] = pdf_rounds(a, first_site, cores)
    print("views on 100,000 roles ...", flush=True)
    r["views_ms_100k_roles"] = views_on_100k_roles(a.work)
    sample_from = first_site or folder
    print(f"stages of an HTML page's parse, {a.stage_pages} pages ...", flush=True)
    r["html_stages"] = bench_stages.measure(bench_stages.sample([sample_from / "salary_com", sample_from / "kenexa"], a.stage_pages))
    met = targets(r)
    r["targets"] = [{"target": name, "measured": measured, "met": ok} for name, measured, ok in met]
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(r, indent=1) + "\n", encoding="utf-8")
    print(report(r, met))
    print(f"\nwrote {a.out}")


def report(r: dict, met: list[tuple[str, str, bool]]) -> str:
    """What `make bench` prints: medians [lowest, highest] of the rounds."""
    m = r["machine"]
    lines = ["", f"{r['date']}, {m['cpu']}, {m['cores']} cores, Python {m['python']}; medians of {r['rounds']} rounds [lowest, highest]"]
    for markup, scales in r["html"].items():
        for size, f in scales.items():
            lines.append(f"{markup}, {int(size):,} HTML pages ({f['mib']:,.0f} MiB):")
            lines.append(f"  lxml floor (1 process)        {_fmt(f['floor_seconds'], ' s')}")
            lines.append(f"  ingest, {m['cores']} workers             {_fmt(f['ingest_seconds'], ' s')}  {_fmt(f['ingest_vs_floor'], 'x floor')}"
                         f"  CPU {f['ingest_cpu_seconds']['median']:.2f} s  peak {f['ingest_peak_rss_mib']['median']:.0f} MiB")
            if "ingest_1_worker_seconds" in f:
                lines.append(f"  ingest, 1 worker              {_fmt(f['ingest_1_worker_seconds'], ' s')}  {_fmt(f['ingest_1_worker_vs_floor'], 'x floor')}"
                             f"  parallel speedup {_fmt(f['parallel_speedup'], 'x')}")
            lines.append(f"  no-op re-ingest               {_fmt(f['noop_seconds'], ' s')}  full / no-op {_fmt(f['full_vs_noop'], 'x')}")
            lines.append(f"  one page changed              {_fmt(f['one_changed_seconds'], ' s')}")
    if "pdf" in r:
        p = r["pdf"]
        lines.append(f"PDF, {p['pdfs']} files, {p['pages']} pages:")
        lines.append(f"  pdfplumber floor              {_fmt(p['floor_seconds'], ' s')}")
        lines.append(f"  ingest, 1 worker              {_fmt(p['ingest_1_worker_seconds'], ' s')}  {_fmt(p['ingest_1_worker_vs_floor'], 'x floor')}")
        lines.append(f"  ingest, {m['cores']} workers             {_fmt(p['ingest_seconds'], ' s')}  {_fmt(p['ingest_vs_floor'], 'x floor')}")
    lines += [f"  view {name:<42} {ms:7.1f} ms" for name, ms in r["views_ms_100k_roles"].items()]
    import bench_stages

    lines += ["", bench_stages.report(r["html_stages"]), ""]
    lines += [f"  [{'met' if ok else 'NOT MET':>7}] {name}: {measured}" for name, measured, ok in met]
    return "\n".join(lines)


def _cpu_name() -> str:
    try:
        return next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or "unknown"


if __name__ == "__main__":
    main()
