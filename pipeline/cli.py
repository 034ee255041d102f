"""Command line (`python -m pipeline`, or `compcat`): a thin layer over the library.

Exit status: 0 success; 1 some documents failed (ingest), a query failed, or an error;
2 usage errors (unknown command, option, format or path); 130 interrupted.
Errors print one line; `--debug` shows the traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path

DEFAULT_CATALOG = "normalized/catalog.duckdb"
QUERY_FORMATS = ("table", "csv", "json", "markdown")
MAX_FILE_MB = 256  # pipeline.parse.MAX_FILE_BYTES (that module is not imported until a command needs it)
FILE_TIMEOUT = 120.0  # pipeline.parse.FILE_SECONDS
QUERY_SECONDS = 60.0
QUERY_MEMORY = "1GB"


class CliError(Exception):
    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("competency-catalog")
    except PackageNotFoundError:  # (run from a checkout that was not installed)
        return "unknown"


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="compcat", description="Competency catalog pipeline: vendor competency documents -> Parquet + DuckDB.")
    p.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    p.add_argument("--version", action="version", version=f"compcat {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    ing = sub.add_parser("ingest", help="parse documents into the catalog",
                         description="Parse .html/.htm/.mhtml/.mht/.webarchive/.pdf/.txt files (folders are searched recursively) and replace the catalog in --out atomically. "
                                     "Unchanged files are not parsed again.")
    ing.add_argument("paths", nargs="*", default=["raw"], metavar="PATH", help="files or folders to ingest (default: raw)")
    ing.add_argument("--out", default="normalized", metavar="DIR", help="output folder for catalog.duckdb and parquet/ (default: normalized)")
    ing.add_argument("--strict", action="store_true", help="fail every document that has a warning (for CI)")
    ing.add_argument("--quiet", action="store_true", help="print only failures; no progress")
    ing.add_argument("--workers", type=_positive_int, default=None, metavar="N", help="parser processes, 1 or more (default: one per core)")
    ing.add_argument("--wait", action="store_true", help="if another ingest is writing --out, wait for it (default: fail at once)")
    ing.add_argument("--file-timeout", type=float, default=FILE_TIMEOUT, metavar="SECONDS",
                     help=f"a file whose parse takes longer fails with 'timeout' (default: {FILE_TIMEOUT:g}; 0: no limit)")
    ing.add_argument("--max-file-mb", type=float, default=MAX_FILE_MB, metavar="MB",
                     help=f"files larger than this are failed documents, never read (default: {MAX_FILE_MB:g})")

    rep = sub.add_parser("report", help="one-screen summary of the catalog", description="Documents by vendor and status, roles, competencies, coverage and the top warnings.")
    rep.add_argument("--catalog", default=DEFAULT_CATALOG, metavar="FILE", help=f"catalog to read (default: {DEFAULT_CATALOG})")

    q = sub.add_parser("query", help="run a read-only SQL query", description="Run one SQL statement against the catalog, read-only, and print the result.")
    q.add_argument("sql", metavar="SQL", help="the query, e.g. \"SELECT * FROM role_summary\"")
    q.add_argument("--format", choices=QUERY_FORMATS, default="table", help="output format (default: table)")
    q.add_argument("--catalog", default=DEFAULT_CATALOG, metavar="FILE", help=f"catalog to read (default: {DEFAULT_CATALOG})")
    q.add_argument("--timeout", type=float, default=QUERY_SECONDS, metavar="SECONDS", help=f"stop a query running longer (default: {QUERY_SECONDS:g})")

    ex = sub.add_parser("export", help="write the catalog as CSV, Parquet or CASE JSON", description="CSV or Parquet: one file per table. CASE: one 1EdTech CASE 1.1 package per vendor framework.")
    ex.add_argument("--format", required=True, choices=("csv", "parquet", "case"), help="export format")
    ex.add_argument("--out", required=True, metavar="DIR", help="folder to write into (created if missing)")
    ex.add_argument("--catalog", default=DEFAULT_CATALOG, metavar="FILE", help=f"catalog to read (default: {DEFAULT_CATALOG})")

    site = sub.add_parser("site", help="write the catalog as a static site", description="Static HTML pages (overview, roles, competencies, ESCO skills, search) that open from the file system, no server.")
    site.add_argument("--out", default="normalized/site", metavar="DIR", help="folder to write (replaced whole if it holds a site; default: normalized/site)")
    site.add_argument("--catalog", default=DEFAULT_CATALOG, metavar="FILE", help=f"catalog to read (default: {DEFAULT_CATALOG})")

    doc = sub.add_parser("schema-doc", help="write docs/schema.md from the schema in code", description="Regenerate the schema documentation from pipeline/schema.py and pipeline/views.py.")
    doc.add_argument("--out", default="docs/schema.md", metavar="FILE", help="where to write (default: docs/schema.md)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # the reader of our output went away (`compcat query ... | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # (else Python reports the pipe again at exit)
        return 0
    except KeyboardInterrupt:
        out = getattr(args, "out", "normalized")
        print(f"interrupted: nothing was written; {out}/catalog.duckdb is unchanged", file=sys.stderr)
        return 130
    except CliError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except Exception as exc:  # an unexpected failure: one line, unless --debug
        if args.debug:
            raise
        print(f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return 1


def console() -> None:
    """The command-line tool (`python -m pipeline`, `compcat`): main() in a process of its own."""
    from . import rows

    rows.ARROW_WITHOUT_PANDAS = True  # no caller's pandas to keep in this process
    sys.exit(main())


def _connect(path: str, sandbox: bool = True):
    import duckdb

    if not Path(path).exists():
        raise CliError(f"no catalog at {path}: run `make ingest` (or `compcat ingest`) first, or pass --catalog", code=2)
    # Read-only; no file or network access from SQL; no temporary files (a query that would spill
    # fails instead of writing beside the catalog); memory bounded; the configuration locked, so
    # that no SET or CALL undoes any of it: a query cannot write anything anywhere.
    config: dict[str, str | bool | int | float | list[str]] = {}
    if sandbox:
        config = {"enable_external_access": False, "temp_directory": "", "memory_limit": QUERY_MEMORY, "lock_configuration": True}
    return duckdb.connect(path, read_only=True, config=config)


# -- commands ------------------------------------------------------------------------------


def _current_load(out) -> str | None:
    try:
        return os.readlink(os.path.join(out, "current"))
    except OSError:
        return None


def cmd_ingest(args) -> int:
    from .discover import UsageError
    from .ingest import ingest
    from .lock import OutputLockedError

    progress = None if args.quiet or not sys.stderr.isatty() else _Progress()
    load_before = _current_load(args.out)
    try:
        report = ingest(args.paths, args.out, strict=args.strict, workers=args.workers, progress=progress,
                        max_file_bytes=int(args.max_file_mb * 2**20), wait=args.wait, file_seconds=args.file_timeout)
    except UsageError as exc:
        raise CliError(str(exc), code=2) from None
    except OutputLockedError as exc:
        raise CliError(str(exc), code=1) from None
    except KeyboardInterrupt:
        if _current_load(args.out) == load_before:
            raise  # nothing was written: main says so
        # Interrupted after the atomic switch (while cleaning up or saving the manifest).
        print(f"interrupted after the new catalog was switched in: {args.out}/catalog.duckdb is complete; "
              "the next ingest parses again what this one could not record", file=sys.stderr)
        return 130
    finally:
        if progress:
            progress.close()
    if not args.quiet:
        if report.unchanged:
            print(f"nothing changed since the last ingest; {report.out_dir}/catalog.duckdb is up to date: ", end="")
        else:
            print(f"ingested {len(report.documents)} document(s) from {report.files} file(s) into {report.out_dir}/catalog.duckdb "
                  f"(load {report.load_id}; parsed {report.parsed}, reused {report.reused}): ", end="")
        print(f"{report.count('ok')} ok, {report.count('partial')} partial, {report.count('failed')} failed")
        partial = [d for d in report.documents if d["status"] == "partial"]
        for d in partial[:10]:
            print(f"  partial  {d['path']}: {d['error']}")
        if len(partial) > 10:
            print(f"  ... and {len(partial) - 10} more partial documents (see the parse_warnings table)")
        if report.skipped:
            kinds = Counter(os.path.splitext(p)[1].lower() or "(no extension)" for p in report.skipped)
            listed = ", ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items()))
            print(f"  not read: {len(report.skipped)} file(s) of other types ({listed}), e.g. {report.skipped[0]}")
    for error, paths in _failed_paths(report.failed):
        if len(paths) == 1:
            print(f"  FAILED   {paths[0]}: {error}", file=sys.stderr)
        else:  # files that failed the same way, each named
            print(f"  FAILED   {len(paths)} files: {error}", file=sys.stderr)
            print("\n".join(f"             {p}" for p in paths), file=sys.stderr)
    return 1 if report.failed else 0


def _failed_paths(failed: list[dict]) -> list[tuple[str, list[str]]]:
    """Every path of the failed documents, grouped by what went wrong (the same bytes under
    several names are one document: each name is listed)."""
    groups: dict[str, list[str]] = {}
    for d in failed:
        groups.setdefault(d["error"], []).extend(d.get("paths") or [d["path"]])
    return [(error, sorted(paths)) for error, paths in groups.items()]


class _Progress:
    """A one-line progress display on a terminal: counts and rate."""

    def __init__(self):
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        rate = done / max(time.monotonic() - self.start, 1e-6)
        width = 30
        bar = "#" * (width * done // max(total, 1))
        sys.stderr.write(f"\rparsing [{bar:<{width}}] {done}/{total} documents, {rate:.0f}/s")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


def cmd_report(args) -> int:
    from .report import report

    print(report(_connect(args.catalog)))
    return 0


def cmd_query(args) -> int:
    import duckdb

    con = _connect(args.catalog)
    timer = threading.Timer(args.timeout, con.interrupt) if args.timeout > 0 else None
    if timer:
        timer.start()
    try:
        cur = con.execute(args.sql)
        cols = [d[0] for d in cur.description] if cur.description is not None else None
        rows = cur.fetchall() if cols is not None else []
    except (duckdb.PermissionException, duckdb.InterruptException) as exc:
        what = f"the query ran past {args.timeout:g} s (--timeout)" if isinstance(exc, duckdb.InterruptException) else str(exc).splitlines()[0]
        raise CliError(f"SQL not allowed: {what}; queries read the catalog and write nothing", code=2) from None
    except duckdb.Error as exc:
        if "configuration has been locked" in str(exc):
            raise CliError(f"SQL not allowed: {str(exc).splitlines()[0]}", code=2) from None
        raise CliError(f"SQL: {str(exc).splitlines()[0]}") from None
    finally:
        if timer:
            timer.cancel()
        con.close()  # (another connection of this process may open the catalog with other settings)
    if cols is None:
        return 0
    print(format_rows(cols, rows, args.format))
    return 0


def format_rows(cols: list[str], rows: list[tuple], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([dict(zip(cols, r)) for r in rows], default=str, ensure_ascii=False, indent=1)
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(cols)
        writer.writerows(["" if v is None else v for v in r] for r in rows)
        return buf.getvalue().rstrip("\n")
    text = [["NULL" if v is None else str(v) for v in r] for r in rows]
    if fmt == "markdown":
        esc = [[c.replace("|", "\\|") for c in r] for r in text]
        return "\n".join(["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)] + ["| " + " | ".join(r) + " |" for r in esc])
    widths = [max([len(c)] + [len(r[i]) for r in text]) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in text]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def cmd_export(args) -> int:
    from .export import export

    written = export(_connect(args.catalog, sandbox=False), args.format, Path(args.out))  # COPY writes the files
    print(f"wrote {len(written)} file(s) to {args.out}")
    return 0


def cmd_site(args) -> int:
    from .site import SiteError, build_site

    try:
        print(build_site(_connect(args.catalog), Path(args.out)).summary())
    except SiteError as exc:
        raise CliError(str(exc), code=2) from None
    return 0


def cmd_schema_doc(args) -> int:
    from .schema import schema_markdown
    from .vendors import vendor_names

    Path(args.out).write_text(schema_markdown(vendor_names()) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


COMMANDS = {"ingest": cmd_ingest, "report": cmd_report, "query": cmd_query, "export": cmd_export, "site": cmd_site, "schema-doc": cmd_schema_doc}

if __name__ == "__main__":
    sys.exit(main())
