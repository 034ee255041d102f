"""Parsing one file: its bytes in, catalog rows out (pipeline.pool runs it over many files).

`parse_file` is the unit of work: bytes and a path in, one DocumentResult out, no shared
state. It never raises for a bad document; the failure becomes the document's status and
error, and the rest of the ingest goes on.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import signal
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .document import MARKUP_FORMATS
from .errors import DocumentError
from .warning_codes import PARTIAL_CODES  # codes that mean part of the document could not be loaded: 'partial'

if TYPE_CHECKING:  # (imported where a parser runs: an ingest with nothing to parse never loads the parsers)
    from .vendors.common import ParseResult

_NOT_A_PROFILE = re.compile(r"\b(?:404|403|500|not found|page not found|sign in|log ?in|access denied|forbidden|error|redirect|session expired|captcha)\b", re.I)


@dataclass
class DocumentResult:
    """What became of one file: where it was read and what its vendor's parser gave (the
    ParseResult, as the parser returned it), or why nothing could be loaded (`failure`).
    Its status, error and warnings are derived from those, never stored beside them."""

    document_id: str
    path: str
    format: str | None = None
    page_count: int | None = None
    reader_warnings: list[tuple[str, str]] = field(default_factory=list)
    parsed: ParseResult | None = None
    failure: tuple[str, str] | None = None  # (code, message): the document is not loaded
    content_read: bool = True  # False when the file could not be read: its id is not a content hash

    def fail(self, code: str, message: str) -> DocumentResult:
        self.failure = (code, message)
        return self

    # What the parser said of the document (None when no parser read it).
    vendor = property(lambda self: _of_parsed(self, "vendor"))
    parser_version = property(lambda self: _of_parsed(self, "parser_version"))
    title = property(lambda self: _of_parsed(self, "title"))
    title_source = property(lambda self: _of_parsed(self, "title_source"))

    @property
    def rows(self) -> dict[str, list[dict]]:
        """The document's rows by table (none when it failed)."""
        return self.parsed.rows if self.parsed is not None and self.failure is None else {}

    @property
    def warnings(self) -> list[tuple[str, str]]:
        """The reader's, then the parser's, then the failure's."""
        return [*self.reader_warnings, *(self.parsed.warnings if self.parsed else ()), *([self.failure] if self.failure else [])]

    @property
    def status(self) -> str:
        if self.failure:
            return "failed"
        return "partial" if any(code in PARTIAL_CODES for code, _ in self.warnings) else "ok"

    @property
    def error(self) -> str | None:
        """Why it failed, or what its partial-making warnings say."""
        if self.failure:
            return self.failure[1]
        return "; ".join(m for c, m in self.warnings if c in PARTIAL_CODES) or None


def _of_parsed(res: DocumentResult, name: str) -> str | None:
    return getattr(res.parsed, name) if res.parsed is not None else None


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
    res.reader_warnings.extend(doc.warnings)
    module = detect_vendor(doc)
    if module is None:
        return res.fail(*_why_no_vendor(doc))
    try:
        res.parsed = module.parse(doc)
    except Exception as exc:
        from .vendors.common import ParseResult

        res.parsed = ParseResult(module.VENDOR, module.PARSER_VERSION)
        return res.fail("parser_error", f"the {module.VENDOR} parser failed: {type(exc).__name__}: {exc}")
    return _checked(res, module.VENDOR)


def _why_no_vendor(doc) -> tuple[str, str]:
    """The failure of a document no vendor's detector recognized: a login or error page, a page
    its scripts draw, or another kind of document."""
    from .vendors import vendor_names

    heading = doc.html_title or next((b.text for b in doc.content if b.kind == "heading"), None)
    if heading and _NOT_A_PROFILE.search(heading):
        return "not_a_profile", f"not a vendor profile: the page is titled {heading[:80]!r} (a login, error or redirect page was saved instead)"
    text_chars = sum(len(t) for t in doc.lines)
    if doc.format in MARKUP_FORMATS and text_chars < _SCRIPT_DRAWN_PAGE:
        titled = f", titled {doc.html_title[:80]!r}" if doc.html_title else ""
        if doc.file_complete is False:  # the file itself stops before the page's end
            return "no_page_text", (f"the saved page stops after {text_chars} characters of text{titled}, before any of its content: "
                                    "it was saved before it finished loading")
        return "no_page_text", (f"the saved page holds almost no text ({text_chars} characters{titled}): its scripts draw the content and had not "
                                "run when it was saved; save it once it has loaded in the browser, or print it to PDF")
    return "unknown_vendor", f"not a recognized vendor document (no page structure of {', '.join(vendor_names())} found)"


def _checked(res: DocumentResult, vendor: str) -> DocumentResult:
    """The parsed result, failed if its rows break the schema or hold no role or competency;
    its rows stamped with the document's id."""
    assert res.parsed is not None
    rows = res.parsed.rows
    res.parsed.warnings.extend(_drop_repeated_requirements(rows))
    problem = _invalid_rows(rows)
    if problem:
        return res.fail("invalid_rows", f"the {vendor} parser produced rows that break the schema: {problem}")
    from .vendors import PARSERS

    for name, table_rows in rows.items():  # the parser's own fresh dicts: stamped in place, not copied
        if "document_id" in _row_checks(name, PARSERS)[0]:
            for row in table_rows:
                row["document_id"] = res.document_id
    if not any(rows.get(t) for t in ("roles", "competencies")):
        return res.fail("not_a_profile", f"recognized as {vendor} but no role or competency could be read; " + "; ".join(m for _, m in res.warnings))
    return res


