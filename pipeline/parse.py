"""Parsing: a file's bytes in, catalog rows out; and many files, in chunks, in a process pool.

`parse_file` is the unit of work: bytes and a path in, one DocumentResult out, no shared
state. It never raises for a bad document; the failure becomes the document's status and
error, and the rest of the ingest goes on. `parse_all` runs it over many files in chunks
(one task, one cache file and one transfer per chunk), in parallel when it pays.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import re
import signal
import threading
from dataclasses import dataclass, field

from .errors import DocumentError
from .schema import table
from .warning_codes import PARTIAL_CODES  # codes that mean part of the document could not be loaded: 'partial'

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
    streamed: tuple[dict, dict] | None = None  # (its chunk's columns, its spans in them): see catalog.stream_tables
    warnings: list[tuple[str, str]] = field(default_factory=list)
    content_read: bool = True  # False when the file could not be read: its id is not a content hash

    def fail(self, code: str, message: str) -> "DocumentResult":
        self.status, self.error, self.rows, self.streamed = "failed", message, {}, None
        self.warnings.append((code, message))
        return self


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_file(path: str, data: bytes) -> DocumentResult:
    """Parse one file's bytes into catalog rows. Pure: same bytes and path, same result."""
    from .readers import read_document
    from .vendors import PARSERS, detect_vendor

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
        text_chars = sum(len(t) for t in doc.lines)
        if doc.format in _SAVED_PAGES and text_chars < _SCRIPT_DRAWN_PAGE:
            titled = f", titled {doc.html_title[:80]!r}" if doc.html_title else ""
            if doc.file_complete is False:  # the file itself stops before the page's end
                return res.fail("no_page_text", f"the saved page stops after {text_chars} characters of text{titled}, before any of its content: "
                                                "it was saved before it finished loading")
            return res.fail("no_page_text", f"the saved page holds almost no text ({text_chars} characters{titled}): its scripts draw the content and had not "
                                            "run when it was saved; save it once it has loaded in the browser, or print it to PDF")
        return res.fail("unknown_vendor", f"not a recognized vendor document (no page structure of {', '.join(m.VENDOR for m in PARSERS)} found)")
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
    for name, rows in parsed.rows.items():  # the parser's own fresh dicts: stamped in place, not copied
        if "document_id" in _row_checks(name, PARSERS)[0]:
            for row in rows:
                row["document_id"] = res.document_id
    res.rows = parsed.rows
    if not any(res.rows.get(t) for t in ("roles", "competencies")):
        return res.fail("not_a_profile", f"recognized as {module.VENDOR} but no role or competency could be read; " + "; ".join(m for _, m in res.warnings))
    if parsed.partial or any(code in PARTIAL_CODES for code, _ in res.warnings):
        res.status = "partial"
        res.error = "; ".join(m for c, m in res.warnings if c in PARTIAL_CODES) or None
    return res


# A saved page with less text than this and no vendor structure is one whose content its
# scripts draw (saved as "HTML only" before they ran), not a page of another kind.
_SCRIPT_DRAWN_PAGE = 200
_SAVED_PAGES = ("html", "mhtml", "webarchive")


@functools.cache
def _row_checks(name: str, registry: tuple) -> tuple[frozenset, tuple[str, ...], tuple[tuple[str, frozenset, tuple], ...]]:
    """A table's known columns, required columns and closed vocabularies, prepared once per
    parser registry (the vendor vocabulary is the registry)."""
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


