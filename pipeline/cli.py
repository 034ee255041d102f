"""Command line (`python -m pipeline`, or `compcat`): a thin layer over the library.

Exit status: 0 success; 1 some documents failed (ingest), a query failed, or an error;
2 usage errors (unknown command, option, format or path); 130 interrupted.
Errors print one line; `--debug` shows the traceback.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import TaskID

CATALOG_ENV = "COMPCAT_CATALOG"  # the catalog folder when --catalog is not given (from any folder)
DEFAULT_CATALOG = "normalized"  # (the folder `make ingest` writes, relative to the current folder)
QUERY_FORMATS = ("table", "csv", "tsv", "json", "ndjson", "markdown")  # pipeline.output.FORMATS (imported only when a command prints)
REPORT_FORMATS = ("table", "json", "markdown")
MAX_ROWS = 40  # pipeline.output.MAX_ROWS
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


class _VersionAction(argparse.Action):
    """--version, its package metadata read only when asked (importlib.metadata: ~15 ms at every start)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="show the program's version number and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"compcat {_version()}")
        parser.exit()


def _whole(minimum: int):
    def check(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is not {minimum} or more")
        return value
    return check


_positive_int = _whole(1)


def _amount(allow_zero: bool):
    """A number of seconds or megabytes: 0 or more (`allow_zero`: 0 means no limit), else more than 0."""
    def check(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value >= 0 or (value == 0 and not allow_zero) or value == float("inf"):
            raise argparse.ArgumentTypeError(f"{text} is not {'0 or more' if allow_zero else 'more than 0'}")
        return value
    return check


def _default_catalog() -> str:
    return os.environ.get(CATALOG_ENV) or DEFAULT_CATALOG


def _catalog_option(parser: argparse.ArgumentParser, *flags: str, what: str) -> None:
    parser.add_argument("--catalog", *flags, dest="catalog", default=_default_catalog(), metavar="DIR",
                        help=f"{what} (default: ${CATALOG_ENV} if set, else {DEFAULT_CATALOG}, in the current folder)")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        """A usage error on one line (no usage block above it: `--help` shows that), exit 2."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="compcat", description="Competency catalog pipeline: vendor competency documents -> Parquet + DuckDB.")
    p.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    p.add_argument("--version", action=_VersionAction)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    ing = sub.add_parser("ingest", help="parse documents into the catalog",
                         description="Parse .html/.htm/.mhtml/.mht/.webarchive/.pdf/.txt files (folders are searched recursively) and replace the catalog in --catalog atomically. "
                                     "Unchanged files are not parsed again. The catalog holds the files found under the PATHs given: documents of the current catalog from "
                                     "other paths make it stop, unless --replace.")
    ing.add_argument("paths", nargs="*", default=["raw"], metavar="PATH", help="files or folders to ingest (default: raw)")
    _catalog_option(ing, "--out", what="the catalog folder to write (catalog.duckdb, parquet/); --out is the same")
    ing.add_argument("--replace", action="store_true", help="drop the documents of the current catalog that come from paths not given (default: stop and say so)")
    ing.add_argument("--strict", action="store_true", help="fail every document that has a warning (for CI)")
    ing.add_argument("--quiet", action="store_true", help="print only failures; no progress")
    ing.add_argument("--workers", type=_positive_int, default=None, metavar="N", help="parser processes, 1 or more (default: one per core)")
    ing.add_argument("--wait", action="store_true", help="if another ingest is writing the catalog, wait for it (default: fail at once)")
    ing.add_argument("--file-timeout", type=_amount(allow_zero=True), default=FILE_TIMEOUT, metavar="SECONDS",
                     help=f"a file whose parse takes longer fails with 'timeout' (default: {FILE_TIMEOUT:g}; 0: no limit)")
    ing.add_argument("--max-file-mb", type=_amount(allow_zero=False), default=MAX_FILE_MB, metavar="MB",
                     help=f"files larger than this are failed documents, never read (default: {MAX_FILE_MB:g})")

    rep = sub.add_parser("report", help="one-screen summary of the catalog", description="Documents by vendor and status, roles, competencies, coverage and the top warnings.")
    _catalog_option(rep, what="the catalog folder to read (or its catalog.duckdb)")
    rep.add_argument("--format", choices=REPORT_FORMATS, default="table", help="output format (default: table)")

    q = sub.add_parser("query", help="run read-only SQL",
                       description="Run SQL against the catalog, read-only, and print each statement's result. The SQL is the argument, a file (-f FILE) or standard input (-).")
    q.add_argument("sql", nargs="?", metavar="SQL", help="the SQL, e.g. \"SELECT * FROM role_summary\"; - reads it from standard input")
    q.add_argument("-f", "--file", metavar="FILE", help="read the SQL from FILE (- for standard input)")
    q.add_argument("--format", choices=QUERY_FORMATS, default="table", help="output format (default: table, as wide as the terminal)")
    q.add_argument("--max-rows", type=_whole(0), default=MAX_ROWS, metavar="N",
                   help=f"rows a table shows, the first and last ones (default: {MAX_ROWS}; 0: all; other formats write every row)")
    _catalog_option(q, what="the catalog folder to read (or its catalog.duckdb)")
    q.add_argument("--timeout", type=_amount(allow_zero=True), default=QUERY_SECONDS, metavar="SECONDS", help=f"stop SQL running longer (default: {QUERY_SECONDS:g}; 0: no limit)")

    ex = sub.add_parser("export", help="write the catalog as CSV, Parquet, an Excel workbook or CASE JSON",
                        description="csv, parquet: one file per table and per view. xlsx: the views as one workbook, catalog.xlsx. "
                                    "case: one 1EdTech CASE 1.1 package per vendor framework.")
    ex.add_argument("--format", required=True, choices=("csv", "parquet", "xlsx", "case"), help="export format")
    ex.add_argument("--out", required=True, metavar="DIR", help="folder to write into (created if missing)")
    _catalog_option(ex, what="the catalog folder to read (or its catalog.duckdb)")

    site = sub.add_parser("site", help="write the catalog as a static site", description="Static HTML pages (overview, roles, competencies, ESCO skills, search) that open from the file system, no server.")
    site.add_argument("--out", metavar="DIR", help="folder to write (replaced whole if it holds a site; default: site/ in the catalog folder)")
    _catalog_option(site, what="the catalog folder to read (or its catalog.duckdb)")

    doc = sub.add_parser("schema-doc", help="write docs/schema.md from the schema in code", description="Regenerate the schema documentation from pipeline/schema.py and pipeline/views.py.")
    doc.add_argument("--out", default="docs/schema.md", metavar="FILE", help="where to write (default: docs/schema.md)")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # `compcat` alone: what it can do (a usage error all the same)
        parser.print_help(sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # the reader of our output went away (`compcat query ... | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # (else Python reports the pipe again at exit)
        return 0
    except KeyboardInterrupt:
        print(f"interrupted: nothing was written; {catalog_file(getattr(args, 'catalog', DEFAULT_CATALOG))} is unchanged", file=sys.stderr)
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
    import pipeline

    pipeline.ARROW_WITHOUT_PANDAS = True  # no caller's pandas to keep in this process (pipeline.rows.pyarrow_module)
    sys.exit(main())


def catalog_file(catalog: str) -> Path:
    """The DuckDB file of --catalog: the folder's catalog.duckdb, or the .duckdb file named."""
    path = Path(catalog)
    return path if path.suffix == ".duckdb" or path.is_file() else path / "catalog.duckdb"


def _connect(catalog: str, sandbox: bool = True):
    import duckdb

    path = catalog_file(catalog)
    if not path.exists():
        raise CliError(f"no catalog at {path.absolute()}: run `make ingest` in the repository (or `compcat ingest PATH --catalog DIR`) first, "
                       f"or pass --catalog DIR or set {CATALOG_ENV}", code=2)
    # Read-only; no file or network access from SQL; no temporary files (a query that would spill
    # fails instead of writing beside the catalog); memory bounded; the configuration locked, so
    # that no SET or CALL undoes any of it: a query cannot write anything anywhere.
    config: dict[str, str | bool | int | float | list[str]] = {}
    if sandbox:
        config = {"enable_external_access": False, "temp_directory": "", "memory_limit": QUERY_MEMORY, "lock_configuration": True}
    return duckdb.connect(str(path), read_only=True, config=config)


def _terminal_width() -> int:
    return shutil.get_terminal_size((80, 24)).columns  # $COLUMNS, else the terminal's, else 80


# -- commands ------------------------------------------------------------------------------


def _current_load(out) -> str | None:
    try:
        return os.readlink(os.path.join(out, "current"))
    except OSError:
        return None


def _check_catalog_folder(catalog: str) -> None:
    path = Path(catalog)
    if path.suffix == ".duckdb":
        raise CliError(f"--catalog {catalog}: give the catalog's folder (ingest writes catalog.duckdb and parquet/ in it), not a .duckdb file", code=2)
    if path.exists() and not path.is_dir():
        raise CliError(f"{catalog} is a file, not a folder: the catalog is a folder (it holds catalog.duckdb and parquet/)", code=2)


def cmd_ingest(args) -> int:
    _check_catalog_folder(args.catalog)
    progress = None if args.quiet or not sys.stderr.isatty() else IngestProgress()  # shown before the parsers' libraries are imported
    try:
        report = _run_ingest(args, progress)
    except BaseException:
        if progress:
            progress.close(finished=False)  # the stage it stopped in keeps its spinner, not a tick
        raise
    if progress:
        progress.close()
    if report is None:
        return 130
    if not args.quiet:
        _print_summary(report)
    for error, paths in _failed_paths(report.failed):
        if len(paths) == 1:
            print(f"  FAILED   {paths[0]}: {error}", file=sys.stderr)
        else:  # files that failed the same way, each named
            print(f"  FAILED   {len(paths)} files: {error}", file=sys.stderr)
            print("\n".join(f"             {p}" for p in paths), file=sys.stderr)
    return 1 if report.failed else 0


def _run_ingest(args, progress):
    """The ingest's report; None when it was interrupted after the new catalog was switched in."""
    from .discover import UsageError
    from .ingest import ingest
    from .lock import OutputLockedError

    load_before = _current_load(args.catalog)
    try:
        return ingest(args.paths, args.catalog, strict=args.strict, workers=args.workers, progress=progress, replace=args.replace,
                      max_file_bytes=int(args.max_file_mb * 2**20), wait=args.wait, file_seconds=args.file_timeout)
    except UsageError as exc:
        raise CliError(str(exc), code=2) from None
    except OutputLockedError as exc:
        raise CliError(str(exc), code=1) from None
    except KeyboardInterrupt:
        if _current_load(args.catalog) == load_before:
            raise  # nothing was written: main says so
        # Interrupted after the atomic switch (while cleaning up or saving the manifest).
        print(f"interrupted after the new catalog was switched in: {args.catalog}/catalog.duckdb is complete; "
              "the next ingest parses again what this one could not record", file=sys.stderr)
        return None


def _print_summary(report) -> None:
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


def _failed_paths(failed: list[dict]) -> list[tuple[str, list[str]]]:
    """Every path of the failed documents, grouped by what went wrong (the same bytes under
    several names are one document: each name is listed)."""
    groups: dict[str, list[str]] = {}
    for d in failed:
        groups.setdefault(d["error"], []).extend(d.get("paths") or [d["path"]])
    return [(error, sorted(paths)) for error, paths in groups.items()]


class IngestProgress:
    """Progress on a terminal (rich): a line per stage of the ingest (discover, parse, crosswalk,
    write) with its elapsed time, and while files are parsed, their count, share and the time
    left. Shown from the start (the parsers' libraries take seconds to import)."""

    def __init__(self, console=None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        counted = [MofNCompleteColumn(), TaskProgressColumn(), TextColumn("ETA"), TimeRemainingColumn()]
        self.bar = Progress(SpinnerColumn(finished_text="✓"), TextColumn("{task.description:<9}"), BarColumn(), *map(_when_counted, counted),
                            TextColumn("elapsed"), TimeElapsedColumn(), console=console or Console(file=sys.stderr), transient=False)
        self.bar.start()
        self.stage: str | None = None
        self.task: TaskID | None = None
        self("discover", 0, None)

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage != self.stage:
            self._finish_stage()
            self.stage = stage
            self.task = self.bar.add_task(stage, total=total, completed=done, counted=total is not None)
        elif self.task is not None:
            self.bar.update(self.task, completed=done, total=total)

    def _finish_stage(self) -> None:
        if self.task is not None:
            task = self.bar.tasks[-1]
            total = task.total if task.total is not None else max(task.completed, 1)
            self.bar.update(self.task, total=total, completed=total)

    def close(self, finished: bool = True) -> None:
        if finished:
            self._finish_stage()
        self.bar.stop()


def _when_counted(column):
    """`column` on the lines of stages that count what they do (parse: files), blank on the others."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class WhenCounted(ProgressColumn):
        def render(self, task):
            return column.render(task) if task.fields.get("counted") else Text("")

    return WhenCounted()


def cmd_report(args) -> int:
    from .report import report

    print(report(_connect(args.catalog), args.format, width=_terminal_width()))
    return 0


def _read_sql(args) -> str:
    """The SQL: the argument, the file of -f, or standard input (`-`)."""
    if args.sql is not None and args.file is not None:
        raise CliError("give the SQL as an argument or with -f FILE, not both", code=2)
    if args.sql is None and args.file is None:
        raise CliError("no SQL: give it as an argument, with -f FILE, or on standard input with -", code=2)
    if args.sql == "-" or args.file == "-":
        sql, source = sys.stdin.read(), "standard input"
    elif args.file is not None:
        try:
            sql, source = Path(args.file).read_text(encoding="utf-8"), args.file
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"cannot read the SQL file {args.file}: {getattr(exc, 'strerror', None) or exc}", code=2) from None
    else:
        sql, source = args.sql, "the argument"
    if not sql.strip():
        raise CliError(f"no SQL in {source}", code=2)
    return sql


def duckdb_message(exc: Exception) -> str:
    """DuckDB's error on one line, with its hints ('Did you mean "roles"?', the candidate
    columns), without the picture of where in the SQL it is."""
    kept = []
    for line in str(exc).splitlines():
        if line.startswith("LINE "):
            break
        if line.strip():
            kept.append(line.strip())
    return " ".join(kept)


def cmd_query(args) -> int:
    import duckdb

    sql = _read_sql(args)
    con = _connect(args.catalog)
    timer = threading.Timer(args.timeout, con.interrupt) if args.timeout > 0 else None
    if timer:
        timer.start()
    try:
        shown = 0
        for statement in duckdb.extract_statements(sql):  # each result printed as it comes, as DuckDB's shell does
            result = _execute(con, statement)
            if result is not None:
                print(("\n" if shown else "") + format_rows(*result, args.format, max_rows=args.max_rows))  # a blank line between results
                shown += 1
    except duckdb.InterruptException:
        raise CliError(f"query stopped: it ran past {args.timeout:g} s (--timeout S sets the limit; 0 for none)", code=2) from None
    except duckdb.PermissionException as exc:
        raise CliError(f"SQL not allowed: {duckdb_message(exc)}; queries read the catalog and write nothing", code=2) from None
    except duckdb.Error as exc:
        if "configuration has been locked" in str(exc) or "read-only mode" in str(exc):
            raise CliError(f"SQL not allowed: {duckdb_message(exc)}; queries read the catalog and write nothing", code=2) from None
        raise CliError(f"SQL: {duckdb_message(exc)}") from None
    finally:
        if timer:
            timer.cancel()
        con.close()  # (another connection of this process may open the catalog with other settings)
    return 0


def _execute(con, statement) -> tuple[list[str], list[tuple]] | None:
    cur = con.execute(statement)
    if cur.description is None:  # a statement without a result
        return None
    return [d[0] for d in cur.description], cur.fetchall()


def format_rows(cols: list[str], rows: list[tuple], fmt: str, max_rows: int = MAX_ROWS) -> str:
    from .output import render

    return render(cols, rows, fmt, width=_terminal_width(), max_rows=max_rows)


def cmd_export(args) -> int:
    from .export import export

    written = export(_connect(args.catalog, sandbox=False), args.format, Path(args.out))  # COPY writes the files
    print(f"wrote {written[0]}" if len(written) == 1 else f"wrote {len(written)} files to {args.out}")
    return 0


def cmd_site(args) -> int:
    from .site import SiteError, build_site

    try:
        print(build_site(_connect(args.catalog), Path(args.out) if args.out else catalog_file(args.catalog).parent / "site").summary())
    except SiteError as exc:
        raise CliError(str(exc), code=2) from None
    return 0


def cmd_schema_doc(args) -> int:
    from .schema import schema_markdown
    from .vendors import vendor_names

    try:
        Path(args.out).write_text(schema_markdown(vendor_names()) + "\n", encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"no folder {Path(args.out).parent}/ here to write {args.out} in: run from the repository root, or pass --out FILE", code=2) from None
    print(f"wrote {args.out}")
    return 0


COMMANDS = {"ingest": cmd_ingest, "report": cmd_report, "query": cmd_query, "export": cmd_export, "site": cmd_site, "schema-doc": cmd_schema_doc}

if __name__ == "__main__":
    sys.exit(main())
