"""Incremental ingest: remember what each input was and what parsing it gave.

`<out>/.cache/manifest.json` maps each input path to (size, mtime_ns, sha256), plus a
fingerprint of the pipeline's code and the ingest options. When every file's size and
modification time are unchanged, the content hash is trusted without re-reading the file;
when nothing at all changed, the ingest stops before importing any heavy library.
`<out>/.cache/results/<code fingerprint>/` keeps the parse results as JSON (data, never
code: a file placed there cannot run anything), one file per chunk of files parsed together (written by the worker that parsed them: one file write per chunk,
not per document, which cost as much as parsing a page); the manifest records which chunk
holds each file's result, so only new or changed files are parsed again. Files are replaced
atomically (temporary file and os.replace); the manifest is written only after the catalog
was swapped in.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def code_fingerprint() -> str:
    """Changes whenever any module of the pipeline changes, so stale parse results are never reused."""
    h = hashlib.sha256()
    for f in sorted(_PACKAGE.rglob("*.py")):
        h.update(str(f.relative_to(_PACKAGE)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def data_fingerprint() -> str:
    """The curated data files (reviewed matches, thesaurus): editing them re-runs the
    crosswalk without re-parsing any document."""
    h = hashlib.sha256()
    for f in sorted(p for p in (_PACKAGE / "data").rglob("*") if p.is_file()):
        h.update(str(f.relative_to(_PACKAGE)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


class Cache:
    def __init__(self, out_dir: Path, options: dict):
        self.dir = Path(out_dir) / ".cache"
        self.fingerprint = code_fingerprint()
        self.options = options
        self.manifest = self._load_manifest()
        self._chunks: dict[str, dict] = {}
        self._chunk_names: set[str] | None = None

    def _load_manifest(self) -> dict:
        self.last_manifest: dict | None = None  # the last ingest's, whatever code wrote it (pipeline.given_paths reads its documents)
        try:
            data = json.loads((self.dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        self.last_manifest = data if isinstance(data, dict) else None
        if data.get("fingerprint") != self.fingerprint or data.get("options") != self.options:
            return {}
        return data

    def entry(self, path: str) -> list | None:
        """[size, mtime_ns, sha256, chunk] recorded for `path` by the last ingest."""
        return self.manifest.get("files", {}).get(path)

    def known_sha(self, path: str, st: os.stat_result) -> str | None:
        entry = self.entry(path)
        if entry and entry[0] == st.st_size and entry[1] == st.st_mtime_ns:
            return entry[2]
        return None

    def unchanged(self, stats: dict[str, os.stat_result | None], catalog: Path) -> bool:
        files = self.manifest.get("files")
        if not files or set(files) != set(stats) or not catalog.exists():
            return False
        return all(st is not None and self.known_sha(p, st) is not None for p, st in stats.items())

    @property
    def summary(self) -> list[dict]:
        return self.manifest.get("documents", [])

    @property
    def results_dir(self) -> Path:
        return self.dir / "results" / self.fingerprint[:16]

    def has_chunk(self, chunk: str | None) -> bool:
        # One listing of the folder, not a stat per file: re-ingesting after one file was
        # added asks this for every other file of the catalog.
        if self._chunk_names is None:
            try:
                self._chunk_names = {e.name for e in os.scandir(self.results_dir) if e.is_file()}
            except OSError:
                self._chunk_names = set()
        return bool(chunk) and chunk in self._chunk_names

    def result(self, chunk: str, sha: str, path: str):
        """The earlier result for (sha, path) from its chunk file, or None if it cannot be read.
        The last few chunks read are kept: files are reused in path order, the order their
        chunks were written in (files of chunks from different ingests can interleave)."""
        if chunk not in self._chunks:
            try:
                results = results_from_bytes((self.results_dir / chunk).read_bytes())
                self._chunks[chunk] = {(r.document_id, r.path): r for r in results if r.content_read}
            except (OSError, ValueError, TypeError, KeyError, AttributeError):  # a damaged or foreign file: parsed again
                self._chunks[chunk] = {}
            while len(self._chunks) > 8:
                self._chunks.pop(next(iter(self._chunks)))
        return self._chunks[chunk].pop((sha, path), None)

    def save(self, files: dict[str, list], documents: list[dict]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        # cwd: what the relative paths are relative to (pipeline.given_paths compares them with the next ingest's)
        manifest = {"fingerprint": self.fingerprint, "options": self.options, "files": files, "documents": documents, "cwd": os.getcwd()}
        _write_atomic(self.dir / "manifest.json", json.dumps(manifest).encode("utf-8"))
        keep = {entry[3] for entry in files.values() if len(entry) > 3}
        for old in (self.dir / "results").glob("*"):
            if old != self.results_dir:
                shutil.rmtree(old, ignore_errors=True)  # results of other code versions
        if self.results_dir.is_dir():
            for f in os.scandir(self.results_dir):
                if f.name not in keep:
                    os.unlink(f.path)


# The cache holds data, never code: a chunk file is JSON (results_to_bytes), read back by
# building the records field by field, so a file placed in .cache can run nothing.
CHUNK_FORMAT = "compcat-results/1"


def results_to_bytes(results: list) -> bytes:
    """A chunk's results as JSON: each result's fields, and the chunk's shared streamed columns once."""
    columns: dict = next((r.streamed[0] for r in results if r.streamed), {})
    return json.dumps({"format": CHUNK_FORMAT, "columns": columns, "results": [_record(r) for r in results]},
                      separators=(",", ":"), ensure_ascii=False, check_circular=False).encode("utf-8", "surrogateescape")


