"""Where an HTML page's ingest time goes: each stage of parsing a file, timed against the lxml floor.

    python tools/bench_stages.py DIR [DIR ...] [--pages 800]   (also run by `make bench`)

The stages are cumulative, each one what the previous did plus one step of the real code path:
the lxml floor (tree + text, as in the benchmark), the reader's own tree (script bodies cut,
decoded, parsed), + the markup pass (libxslt), + splitting into blocks (read_html), + vendor
detection, the vendor parser, row checks and the content hash (parse_file), + a chunk's columns
and its Parquet files (parse_chunk, reading the files). This machine's speed drifts from one
minute to the next, so every chunk of files (as many as the ingest hands a worker at once)
runs under each stage back to back, the best of three kept per chunk: the differences between
stages are measured under the same conditions.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.pool import CHUNK_FILES as CHUNK  # noqa: E402

STAGES = (
    "lxml floor (tree + text)",
    "reader: tree (scripts cut, decoded, parsed)",
    "+ markup pass (libxslt)",
    "+ blocks (read_html)",
    "+ vendor parser, row checks, hash (parse_file)",
    "+ the chunk's Parquet files (parse_chunk)",
)


def lxml_floor(data: bytes) -> str:
    """The floor every HTML figure is measured against: an lxml tree of the page and its text."""
    return lxml.html.document_fromstring(data).text_content()


def _stage_functions(results_dir: str):
    from pipeline.parse import parse_file
    from pipeline.pool import parse_chunk
    from pipeline.readers import html as reader

    def tree(data: bytes):  # what read_html does before the markup pass
        return reader._parse_tree(reader._cut_script_bodies(data))[0]

    return (
        lambda chunk: [lxml_floor(data) for _, data in chunk],
        lambda chunk: [tree(data) for _, data in chunk],
        lambda chunk: [str(reader._MARKUP(tree(data))) for _, data in chunk],
        lambda chunk: [reader.read_html(data, path) for path, data in chunk],
        lambda chunk: [parse_file(path, data) for path, data in chunk],
        lambda chunk: parse_chunk(tempfile.mkdtemp(dir=results_dir), [path for path, _ in chunk]),  # a new folder: the chunk is written each time
    )


def sample(dirs: list[Path], pages: int) -> list[Path]:
    """About `pages` HTML files, taken from each folder in proportion to its size."""
    per_dir = [sorted(d.glob("*.htm*")) for d in dirs]
    total = sum(len(files) for files in per_dir) or 1
    return [f for files in per_dir for f in files[:max(1, round(pages * len(files) / total)) if files else 0]]


def measure(files: list[Path]) -> dict:
    """Milliseconds per page for each stage, and its ratio to the floor."""
    chunks = []
    for i in range(0, len(files), CHUNK):
        chunks.append([(str(f), f.read_bytes()) for f in files[i:i + CHUNK]])
    totals = [0.0] * len(STAGES)
    with tempfile.TemporaryDirectory() as results_dir:
        functions = _stage_functions(results_dir)
        for fn in functions:  # first call outside the timing: imports, compiled patterns
            fn(chunks[0][:1])
        for chunk in chunks:
            for n, fn in enumerate(functions):
                best = float("inf")
                for _ in range(3):
                    start = time.perf_counter()
                    fn(chunk)
                    best = min(best, time.perf_counter() - start)
                totals[n] += best
    floor = totals[0]
    return {"pages": len(files), "stages": [{"stage": name, "ms_per_page": round(t / len(files) * 1000, 3),
                                             "x_floor": round(t / floor, 2)} for name, t in zip(STAGES, totals)]}


def report(r: dict) -> str:
    lines = [f"where the time goes, {r['pages']} pages in one process (cumulative stages, best of 3 per chunk):"]
    previous = None
    for s in r["stages"]:
        step = "" if previous is None else f"   ({s['ms_per_page'] - previous:+.3f})"
        lines.append(f"  {s['stage']:<48} {s['ms_per_page']:7.3f} ms/page {s['x_floor']:6.2f}x floor{step}")
        previous = s["ms_per_page"]
    return "\n".join(lines)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+", type=Path, help="folders of HTML pages (e.g. a generated corpus's salary_com and kenexa)")
    ap.add_argument("--pages", type=int, default=800)
    a = ap.parse_args()
    print(report(measure(sample(a.dirs, a.pages))))
