"""Fuzz the command line with mutated real pages: crashes, hangs and invented values; and kill
ingests at random moments.

    python tools/fuzz.py [--mutants 3000] [--kills 20] [--seed 22] [--work DIR]      (`make fuzz`)

Mutates the real pages of raw/ and tests/fixtures/real/ (text and HTML: lines deleted, repeated,
swapped, joined, split, cut, junk lines and invalid bytes inserted; tools/differential.py's
mutator), ingests them all with `compcat ingest` in a process of its own, bounded in time, and
checks:
- crash: an exit status other than 0 or 1, a traceback, or a `parser_error` / `invalid_rows` /
  `unreadable` row (a bug in the pipeline, not in the page);
- hang: the ingest did not finish in its time bound (each file has --file-timeout too);
- invented value: a loaded name, definition, behavior, question, title, summary or other text
  whose words are not in the page, or a salary whose amount the page does not write.
Then (--kills) it ingests the mutants again over a catalog of raw/, killing the ingest (kill
-9) at random moments of its run: each time, the catalog must be the previous one byte for
byte (every file of its load), or, when the kill came after the atomic switch, the new one,
whole. Exit status 1 when anything is found; the report lists it.
"""

from __future__ import annotations

import argparse
import html
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from differential import _mutant  # noqa: E402

TEXT_COLUMNS = {
    "roles": ("title", "summary", "responsibilities", "job_code", "job_level", "education", "reports_to"),
    "competencies": ("name", "definition", "notes"),
    "behaviors": ("text",), "interview_questions": ("text",), "related_titles": ("title",), "role_behaviors": ("text",),
    "competency_levels": ("label",), "role_competencies": ("competency_name",),
}
BUGS = ("parser_error", "invalid_rows", "unreadable")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", _INVISIBLE.sub("", text)).strip()


def _visible(data: bytes, name: str) -> str:
    """The page's text as a reader may decode it: as UTF-8, and (a mutated byte can make a page
    read as windows-1252) as windows-1252."""
    return _visible_as(data.decode("utf-8", "replace"), name) + " " + _visible_as(data.decode("cp1252", "replace"), name)


def _visible_as(text: str, name: str) -> str:
    if name.endswith(".html"):
        import lxml.html

        try:
            nodes = "".join(lxml.html.document_fromstring(text).itertext())
        except Exception:  # a mutant the tree builder refuses: its raw text stands
            nodes = ""
        text = html.unescape(text) + " " + nodes
    return _norm(text)


def mutants(folder: Path, count: int, seed: int) -> dict[str, bytes]:
    pages = sorted(p for base in (ROOT / "raw", ROOT / "tests" / "fixtures" / "real") for p in base.rglob("*")
                   if p.suffix in (".txt", ".html") and p.is_file())
    rng = random.Random(seed)
    written = {}
    for n in range(count):
        page = pages[n % len(pages)]
        data = _mutant(rng, page.read_bytes())
        path = folder / f"{n:05d}-{page.stem}{page.suffix}"
        path.write_bytes(data)
        written[str(path)] = data
    return written


def invented(con, inputs: dict[str, bytes]) -> list[str]:
    """Loaded text whose words are not in its document, and salaries the page does not write."""
    found = []
    paths = dict(con.execute("SELECT document_id, path FROM documents").fetchall())
    visible: dict[str, str] = {}

    def source(doc: str) -> str:
        return visible.setdefault(paths[doc], _visible(inputs[paths[doc]], paths[doc]))

    # Competencies and their levels are merged across documents: a value may come from any
    # document that gives the competency.
    docs_of: dict[str, set[str]] = {}
    for table in ("behaviors", "role_competencies", "interview_questions", "related_titles", "competency_aliases"):
        for cid, doc in con.execute(f"SELECT DISTINCT competency_id, document_id FROM {table} WHERE competency_id IS NOT NULL").fetchall():
            docs_of.setdefault(cid, set()).add(doc)
    from pipeline.ids import competency_id

    for doc, vendor, title in con.execute("SELECT document_id, vendor, title FROM documents WHERE title IS NOT NULL AND vendor IS NOT NULL").fetchall():
        docs_of.setdefault(competency_id(vendor, title), set()).add(doc)  # a one-competency page is titled with its name
    # A competency without a name is known by its rows only: a page that gave it nothing but a
    # value merged into it (its notes) has none, so every untitled page of its vendor may be its source.
    for vendor, docs in con.execute("SELECT vendor, list(document_id) FROM documents WHERE title IS NULL AND vendor IS NOT NULL GROUP BY vendor").fetchall():
        for (cid,) in con.execute("SELECT competency_id FROM competencies WHERE name IS NULL AND vendor = ?", [vendor]).fetchall():
            docs_of.setdefault(cid, set()).update(docs)
    for table, columns in TEXT_COLUMNS.items():
        key = "competency_id" if table in ("competencies", "competency_levels") else "document_id"
        for col in columns:
            for owner, value in con.execute(f"SELECT DISTINCT {key}, {col} FROM {table} WHERE {col} IS NOT NULL").fetchall():
                docs = sorted(docs_of.get(owner, ())) if key == "competency_id" else [owner]
                if not docs:
                    continue  # (a competency only its name names: checked as role_competencies.competency_name)
                words = _norm(value).split(" ")
                if not any(all(w.strip("*") in source(d) for w in words) for d in docs) and not (table == "competencies" and col == "name"):
                    missing = next(w for w in words if w.strip("*") not in source(docs[0]))
                    found.append(f"{paths[docs[0]]}: {table}.{col} = {value[:80]!r} ({missing!r} is not in the page)")
    for doc, amount in con.execute("SELECT document_id, amount FROM salaries").fetchall():
        if str(int(amount)) not in re.sub(r"[^0-9]", "", source(doc)):
            found.append(f"{paths[doc]}: salary {amount} is not written on the page")
    return found