def _drop_repeated_requirements(rows: dict[str, list[dict]]) -> list[tuple[str, str]]:
    """One requirement per (role, competency) in a document: a competency a role lists again
    (a page that repeats a section) would count twice in every mean over the role. The first
    listing is kept; the warnings name the others."""
    seen: set[tuple] = set()
    kept, warnings = [], []
    for row in rows.get("role_competencies", ()):
        key = (row["role_id"], row.get("competency_id"))
        if key[1] is not None and key in seen:
            warnings.append(("repeated_competency", f"{row.get('competency_name') or key[1]!r} is listed again for {row['role_id']} "
                                                    f"(rank {row.get('rank')} of the {row.get('category') or 'uncategorized'} skills): not loaded twice"))
            continue
        seen.add(key)
        kept.append(row)
    if warnings:
        rows["role_competencies"] = kept
    return warnings


# A saved page with less text than this and no vendor structure is one whose content its
# scripts draw (saved as "HTML only" before they ran), not a page of another kind.
_SCRIPT_DRAWN_PAGE = 200


@functools.cache
def _row_checks(name: str, registry: tuple) -> tuple[frozenset, tuple[str, ...], tuple[tuple[str, frozenset, tuple], ...]]:
    """A table's known columns, required columns and closed vocabularies, prepared once per
    parser registry (the vendor vocabulary is the registry)."""
    from .schema import table

    t = table(name)
    required = tuple(f.name for f in t.fields if not f.nullable and f.name != "document_id")
    vendors = tuple(module.VENDOR for module in registry)
    vocabularies = tuple((f.name, frozenset(allowed), allowed) for f in t.fields if (allowed := f.vocabulary(vendors)))
    return frozenset(t.columns), required, vocabularies


def _invalid_rows(rows: dict[str, list[dict]]) -> str | None:
    from .vendors import PARSERS

    for name, table_rows in rows.items():
        known, required, vocabularies = _row_checks(name, PARSERS)
        for row in table_rows:
            if not known.issuperset(row):
                return f"{name} has unknown columns {sorted(set(row) - known)}"
            for col in required:
                if row.get(col) is None:
                    return f"{name}.{col} is NULL"
            for col, allowed, listed in vocabularies:
                v = row.get(col)
                if v is not None and v not in allowed:
                    return f"{name}.{col} = {v!r} is not one of {listed}"
    return None


# No saved page or PDF print comes near this; a file over it is not read (in bounded memory:
# a 10 GB sparse file named .txt is read no further than this).
MAX_FILE_BYTES = 256 * 2**20


class FileTooLargeError(Exception):
    pass


# No page parses for this long (the 300-page PDF of the bad-input tests takes seconds); a file
# that does (a PDF whose objects refer to each other in a cycle made pdfplumber loop forever)
# fails with `timeout` and the run goes on.
FILE_SECONDS = 120.0


@dataclass(frozen=True)
class FileLimits:
    """How much of one file the pipeline reads, and for how long it may parse it."""

    max_bytes: int = MAX_FILE_BYTES
    seconds: float = FILE_SECONDS


DEFAULT_LIMITS = FileLimits()


class FileTimeoutError(BaseException):
    """A file's parse ran past its time (a BaseException: no `except Exception` on the way swallows it)."""


@contextlib.contextmanager
def time_bound(seconds: float):
    """Raise FileTimeoutError in this thread after `seconds` (a SIGALRM timer). Only the main
    thread receives signals: elsewhere, or with seconds <= 0, no bound."""
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise FileTimeoutError

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_within_limits(path: str, limits: FileLimits) -> DocumentResult:
    """parse_path, failed with `timeout` when it runs past the limit."""
    try:
        with time_bound(limits.seconds):
            return parse_path(path, limits.max_bytes)
    except FileTimeoutError:
        return timed_out(path, limits)


def timed_out(path: str, limits: FileLimits) -> DocumentResult:
    return unreadable(path, "timeout", f"parsing the file took longer than {limits.seconds:g} s (--file-timeout): stopped; the file is not loaded")


def worker_crashed(path: str) -> DocumentResult:
    return unreadable(path, "worker_crashed", "the process parsing this file died twice while reading it (a crash in a library, or out of memory): not loaded")


def read_bytes(path: str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; FileTooLargeError past `max_bytes` (never more than that is read)."""
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileTooLargeError(path)
    return data


def too_large(path: str, max_bytes: int) -> DocumentResult:
    cap = f"{max_bytes / 2**20:g} MB" if max_bytes >= 2**20 else f"{max_bytes:,} bytes"
    return unreadable(path, "too_large", f"the file is larger than the size cap of {cap} (--max-file-mb): not read")


def parse_path(path: str, max_bytes: int = MAX_FILE_BYTES) -> DocumentResult:
    """Read and parse one file (the unit of work a process pool maps over)."""
    try:
        data = read_bytes(path, max_bytes)
    except FileTooLargeError:
        return too_large(path, max_bytes)
    except OSError as exc:
        return unreadable(path, "unreadable_file", f"file could not be read: {exc.strerror or exc}")
    return parse_file(path, data)


def unreadable(path: str, code: str, message: str) -> DocumentResult:
    # No content to hash: the id is the hash of the path, marked so it cannot collide with content.
    res = DocumentResult(document_id=sha256(b"path:" + path.encode("utf-8", "surrogateescape")), path=path, content_read=False)
    return res.fail(code, message)



def strict_failure(res: DocumentResult) -> tuple[str, str] | None:
    """--strict: the failure of a result with warnings (None: it has none, or failed already)."""
    if res.failure or not res.warnings:
        return None
    return ("strict", f"warnings are failures under --strict: {'; '.join(f'{c}: {m}' for c, m in res.warnings)}")