def read_bytes(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def parse_path(path: str) -> DocumentResult:
    """Read and parse one file (the unit of work a process pool maps over)."""
    try:
        data = read_bytes(path)
    except OSError as exc:
        return unreadable(path, "unreadable_file", f"file could not be read: {exc.strerror or exc}")
    return parse_file(path, data)


def unreadable(path: str, code: str, message: str) -> DocumentResult:
    # No content to hash: the id is the hash of the path, marked so it cannot collide with content.
    res = DocumentResult(document_id=sha256(b"path:" + path.encode("utf-8", "surrogateescape")), path=path, content_read=False)
    return res.fail(code, message)


def strict_failure(res: DocumentResult) -> DocumentResult:
    """--strict: a result with warnings becomes a failure that lists them."""
    from dataclasses import replace

    failed = replace(res, warnings=list(res.warnings))
    return failed.fail("strict", "warnings are failures under --strict: " + "; ".join(f"{c}: {m}" for c, m in res.warnings))


# Files are parsed in chunks: one task, one cache file and one transfer per chunk, not per file
# (64 files: 0.13 s less CPU than 32 over 10,000 pages, fewer tasks and batches; 128 no better).
CHUNK_FILES = 64


def parse_chunk(results_dir: str | None, paths: list[str], send_bytes: bool = False):
    """parse_path over a chunk of files, keeping the results for the next ingest in one file
    (in the process that parsed them). Returns (chunk file name, results), the results pickled
    when they go back to another process (the bytes already written to the cache)."""
    from .catalog import stream_tables

    results = [parse_path(p) for p in paths]
    columns, spans = stream_tables([res.rows for res in results])  # rows to columns here, in parallel, not in the ingest process
    for res, doc_spans in zip(results, spans):
        res.streamed = (columns, doc_spans) if doc_spans else None  # one dict shared by the chunk (pickled once)
    if not results_dir:
        return None, results
    from .cache import store_chunk

    name, blob = store_chunk(results_dir, results)
    return name, blob if send_bytes else results


# Fewer files than this are parsed in the ingest process: starting workers would cost more.
POOL_FROM_FILES = 16


def in_worker_processes(files: int, workers: int | None) -> bool:
    """Whether parse_all parses `files` files in a process pool (else in this process)."""
    return worker_count(workers) > 1 and files >= POOL_FROM_FILES


def worker_count(workers: int | None) -> int:
    """The number of worker processes asked for; by default one per core."""
    return workers if workers is not None else (os.cpu_count() or 1)


def parse_all(paths: list[str], workers: int | None, results_dir: str | None = None, meanwhile=None):
    """(chunk, result) for each path in order; in a process pool when there are enough files to
    pay for it, in which case `meanwhile()` is called once the work is handed out."""
    import pickle

    workers = worker_count(workers)
    size = max(1, min(CHUNK_FILES, -(-len(paths) // (4 * workers))))  # a few chunks per worker even for a few files
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    if not in_worker_processes(len(paths), workers):
        for chunk_paths in chunks:
            name, results = parse_chunk(results_dir, chunk_paths)
            yield from ((name, r) for r in results)
        return
    from concurrent.futures import ProcessPoolExecutor

    work = functools.partial(parse_chunk, results_dir, send_bytes=True)
    pool = ProcessPoolExecutor(max_workers=workers, initializer=init_worker)
    try:
        with ctrl_c_held():  # map submits every chunk now; the first submit forks the workers
            outputs = pool.map(work, chunks)
        if meanwhile is not None:
            meanwhile()
        for name, payload in outputs:
            results = pickle.loads(payload) if isinstance(payload, bytes) else payload
            yield from ((name, r) for r in results)
    except BaseException:  # Ctrl-C, an error, or the consumer stopped: drop the queued chunks
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


@contextlib.contextmanager
def ctrl_c_held():
    """Hold Ctrl-C back while worker processes are forked: a worker starts with it blocked
    (no window in which it could die of it before its initializer ignores it), and the
    ingest process gets one that came meanwhile as soon as the fork is done."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def init_worker() -> None:
    """A worker leaves Ctrl-C to the ingest process (which cancels the queued work; a worker
    that got it too would print a traceback and break the pool), and on Linux gets SIGTERM
    when the ingest process dies (even by SIGKILL), so no orphaned worker outlives a load.
    Its cycle collector runs (the ingest process pauses its own): a worker keeps nothing
    from one chunk to the next, so the collector costs it nothing measurable, and a cycle
    left by a failing document is freed."""
    gc.enable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked since the fork (ctrl_c_held)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
