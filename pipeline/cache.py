"""Incremental ingest: remember what each input was and what parsing it gave.

`<out>/.cache/manifest.json` maps each input path to (size, mtime_ns, sha256), plus a
fingerprint of the pipeline's code and the ingest options. When every file's size and
modification time are unchanged, the content hash is trusted without re-reading the file;
when nothing at all changed, the ingest stops before importing any heavy library.
`<out>/.cache/results/<code fingerprint>/` keeps each document's parse result in its own
file, keyed by content hash and path and written by the worker that parsed it, so only new
or changed files are parsed again. Files are replaced atomically (temporary file and
os.replace); the manifest is written only after the catalog was swapped in.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
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
    for f in sorted((_PACKAGE / "data").glob("*")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


class Cache:
    def __init__(self, out_dir: Path, options: dict):
        self.dir = Path(out_dir) / ".cache"
        self.fingerprint = code_fingerprint()
        self.options = options
        self.manifest = self._load_manifest()

    def _load_manifest(self) -> dict:
        try:
            data = json.loads((self.dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if data.get("fingerprint") != self.fingerprint or data.get("options") != self.options:
            return {}
        return data

    def known_sha(self, path: str, st: os.stat_result) -> str | None:
        entry = self.manifest.get("files", {}).get(path)
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

    def has_results(self) -> bool:
        return self.results_dir.is_dir()

    def get(self, sha: str, path: str):
        try:
            with open(self.results_dir / _result_file(sha, path), "rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ImportError):
            return None

    def save(self, files: dict[str, list], documents: list[dict]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        manifest = {"fingerprint": self.fingerprint, "options": self.options, "files": files, "documents": documents}
        _write_atomic(self.dir / "manifest.json", json.dumps(manifest).encode("utf-8"))
        keep = {_result_file(sha, path) for path, (_, _, sha) in files.items()}
        for old in (self.dir / "results").glob("*"):
            if old != self.results_dir:
                shutil.rmtree(old, ignore_errors=True)  # results of other code versions
        if self.results_dir.is_dir():
            for f in os.scandir(self.results_dir):
                if f.name not in keep:
                    os.unlink(f.path)


def _result_file(sha: str, path: str) -> str:
    return hashlib.sha256(f"{sha}:{path}".encode("utf-8", "surrogateescape")).hexdigest() + ".pickle"


def store_result(results_dir: str, result) -> None:
    """Keep one parse result (called in the worker that produced it)."""
    target = Path(results_dir) / _result_file(result.document_id, result.path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(target, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
