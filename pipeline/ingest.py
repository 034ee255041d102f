"""Ingest: find input files, parse each one (a pure function of its bytes), assemble, load.

`parse_file` is the unit of work: bytes and a path in, one DocumentResult out, no shared
state. It never raises for a bad document; the failure becomes the document's status and
error, and the rest of the ingest goes on.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .catalog import merge_competencies, sort_rows
from .errors import DocumentError
from .schema import TABLES, table

INPUT_SUFFIXES = (".html", ".htm", ".pdf", ".txt")
# Warning codes that mean part of the document could not be loaded: they make it 'partial'.
PARTIAL_CODES = {"truncated", "truncated_text", "missing_section", "unreadable_page", "chart_unreadable"}


_NOT_A_PROFILE = re.compile(r"\b(?:404|403|500|not found|page not found|sign in|log ?in|access denied|forbidden|error|redirect|session expired|captcha)\b", re.I)


@dataclass
class DocumentResult:
    document_id: str
    path: str
    format: str | None = None
    vendor: str | None = None
    status: str = "ok"
    error: str | None = None
    title: str | None = None
    title_source: str | None = None
    page_count: int | None = None
    parser_version: str | None = None
    rows: dict[str, list[dict]] = field(default_factory=dict)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def fail(self, code: str, message: str) -> "DocumentResult":
        self.status, self.error, self.rows = "failed", message, {}
        self.warnings.append((code, message))
        return self


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_file(path: str, data: bytes) -> DocumentResult:
    """Parse one file's bytes into catalog rows. Pure: same bytes and path, same result."""
    from .readers import read_document
    from .vendors import detect_vendor

    res = DocumentResult(document_id=sha256(data), path=path)
    try:
        doc = read_document(data, path)
    except DocumentError as exc:
        return res.fail(exc.code, exc.message)
    except Exception as exc:  # a reader bug or a library failure on odd input: report, go on
        return res.fail("unreadable", f"could not read the file: {type(exc).__name__}: {exc}")
    res.format, res.page_count = doc.format, doc.page_count
    res.warnings.extend(doc.warnings)
    module = detect_vendor(doc)
    if module is None:
        heading = doc.html_title or next((b.text for b in doc.content if b.kind == "heading"), None)
        if heading and _NOT_A_PROFILE.search(heading):
            return res.fail("not_a_profile", f"not a vendor profile: the page is titled {heading[:80]!r} (a login, error or redirect page was saved instead)")
        return res.fail("unknown_vendor", "not a recognized vendor document (no Salary.com, Caliper or Kenexa page structure found)")
    res.vendor, res.parser_version = module.VENDOR, module.PARSER_VERSION
    try:
        parsed = module.parse(doc)
    except Exception as exc:
        return res.fail("parser_error", f"the {module.VENDOR} parser failed: {type(exc).__name__}: {exc}")
    res.title, res.title_source = parsed.title, parsed.title_source
    res.warnings.extend(parsed.warnings)
    problem = _invalid_rows(parsed.rows)
    if problem:
        return res.fail("invalid_rows", f"the {module.VENDOR} parser produced rows that break the schema: {problem}")
    res.rows = {name: [{**row, "document_id": res.document_id} if "document_id" in table(name).columns else row for row in rows]
                for name, rows in parsed.rows.items()}
    if not any(res.rows.get(t) for t in ("roles", "competencies")):
        return res.fail("not_a_profile", f"recognized as {module.VENDOR} but no role or competency could be read; " + "; ".join(m for _, m in res.warnings))
    if parsed.partial or any(code in PARTIAL_CODES for code, _ in res.warnings):
        res.status = "partial"
        res.error = "; ".join(m for c, m in res.warnings if c in PARTIAL_CODES) or None
    return res


def _invalid_rows(rows: dict[str, list[dict]]) -> str | None:
    for name, table_rows in rows.items():
        t = table(name)
        known = set(t.columns)
        for row in table_rows:
            extra = set(row) - known
            if extra:
                return f"{name} has unknown columns {sorted(extra)}"
            for f in t.fields:
                v = row.get(f.name)
                if f.name == "document_id":
                    continue
                if v is None and not f.nullable:
                    return f"{name}.{f.name} is NULL"
                if v is not None and f.allowed and v not in f.allowed:
                    return f"{name}.{f.name} = {v!r} is not one of {f.allowed}"
    return None


