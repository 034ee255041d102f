"""Ingest: find input files, parse each one (pipeline.parse), merge, assemble, load.

The run: discover the inputs, reuse what the cache holds for unchanged files, parse the
others (in a process pool), merge every document's rows in path order (pipeline.catalog),
add the documents' own tables, the crosswalk and the scales (`assemble`), and write the
catalog (pipeline.load).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .parse import (DocumentResult, ctrl_c_held, in_worker_processes, init_worker, parse_all, parse_chunk, read_bytes, sha256, strict_failure,
                    unreadable, worker_count)


# -- the whole run -------------------------------------------------------------------------


@dataclass
class IngestReport:
    load_id: str | None
    documents: list[dict]
    out_dir: Path
    parsed: int = 0
    reused: int = 0
    unchanged: bool = False
    skipped: list[str] | None = None  # files in the folders of a type that is not read

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents if d["status"] == status)

    @property
    def failed(self) -> list[dict]:
        return [d for d in self.documents if d["status"] == "failed"]


def ingest(paths: list[str], out_dir: str | Path, strict: bool = False, workers: int | None = None, progress=None) -> IngestReport:
    """Ingest `paths` into the catalog in `out_dir`. `progress(done, total)` is called as files are parsed."""
    with contextlib.ExitStack() as run:
        return _ingest(paths, out_dir, strict, workers, progress, run)


@contextlib.contextmanager
def collector_paused():
    """Python's cycle collector off, as it was after; for a run whose files are parsed in
    worker processes. The merge keeps millions of row objects alive until the load, and each
    full collection walked them all: 0.25-0.4 s of the ingest process's 2 s on 10,000 pages,
    for a few hundred cyclic objects freed (rows hold no cycles; reference counting frees
    them). Files parsed in this process leave cycles only the collector frees (pdfplumber's
    page objects: 1 GB over 200 PDFs with it off), so it runs then."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _ingest(paths: list[str], out_dir: str | Path, strict: bool, workers: int | None, progress, run: contextlib.ExitStack) -> IngestReport:
    from .cache import Cache, data_fingerprint
    from .discover import discover

    out_dir = Path(out_dir)
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    load_id = started.strftime("%Y%m%dT%H%M%S%fZ")
    skipped: list[str] = []
    found = discover(paths, skipped)
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
        return IngestReport(None, cache.summary, out_dir, unchanged=True, skipped=skipped)

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
    if in_worker_processes(len(to_parse), workers):
        run.enter_context(collector_paused())
    parsed = iter(parse_all(to_parse, workers, str(cache.results_dir), meanwhile=_import_load_libraries))

    def in_path_order():
        """Every file's result in path order (the order merging depends on), parsed or reused."""
        nonlocal reused, reparsed
        done = 0
        for f in found:
            if f.problem:
                yield f.path, unreadable(f.path, *f.problem)
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
            res = strict_failure(res)
        paths_by_id.setdefault(res.document_id, []).append(path)
        if res.document_id in by_id:  # the same bytes under another name: one document, two paths
            continue
        by_id[res.document_id] = res
        if res.status != "failed":
            builder.add(res.document_id, res.rows, res.streamed)
        res.rows, res.streamed = {}, None  # merged into the builder; the result keeps only its metadata
    modified = {p: st.st_mtime for p, st in stats.items() if st is not None}
    tables, batches = builder.finish()
    offload = worker_count(workers) > 1 and len(tables["competencies"]) + len(tables["roles"]) >= OFFLOAD_CROSSWALK_FROM
    assemble(tables, list(by_id.values()), paths_by_id, modified, extra_warnings, load_id, started, offload)
    statuses = Counter(d["status"] for d in tables["documents"])
    tables["loads"] = [dict(load_id=load_id, started_at=started, documents=len(by_id), ok=statuses["ok"], partial=statuses["partial"],
                            failed=statuses["failed"], parsed=len(to_parse) + reparsed, reused=reused, code_fingerprint=cache.fingerprint)]
    from .load import write_catalog

    summary = [{k: d[k] for k in ("path", "status", "error", "vendor")} for d in tables["documents"]]
    write_catalog(tables, out_dir, load_id, batches)  # consumes the tables as it writes them
    cache.save(files, summary)
    return IngestReport(load_id, summary, out_dir, parsed=len(to_parse) + reparsed, reused=reused, skipped=skipped)


