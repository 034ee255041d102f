"""Ingest: find input files, parse each one (a pure function of its bytes), assemble, load.

`parse_file` is the unit of work: bytes and a path in, one DocumentResult out, no shared
state. It never raises for a bad document; the failure becomes the document's status and
error, and the rest of the ingest goes on.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .errors import DocumentError
from .schema import table

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
    streamed: tuple[dict, dict] | None = None  # (its chunk's Arrow batches, its spans in them): see catalog.stream_tables
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


@functools.cache
def _row_checks(name: str, registry: tuple) -> tuple[frozenset, tuple[str, ...], tuple[tuple[str, frozenset, tuple], ...]]:
    """A table's known columns, required columns and closed vocabularies, prepared once per
    parser registry (the vendor vocabulary is the registry)."""
    t = table(name)
    required = tuple(f.name for f in t.fields if not f.nullable and f.name != "document_id")
    vocabularies = tuple((f.name, frozenset(f.vocabulary), f.vocabulary) for f in t.fields if f.allowed)
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
        return _unreadable(path, "unreadable_file", f"file could not be read: {exc.strerror or exc}")
    return parse_file(path, data)


def _unreadable(path: str, code: str, message: str) -> DocumentResult:
    # No content to hash: the id is the hash of the path, marked so it cannot collide with content.
    res = DocumentResult(document_id=sha256(b"path:" + path.encode("utf-8", "surrogateescape")), path=path, content_read=False)
    return res.fail(code, message)


# -- the whole run -------------------------------------------------------------------------


@dataclass
class IngestReport:
    load_id: str | None
    documents: list[dict]
    out_dir: Path
    parsed: int = 0
    reused: int = 0
    unchanged: bool = False

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents if d["status"] == status)

    @property
    def failed(self) -> list[dict]:
        return [d for d in self.documents if d["status"] == "failed"]


def ingest(paths: list[str], out_dir: str | Path, strict: bool = False, workers: int | None = None, progress=None) -> IngestReport:
    """Ingest `paths` into the catalog in `out_dir`. `progress(done, total)` is called as files are parsed."""
    from .cache import Cache, data_fingerprint
    from .discover import discover

    out_dir = Path(out_dir)
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    load_id = started.strftime("%Y%m%dT%H%M%S%fZ")
    found = discover(paths)
    cache = Cache(out_dir, {"strict": strict, "data": data_fingerprint()})
    stats: dict[str, os.stat_result | None] = {}
    for f in found:
        try:
            stats[f.path] = None if f.problem else os.stat(f.path)
        except OSError:
            stats[f.path] = None
    if cache.unchanged(stats, out_dir / "catalog.duckdb"):
        from .load import remove_stale_loads

        remove_stale_loads(out_dir)  # an interrupted load may have left its staging folder
        return IngestReport(None, cache.summary, out_dir, unchanged=True)

    reuse: dict[str, str] = {}  # path -> the cache chunk holding its result from an earlier ingest
    to_parse: list[str] = []
    files: dict[str, list] = {}  # the next manifest: path -> [size, mtime_ns, sha256, chunk]
    for f in found:
        st = stats[f.path]
        if f.problem:
            continue
        entry = cache.entry(f.path)
        sha = cache.known_sha(f.path, st) if st else None
        if sha is None and st is not None and entry is not None:
            try:  # touched but maybe not changed: the content hash decides
                sha = sha256(read_bytes(f.path))
            except OSError:
                sha = None
        if entry is not None and sha == entry[2] and len(entry) > 3 and cache.has_chunk(entry[3]):
            reuse[f.path] = entry[3]
            files[f.path] = [st.st_size, st.st_mtime_ns, sha, entry[3]]
        else:
            to_parse.append(f.path)
    reused = reparsed = 0
    parsed = iter(_parse_all(to_parse, workers, str(cache.results_dir)))

    def in_path_order():
        """Every file's result in path order (the order merging depends on), parsed or reused."""
        nonlocal reused, reparsed
        done = 0
        for f in found:
            if f.problem:
                yield f.path, _unreadable(f.path, *f.problem)
            elif f.path in reuse:
                res = cache.result(reuse[f.path], files[f.path][2], f.path)
                if res is None:  # its cache file is unreadable after all: parse the file again
                    chunk, (res,) = parse_chunk(str(cache.results_dir), [f.path])
                    files[f.path][3] = chunk if res.content_read else None
                    reparsed += 1
                else:
                    reused += 1
                yield f.path, res
            else:
                chunk, res = next(parsed)
                done += 1
                if progress:
                    progress(done, len(to_parse))
                st = stats.get(f.path)
                if st is not None and res.content_read:
                    files[f.path] = [st.st_size, st.st_mtime_ns, res.document_id, chunk]
                yield f.path, res

    from .catalog import CatalogBuilder

    extra_warnings: list[tuple[str, str, str]] = []
    builder = CatalogBuilder(lambda doc_id, code, msg: extra_warnings.append((doc_id, code, msg)))
    by_id: dict[str, DocumentResult] = {}
    paths_by_id: dict[str, list[str]] = {}
    for path, res in in_path_order():
        if strict and res.status != "failed" and res.warnings:
            res = _strict(res)
        paths_by_id.setdefault(res.document_id, []).append(path)
        if res.document_id in by_id:  # the same bytes under another name: one document, two paths
            continue
        by_id[res.document_id] = res
        if res.status != "failed":
            builder.add(res.document_id, res.rows, res.streamed)
        res.rows, res.streamed = {}, None  # merged into the builder; the result keeps only its metadata
    modified = {p: st.st_mtime for p, st in stats.items() if st is not None}
    tables, batches = builder.finish()
    cores = workers if workers is not None else (os.cpu_count() or 1)
    offload = cores > 1 and len(tables["competencies"]) + len(tables["roles"]) >= OFFLOAD_CROSSWALK_FROM
    assemble(tables, list(by_id.values()), paths_by_id, modified, extra_warnings, load_id, started, offload)
    tables["loads"] = [dict(load_id=load_id, started_at=started, documents=len(by_id), ok=_n(tables, "ok"), partial=_n(tables, "partial"),
                            failed=_n(tables, "failed"), parsed=len(to_parse) + reparsed, reused=reused, code_fingerprint=cache.fingerprint)]
    from .load import write_catalog

    summary = [{k: d[k] for k in ("path", "status", "error", "vendor")} for d in tables["documents"]]
    write_catalog(tables, out_dir, load_id, batches)  # consumes the tables as it writes them
    cache.save(files, summary)
    return IngestReport(load_id, summary, out_dir, parsed=len(to_parse) + reparsed, reused=reused)


