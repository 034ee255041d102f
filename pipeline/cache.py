"""Incremental ingest: remember what each input was and what parsing it gave.

`<out>/.cache/manifest.json` maps each input path to (size, mtime_ns, sha256), plus a
fingerprint of the pipeline's code and the ingest options. When every file's size and
modification time are unchanged, the content hash is trusted without re-reading the file;
when nothing at all changed, the ingest stops before importing any heavy library.
`<out>/.cache/results/<code fingerprint>/` keeps the parse results, one folder of Parquet
files per chunk of files parsed together (pipeline.chunks: data, never code; written by the
worker that parsed them), which the merge reads directly; the manifest records which chunk and
position hold each file's result, so only new or changed files are parsed again. Chunks are
renamed into place whole and the manifest replaced atomically, after the catalog was swapped in.
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
        """[size, mtime_ns, sha256, chunk, position] recorded for `path` by the last ingest."""
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

    def chunk_tables(self, chunk: str) -> tuple[str, ...] | None:
        """The tables the chunk folder `chunk` has files for, if the last ingest kept it (None: it must be parsed again)."""
        # One listing of the folder, not a stat per chunk: re-ingesting after one file was
        # added asks this for every other file of the catalog.
        if self._chunk_names is None:
            try:
                self._chunk_names = {e.name for e in os.scandir(self.results_dir) if e.is_dir()}
            except OSError:
                self._chunk_names = set()
        tables = self.manifest.get("chunks", {}).get(chunk)
        if chunk not in self._chunk_names or not isinstance(tables, list) or not all(isinstance(t, str) for t in tables):
            return None
        return tuple(tables)

    def save(self, files: dict[str, list], documents: list[dict], chunks: dict[str, tuple[str, ...]]) -> None:
        """The manifest of this ingest (each file's size, time, hash, chunk and position in it;
        each kept chunk's tables); chunk folders no file refers to, and results of other code
        versions, are removed."""
        self.dir.mkdir(parents=True, exist_ok=True)
        # cwd: what the relative paths are relative to (pipeline.given_paths compares them with the next ingest's)
        manifest = {"fingerprint": self.fingerprint, "options": self.options, "files": files, "chunks": {c: list(t) for c, t in chunks.items()},
                    "documents": documents, "cwd": os.getcwd()}
        _write_atomic(self.dir / "manifest.json", json.dumps(manifest).encode("utf-8"))
        for old in (self.dir / "results").glob("*"):
            if old != self.results_dir:
                shutil.rmtree(old, ignore_errors=True)  # results of other code versions
        if self.results_dir.is_dir():
            for f in os.scandir(self.results_dir):
                if f.name not in chunks:
                    shutil.rmtree(f.path, ignore_errors=True) if f.is_dir(follow_symlinks=False) else os.unlink(f.path)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