# From this many competencies and roles, a multi-core ingest computes the crosswalk in its own
# process, which also writes the Parquet files of the tables it reads, while the other tables
# are written here (those are loaded last); below, it takes milliseconds.
OFFLOAD_CROSSWALK_FROM = 1000
CROSSWALK_INPUTS = ("competencies", "behaviors", "roles", "related_titles")
CROSSWALK_OUTPUTS = ("competency_matches", "role_matches")


def assemble(tables: dict[str, list[dict]], results: list[DocumentResult], paths_by_id: dict[str, list[str]], modified: dict[str, float],
             extra_warnings: list[tuple[str, str, str]], load_id: str, started: datetime, offload: bool = False) -> dict[str, list[dict]]:
    """Complete the merged tables with the documents' own tables, the crosswalk and the scales.
    With `offload`, the crosswalk tables and the tables it reads are callables giving their
    Parquet files, written in another process meanwhile."""
    from .crosswalk import crosswalk_tables

    # The crosswalk first: offloaded, it runs while the documents' own tables are built here.
    inputs = tuple(tables[name] for name in CROSSWALK_INPUTS)
    if offload:
        from concurrent.futures import ProcessPoolExecutor

        # The inputs go to the process as it starts (a forked process has them already: no
        # pickling here); the tables come back as Parquet files (sorted, encoded and compressed
        # there: a few MB to send and hold, not the 100,000s of values of the pairs).
        pool = ProcessPoolExecutor(max_workers=1, initializer=_crosswalk_process, initargs=(inputs,))
        with ctrl_c_held():  # the submit forks the process
            files = functools.cache(pool.submit(_crosswalk_files).result)
        pool.shutdown(wait=False)  # the submitted task still runs to its end
        for name in CROSSWALK_INPUTS + CROSSWALK_OUTPUTS:
            tables[name] = lambda name=name: files()[name]
    else:
        tables["competency_matches"], tables["role_matches"] = crosswalk_tables(*inputs)

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
    from .vendors import PARSERS

    loaded_vendors = {r.vendor for r in results if r.status != "failed"}
    for module in PARSERS:
        if module.VENDOR in loaded_vendors:
            for level, label in module.SCALE:
                tables["scale_levels"].append(dict(vendor=module.VENDOR, level=level, label=label))
    return tables


def _import_load_libraries() -> None:
    """pyarrow and DuckDB (~0.25 s) imported while the workers parse, not after them (the
    crosswalk's process, forked later, has them too)."""
    from .load import pyarrow_module

    pyarrow_module()
    import duckdb  # noqa: F401
    import pyarrow.compute  # noqa: F401
    import pyarrow.parquet  # noqa: F401


_crosswalk_rows: tuple = ()  # in the crosswalk's process: the rows of the CROSSWALK_INPUTS tables


def _crosswalk_process(rows: tuple) -> None:
    global _crosswalk_rows
    init_worker()
    _crosswalk_rows = rows


def _crosswalk_files() -> dict[str, bytes]:
    """In the crosswalk's own process: the Parquet files of the crosswalk's tables and of the tables it reads."""
    from .crosswalk import crosswalk_tables
    from .load import parquet_bytes

    outputs = crosswalk_tables(*_crosswalk_rows)
    return {name: parquet_bytes(name, rows) for name, rows in zip(CROSSWALK_INPUTS + CROSSWALK_OUTPUTS, _crosswalk_rows + outputs)}
