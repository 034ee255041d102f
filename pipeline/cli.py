"""Command line: a thin layer over pipeline.ingest and pipeline.schema.

Exit status: 0 every document ingested (ok or partial), 1 some failed (the others are
loaded), 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="compcat", description="Competency catalog pipeline: vendor documents -> Parquet + DuckDB.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    ing = sub.add_parser("ingest", help="parse documents into the catalog", description="Parse .html/.htm/.pdf/.txt files (folders are searched recursively) and replace the catalog in --out atomically.")
    ing.add_argument("paths", nargs="*", default=["raw"], metavar="PATH", help="files or folders to ingest (default: raw)")
    ing.add_argument("--out", default="normalized", metavar="DIR", help="output folder for catalog.duckdb and parquet/ (default: normalized)")
    ing.add_argument("--strict", action="store_true", help="treat partial documents (warnings that lose data) as failures")
    ing.add_argument("--quiet", action="store_true", help="print only failures")
    doc = sub.add_parser("schema-doc", help="write docs/schema.md from pipeline/schema.py", description="Regenerate the schema documentation from the schema declared in code.")
    doc.add_argument("--out", default="docs/schema.md", metavar="FILE", help="where to write (default: docs/schema.md)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema-doc":
        from .schema import schema_markdown

        Path(args.out).write_text(schema_markdown() + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
        return 0
    return _ingest(args)


def _ingest(args) -> int:
    from .discover import UsageError
    from .ingest import ingest

    try:
        report = ingest(args.paths, args.out, strict=args.strict)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"interrupted: nothing was written; {args.out}/catalog.duckdb is unchanged", file=sys.stderr)
        return 130
    n = len(report.documents)
    if not args.quiet:
        if report.unchanged:
            print(f"nothing changed since the last ingest; {report.out_dir}/catalog.duckdb is up to date: ", end="")
        else:
            print(f"ingested {n} document(s) into {report.out_dir}/catalog.duckdb (load {report.load_id}; parsed {report.parsed}, reused {report.reused}): ", end="")
        print(f"{report.count('ok')} ok, {report.count('partial')} partial, {report.count('failed')} failed")
        partial = [d for d in report.documents if d["status"] == "partial"]
        for d in partial[:10]:
            print(f"  partial  {d['path']}: {d['error']}")
        if len(partial) > 10:
            print(f"  ... and {len(partial) - 10} more partial documents (see the parse_warnings table)")
    for d in report.failed:
        print(f"  FAILED   {d['path']}: {d['error']}", file=sys.stderr)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
