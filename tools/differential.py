"""Differential runs: does a change to the pipeline change what it loads?

    python tools/differential.py corpus DIR              # build the input corpora once
    python tools/differential.py digest DIR OUT.json     # what the importable `pipeline` makes of them
    python tools/differential.py compare A.json B.json   # every input whose result differs

Run `digest` once with the code before a change (for example `PYTHONPATH=/tmp/before`, a
checkout of the previous commit) and once after, on the same corpus, then `compare`.

The corpus: every document in raw/ and tests/fixtures/, the text seeds in every markup of
tests/markup_variants.py, the classes of variation of tests/page_variants.py applied to every
text document, seeded mutations of every text and HTML document (lines deleted,
repeated, swapped, joined, split, cut, junk or invalid bytes inserted: the variation real
saved pages have), and a slice of the benchmark's generated corpus (tools/corpus.py).

Two levels are compared: each input's parse result (status, error, warnings, title and every
row, through `pipeline.parse.parse_path`), and the catalog an ingest builds of each corpus
folder (each table's Parquet file; the load stamps excepted).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = {".html", ".htm", ".txt", ".pdf", ".mhtml", ".mht", ".webarchive"}
MUTANTS_PER_FILE = 250
LOAD_STAMPS = {"documents": ("ingested_at", "load_id")}


# -- the corpus ------------------------------------------------------------------------------


def _documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())


def _mutant(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["delete", "repeat", "swap", "join", "split", "cut", "junk", "bad_byte", "drop_span"])
        i = rng.randrange(len(lines))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "repeat":
            lines.insert(i, lines[i])
        elif kind == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif kind == "join" and i + 1 < len(lines):
            lines[i:i + 2] = [lines[i] + b" " + lines[i + 1]]
        elif kind == "split" and len(lines[i]) > 2:
            at = rng.randrange(1, len(lines[i]))
            lines[i:i + 1] = [lines[i][:at], lines[i][at:]]
        elif kind == "cut":
            text = b"\n".join(lines)
            lines = text[:rng.randrange(len(text) + 1)].split(b"\n")
        elif kind == "junk":
            lines.insert(i, rng.choice([b"Related Jobs", b"Level 3", b"Proficiency Level - 4", b"Skill definition", b"$45,000",
                                        b"Job Code:", b"Advertisement", b"Interview Questions", b"Key Behaviors:", b"\xe2\x80\xa2 item"]))
        elif kind == "bad_byte":
            line = lines[i]
            at = rng.randrange(len(line) + 1)
            lines[i] = line[:at] + rng.choice([b"\xff", b"\xc3", b"\x00", b"\xe2\x80"]) + line[at:]
        elif kind == "drop_span":
            line = lines[i]
            a = rng.randrange(len(line) + 1)
            lines[i] = line[:a] + line[a + rng.randint(1, 12):]
    return b"\n".join(lines)


def build_corpus(out: Path, bench_pages: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT / "tools"))
    from markup_variants import MARKUPS, render

    real = [*_documents(ROOT / "raw"), *_documents(ROOT / "tests" / "fixtures")]
    for src in real:
        dest = out / "documents" / src.relative_to(ROOT)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(src.read_bytes())
    for src in _documents(ROOT / "tests" / "fixtures" / "text"):
        for markup in (*MARKUPS, "page_furniture"):
            dest = out / "markups" / markup / f"{src.stem}.html"
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(render(src.read_text(encoding="utf-8"), markup))
    from page_variants import variants

    for src in real:  # each class of variation of tests/page_variants.py that applies to the page
        if src.suffix.lower() == ".txt":
            for kind, changed in variants(src.read_text(encoding="utf-8", errors="replace")).items():
                dest = out / "variants" / kind / src.parent.name / src.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(changed, encoding="utf-8")
    rng = random.Random(20261204)
    for src in real:
        if src.suffix.lower() == ".pdf":
            continue
        data = src.read_bytes()
        for n in range(MUTANTS_PER_FILE):
            dest = out / "mutants" / src.parent.name / f"{src.stem}.{n:03d}{src.suffix}"
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(_mutant(rng, data))
    from corpus import generate

    generate(out / "bench", salary=bench_pages, kenexa=bench_pages // 4, caliper=max(2, bench_pages // 50))


# -- digests ---------------------------------------------------------------------------------


def _rows(res) -> dict:
    tables = res.table_rows() if hasattr(res, "table_rows") else res.rows
    return {name: rows for name, rows in sorted(tables.items()) if rows}


def _json_default(value):
    return str(value)


def _digest_one(path: str) -> tuple[str, str, dict]:
    from pipeline.parse import parse_path

    res = parse_path(path)
    view = {
        "status": res.status, "error": res.error, "vendor": res.vendor, "format": res.format, "title": res.title,
        "title_source": res.title_source, "page_count": res.page_count, "parser_version": res.parser_version,
        "warnings": [list(w) for w in res.warnings], "rows": _rows(res),
    }
    text = json.dumps(view, sort_keys=True, default=_json_default)
    return path, hashlib.sha256(text.encode()).hexdigest(), view


def _catalog_digest(folder: Path) -> dict[str, str]:
    import pyarrow.parquet as pq

    from pipeline.ingest import ingest

    with tempfile.TemporaryDirectory() as out:
        ingest([str(folder)], out, workers=2)  # the process pool, and on the bench folder the offloaded crosswalk
        digests = {}
        for f in sorted(Path(out, "parquet").glob("*.parquet")):
            table = f.stem
            if table == "loads":
                continue
            if table in LOAD_STAMPS:
                arrow = pq.read_table(f).drop_columns(list(LOAD_STAMPS[table]))
                digests[table] = hashlib.sha256(json.dumps(arrow.to_pylist(), default=_json_default).encode()).hexdigest()
            else:
                digests[table] = hashlib.sha256(f.read_bytes()).hexdigest()
        return digests


def _use_code(code: Path) -> None:
    """Import `pipeline` from `code` (a checkout of another commit), not from the editable
    install, whose import hook comes before sys.path. Workers are forked and keep this."""
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
    sys.path.insert(0, str(code))
    import pipeline

    print(f"pipeline from {Path(pipeline.__file__).parent}")


def digest(corpus: Path, out: Path, workers: int) -> None:
    paths = [str(p) for p in _documents(corpus)]
    views = {}
    with ProcessPoolExecutor(workers) as pool:
        results = {path: (sha, view) for path, sha, view in pool.map(_digest_one, paths, chunksize=16)}
    for path, (sha, view) in results.items():
        views[str(Path(path).relative_to(corpus))] = {"sha": sha, "view": view}
    catalogs = {folder.name: _catalog_digest(folder) for folder in sorted(corpus.iterdir()) if folder.is_dir()}
    out.write_text(json.dumps({"inputs": views, "catalogs": catalogs}, default=_json_default), encoding="utf-8")
    print(f"{len(views)} inputs, {len(catalogs)} catalogs -> {out}")


def compare(a: Path, b: Path, show: int) -> int:
    before, after = (json.loads(p.read_text(encoding="utf-8")) for p in (a, b))
    changed = sorted(k for k in before["inputs"].keys() | after["inputs"].keys()
                     if before["inputs"].get(k, {}).get("sha") != after["inputs"].get(k, {}).get("sha"))
    tables = sorted(f"{c}/{t}" for c in before["catalogs"].keys() | after["catalogs"].keys()
                    for t in before["catalogs"].get(c, {}).keys() | after["catalogs"].get(c, {}).keys()
                    if before["catalogs"].get(c, {}).get(t) != after["catalogs"].get(c, {}).get(t))
    by_folder: dict[str, int] = {}
    for k in before["inputs"]:
        by_folder[k.split("/")[0]] = by_folder.get(k.split("/")[0], 0) + 1
    print("inputs: " + ", ".join(f"{n} {folder}" for folder, n in sorted(by_folder.items())))
    print(f"{len(changed)} of {len(before['inputs'])} inputs changed; {len(tables)} catalog tables differ: {', '.join(tables) or 'none'}")
    for k in changed[:show]:
        x, y = before["inputs"].get(k, {}).get("view"), after["inputs"].get(k, {}).get("view")
        print(f"\n== {k}")
        for field in sorted((x or {}).keys() | (y or {}).keys()):
            if (x or {}).get(field) != (y or {}).get(field):
                print(f"  {field}:\n    before {json.dumps((x or {}).get(field))[:600]}\n    after  {json.dumps((y or {}).get(field))[:600]}")
    return 1 if changed or tables else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("corpus")
    c.add_argument("dir", type=Path)
    c.add_argument("--bench-pages", type=int, default=1000)
    d = sub.add_parser("digest")
    d.add_argument("dir", type=Path)
    d.add_argument("out", type=Path)
    d.add_argument("--workers", type=int, default=2)
    d.add_argument("--code", type=Path, help="a checkout whose pipeline/ to run (default: the installed one)")
    k = sub.add_parser("compare")
    k.add_argument("a", type=Path)
    k.add_argument("b", type=Path)
    k.add_argument("--show", type=int, default=10)
    args = ap.parse_args()
    if args.command == "corpus":
        build_corpus(args.dir, args.bench_pages)
        return 0
    if args.command == "digest":
        if args.code:
            _use_code(args.code)
        digest(args.dir, args.out, args.workers)
        return 0
    return compare(args.a, args.b, args.show)


if __name__ == "__main__":
    sys.exit(main())