def _n(tables, status):
    return sum(1 for d in tables["documents"] if d["status"] == status)


def _strict(res: DocumentResult) -> DocumentResult:
    from dataclasses import replace

    failed = replace(res, warnings=list(res.warnings))
    return failed.fail("strict", "warnings are failures under --strict: " + "; ".join(f"{c}: {m}" for c, m in res.warnings))


# Files are parsed in chunks: one task, one cache file and one transfer per chunk, not per file.
CHUNK_FILES = 32


def parse_chunk(results_dir: str | None, paths: list[str], send_bytes: bool = False):
    """parse_path over a chunk of files, keeping the results for the next ingest in one file
    (in the process that parsed them). Returns (chunk file name, results), the results pickled
    when they go back to another process (the bytes already written to the cache)."""
    from .catalog import stream_tables

    results = [parse_path(p) for p in paths]
    batches, spans = stream_tables([res.rows for res in results])  # rows to Arrow here, in parallel, not in the ingest process
    for res, doc_spans in zip(results, spans):
        res.streamed = (batches, doc_spans) if doc_spans else None  # one batch dict shared by the chunk (pickled once)
    if not results_dir:
        return None, results
    from .cache import store_chunk

    name, blob = store_chunk(results_dir, results)
    return name, blob if send_bytes else results