def _record(r) -> dict:
    from .rows import columns_of  # (here: a re-ingest that finds nothing changed never loads the schema)

    parsed = r.parsed
    return {"document_id": r.document_id, "path": r.path, "format": r.format, "page_count": r.page_count,
            "reader_warnings": r.reader_warnings, "failure": r.failure, "content_read": r.content_read,
            "spans": r.streamed[1] if r.streamed else None,
            "parsed": None if parsed is None else {"vendor": parsed.vendor, "parser_version": parsed.parser_version, "title": parsed.title,
                                                   "title_source": parsed.title_source, "warnings": parsed.warnings,
                                                   "rows": {t: columns_of(t, rows) for t, rows in parsed.rows.items()}}}  # columns: half the size


def results_from_bytes(blob: bytes) -> list:
    """The results of results_to_bytes; ValueError (or TypeError, KeyError) for anything else."""
    from .parse import DocumentResult
    from .vendors.common import ParseResult

    data = json.loads(blob.decode("utf-8", "surrogateescape"))
    if not isinstance(data, dict) or data.get("format") != CHUNK_FORMAT:
        raise ValueError("not a chunk of parse results")
    columns = data["columns"]
    out = []
    for rec in data["results"]:
        p = rec["parsed"]
        parsed = None if p is None else ParseResult(str(p["vendor"]), str(p["parser_version"]), title=p["title"], title_source=p["title_source"],
                                                    rows={t: _row_dicts(t, cols) for t, cols in p["rows"].items()},
                                                    warnings=[(str(c), str(m)) for c, m in p["warnings"]])
        spans = rec["spans"]
        out.append(DocumentResult(
            document_id=str(rec["document_id"]), path=str(rec["path"]), format=rec["format"], page_count=rec["page_count"],
            reader_warnings=[(str(c), str(m)) for c, m in rec["reader_warnings"]], parsed=parsed,
            failure=None if rec["failure"] is None else (str(rec["failure"][0]), str(rec["failure"][1])),
            streamed=None if not spans else (columns, {t: (int(a), int(b)) for t, (a, b) in spans.items()}), content_read=bool(rec["content_read"])))
    return out


def _row_dicts(name: str, columns: dict[str, list]) -> list[dict]:
    """A table's rows from its columns (every declared column; one the parser did not set is NULL
    either way)."""
    from .schema import table

    names = table(name).columns
    return [dict(zip(names, values)) for values in zip(*(columns[c] for c in names))]


def store_chunk(results_dir: str, results: list) -> str:
    """Keep the results of one chunk of files in one file (called in the worker that parsed
    them); returns the file's name."""
    blob = results_to_bytes(results)
    name = hashlib.sha256("\0".join(f"{r.document_id}:{r.path}" for r in results).encode("utf-8", "surrogateescape")).hexdigest()[:32] + ".json"
    target = Path(results_dir) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(target, blob)
    return name


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