def _load_bytes(out: Path) -> dict[str, str]:
    """sha256 of every file of the current load (the catalog and its Parquet files)."""
    import hashlib

    load = (out / "current").resolve()
    return {str(p.relative_to(load)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(load.rglob("*")) if p.is_file()}


def _ingest_cmd(folder: Path, out: Path) -> list[str]:
    # --replace: the kills replace a catalog of raw/ by one of the mutants (without it, the ingest stops at once)
    return [sys.executable, "-m", "pipeline", "ingest", str(folder), "--out", str(out), "--quiet", "--replace"]


def kill_at_random(work: Path, kills: int, seed: int) -> list[str]:
    """Problems found killing an ingest of the mutants `kills` times over a catalog of raw/."""
    import time

    out = work / "killed"
    subprocess.run(_ingest_cmd(ROOT / "raw", out), check=True, cwd=str(ROOT), capture_output=True)
    before = _load_bytes(out)
    started = time.monotonic()
    subprocess.run(_ingest_cmd(work / "in", work / "timing"), cwd=str(ROOT), capture_output=True)
    duration = time.monotonic() - started
    rng, problems, switched = random.Random(seed), [], 0
    for _ in range(kills):
        delay = rng.uniform(0.05, duration)
        proc = subprocess.Popen(_ingest_cmd(work / "in", out), cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.kill()
        proc.wait()
        after = _load_bytes(out)
        if after != before:  # killed after the switch: the new catalog must be whole
            switched += 1
            if "catalog.duckdb" not in after or len(after) != len(before):
                problems.append(f"kill at {delay:.2f} s: the catalog is neither the previous one nor a whole new one")
            subprocess.run(_ingest_cmd(ROOT / "raw", out), check=True, cwd=str(ROOT), capture_output=True)  # back to the previous catalog
            before = _load_bytes(out)
    print(f"{kills} kill -9s at random moments of a {duration:.1f} s ingest: {kills - switched} before the switch (catalog byte-identical "
          f"each time unless listed), {switched} after it (a whole new catalog); problems: {len(problems)}")
    return problems


def main() -> int:
    import duckdb

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mutants", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=22)
    ap.add_argument("--timeout", type=float, default=900, help="seconds the whole ingest may take")
    ap.add_argument("--kills", type=int, default=20, help="ingests to kill -9 at random moments (0: none)")
    ap.add_argument("--work", type=Path, help="keep the mutants and the catalog here (default: a temporary folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        (work / "in").mkdir(parents=True, exist_ok=True)
        inputs = mutants(work / "in", args.mutants, args.seed)
        try:
            done = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(work / "in"), "--out", str(work / "out"), "--quiet",
                                   "--file-timeout", "30"], capture_output=True, text=True, timeout=args.timeout, cwd=str(ROOT))
        except subprocess.TimeoutExpired:
            print(f"HANG: the ingest of {len(inputs)} mutants did not finish in {args.timeout:g} s")
            return 1
        crashes = [] if done.returncode in (0, 1) and "Traceback" not in done.stderr else [f"exit {done.returncode}: {done.stderr[-500:]}"]
        con = duckdb.connect(str(work / "out" / "catalog.duckdb"), read_only=True)
        crashes += [f"{p}: {c}: {m[:120]}" for p, c, m in con.execute(
            f"SELECT d.path, w.code, w.message FROM parse_warnings w JOIN documents d USING (document_id) WHERE w.code IN {BUGS}").fetchall()]
        hangs = [p for (p,) in con.execute("SELECT d.path FROM parse_warnings w JOIN documents d USING (document_id) WHERE w.code = 'timeout'").fetchall()]
        made_up = invented(con, inputs)
        statuses = dict(con.execute("SELECT status, count(*) FROM documents GROUP BY ALL").fetchall())
        con.close()
        killed = kill_at_random(work, args.kills, args.seed) if args.kills else []
    print(f"{len(inputs)} mutants of the real pages: {statuses.get('ok', 0)} ok, {statuses.get('partial', 0)} partial, "
          f"{statuses.get('failed', 0)} failed documents")
    print(f"crashes: {len(crashes)}; hangs: {len(hangs)}; invented values: {len(made_up)}")
    for line in (crashes + hangs + made_up + killed)[:40]:
        print("  " + line)
    return 1 if crashes or hangs or made_up or killed else 0


if __name__ == "__main__":
    sys.exit(main())