def _parse_all(paths: list[str], workers: int | None, results_dir: str | None = None):
    """(chunk, result) for each path in order; in a process pool when there are enough files to pay for it."""
    import functools
    import pickle

    workers = workers if workers is not None else (os.cpu_count() or 1)
    size = max(1, min(CHUNK_FILES, -(-len(paths) // (4 * workers))))  # a few chunks per worker even for a few files
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    if workers <= 1 or len(paths) < 16:
        for chunk_paths in chunks:
            name, results = parse_chunk(results_dir, chunk_paths)
            yield from ((name, r) for r in results)
        return
    from concurrent.futures import ProcessPoolExecutor

    work = functools.partial(parse_chunk, results_dir, send_bytes=True)
    with ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent) as pool:
        for name, payload in pool.map(work, chunks):
            results = pickle.loads(payload) if isinstance(payload, bytes) else payload
            yield from ((name, r) for r in results)


def _die_with_parent() -> None:
    """Linux: a worker gets SIGTERM when the ingest process dies (even by SIGKILL), so no
    orphaned workers outlive an interrupted load."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# From this many competencies and roles, a multi-core ingest computes the crosswalk in its own
# process while the other tables are written (it is written last); below, it takes milliseconds.
OFFLOAD_CROSSWALK_FROM = 1000


def assemble(tables: dict[str, list[dict]], results: list[DocumentResult], paths_by_id: dict[str, list[str]], modified: dict[str, float],
             extra_warnings: list[tuple[str, str, str]], load_id: str, started: datetime, offload: bool = False) -> dict[str, list[dict]]:
    """Complete the merged tables with the documents' own tables, the crosswalk and the scales.
    With `offload`, the crosswalk tables are callables giving the rows computed in another process."""
    results = sorted(results, key=lambda r: r.path)
    for r in results:
        mtime = max((modified[p] for p in paths_by_id[r.document_id] if p in modified), default=None)
        tables["documents"].append(dict(
            document_id=r.document_id, path=r.path, vendor=r.vendor, format=r.format, status=r.status, error=r.error,
            title=r.title, title_source=r.title_source, page_count=r.page_count, parser_version=r.parser_version,
            file_modified_at=None if mtime is None else datetime.fromtimestamp(mtime, timezone.utc).replace(tzinfo=None),
            ingested_at=started, load_id=load_id))
        for p in paths_by_id[r.document_id]:
            tables["document_paths"].append(dict(document_id=r.document_id, path=p))
        for seq, (code, msg) in enumerate(r.warnings, start=1):
            tables["parse_warnings"].append(dict(document_id=r.document_id, code=code, message=msg, seq=seq))
    last_seq = {r.document_id: len(r.warnings) for r in results}
    for doc_id, code, msg in extra_warnings:
        last_seq[doc_id] += 1
        tables["parse_warnings"].append(dict(document_id=doc_id, code=code, message=msg, seq=last_seq[doc_id]))
    from .crosswalk import crosswalk_tables

    inputs = (tables["competencies"], tables["behaviors"], tables["roles"], tables["related_titles"])
    if offload:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=1, initializer=_die_with_parent)
        matches = functools.cache(pool.submit(crosswalk_tables, *inputs).result)
        pool.shutdown(wait=False)  # the submitted task still runs to its end
        tables["competency_matches"], tables["role_matches"] = (lambda: matches()[0]), (lambda: matches()[1])
    else:
        tables["competency_matches"], tables["role_matches"] = crosswalk_tables(*inputs)
    from .vendors import PARSERS

    loaded_vendors = {r.vendor for r in results if r.status != "failed"}
    for module in PARSERS:
        if module.VENDOR in loaded_vendors:
            for level, label in module.SCALE:
                tables["scale_levels"].append(dict(vendor=module.VENDOR, level=level, label=label))
    return tables