# -- discovery -----------------------------------------------------------------------------


class UsageError(Exception):
    pass


def discover(paths: list[str]) -> list[str]:
    """Files to ingest, sorted, searched recursively; symlinked folders are not followed."""
    found: list[str] = []
    for p in paths:
        if not os.path.lexists(p):
            raise UsageError(f"path not found: {p}")
        if os.path.isdir(p):
            for dirpath, dirnames, filenames in os.walk(p, followlinks=False):
                dirnames.sort()
                for name in filenames:
                    if name.lower().endswith(INPUT_SUFFIXES):
                        found.append(os.path.join(dirpath, name))
        else:
            found.append(p)
    return sorted(set(found))


def read_bytes(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


# -- the whole run -------------------------------------------------------------------------


@dataclass
class IngestReport:
    load_id: str
    documents: list[dict]
    warnings: list[dict]
    out_dir: Path

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents if d["status"] == status)

    @property
    def failed(self) -> list[dict]:
        return [d for d in self.documents if d["status"] == "failed"]


def ingest(paths: list[str], out_dir: str | Path, strict: bool = False) -> IngestReport:
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    load_id = started.strftime("%Y%m%dT%H%M%S%fZ")
    files = discover(paths)
    by_id: dict[str, DocumentResult] = {}
    paths_by_id: dict[str, list[str]] = {}
    for path in files:
        try:
            data = read_bytes(path)
        except OSError as exc:
            res = DocumentResult(document_id=sha256(b"unreadable-path:" + path.encode("utf-8", "surrogateescape")), path=path)
            res.fail("unreadable_file", f"file could not be read: {exc.strerror or exc}")
        else:
            doc_id = sha256(data)
            if doc_id in by_id:  # the same bytes under another name: one document, two paths
                paths_by_id[doc_id].append(path)
                continue
            res = parse_file(path, data)
        if strict and res.status == "partial":
            res.fail("strict", "warnings are failures under --strict: " + "; ".join(m for _, m in res.warnings))
        by_id[res.document_id] = res
        paths_by_id.setdefault(res.document_id, []).append(path)
    tables = assemble(list(by_id.values()), paths_by_id, load_id, started)
    from .load import write_catalog

    write_catalog(tables, Path(out_dir), load_id)
    return IngestReport(load_id, tables["documents"], tables["parse_warnings"], Path(out_dir))


def assemble(results: list[DocumentResult], paths_by_id: dict[str, list[str]], load_id: str, started: datetime) -> dict[str, list[dict]]:
    results = sorted(results, key=lambda r: r.path)
    extra_warnings: list[tuple[str, str, str]] = []
    tables = merge_competencies([(r.document_id, r.rows) for r in results if r.status != "failed"],
                                lambda doc_id, code, msg: extra_warnings.append((doc_id, code, msg)))
    for r in results:
        tables["documents"].append(dict(
            document_id=r.document_id, path=r.path, vendor=r.vendor, format=r.format, status=r.status, error=r.error,
            title=r.title, title_source=r.title_source, page_count=r.page_count, parser_version=r.parser_version,
            ingested_at=started, load_id=load_id))
        for p in paths_by_id[r.document_id]:
            tables["document_paths"].append(dict(document_id=r.document_id, path=p))
        for seq, (code, msg) in enumerate(r.warnings, start=1):
            tables["parse_warnings"].append(dict(document_id=r.document_id, code=code, message=msg, seq=seq))
    for doc_id, code, msg in extra_warnings:
        seq = 1 + max((w["seq"] for w in tables["parse_warnings"] if w["document_id"] == doc_id), default=0)
        tables["parse_warnings"].append(dict(document_id=doc_id, code=code, message=msg, seq=seq))
    from .vendors import PARSERS

    loaded_vendors = {r.vendor for r in results if r.status != "failed"}
    for module in PARSERS:
        if module.VENDOR in loaded_vendors:
            for level, label in module.SCALE:
                tables["scale_levels"].append(dict(vendor=module.VENDOR, level=level, label=label))
    return {t.name: sort_rows(t.name, tables[t.name]) for t in TABLES}
