"""Which documents of the current catalog an ingest would drop: those none of whose files lies
under the paths it was given (a file deleted from a folder that was given is no such document:
the catalog reflects the folder). An ingest stops rather than drop them, unless told to replace.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path


def _under(roots: list[str]) -> Callable[[str], bool]:
    """Whether a path is one of `roots` or inside one."""
    exact, prefixes = set(roots), tuple(r.rstrip(os.sep) + os.sep for r in roots)
    return lambda path: path in exact or path.startswith(prefixes)


def _recorded_documents(out_dir: Path, manifest: dict | None) -> tuple[str, list[list[str]]]:
    """The folder the current catalog's paths are relative to, and each document's paths: from
    the last ingest's manifest (whatever code wrote it), else from the catalog itself."""
    try:
        if manifest is None:
            manifest = json.loads((out_dir / ".cache" / "manifest.json").read_text(encoding="utf-8"))
        documents = [list(d.get("paths") or [d["path"]]) for d in manifest["documents"]]
        return str(manifest.get("cwd") or os.getcwd()), documents
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    import duckdb

    with duckdb.connect(str(out_dir / "catalog.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT list(path ORDER BY path) FROM document_paths GROUP BY document_id ORDER BY min(path)").fetchall()
    return os.getcwd(), [paths for (paths,) in rows]


def documents_not_given(out_dir: Path, paths: list[str], manifest: dict | None = None) -> list[str]:
    """The first path of each document of the catalog in `out_dir` that comes from none of
    `paths`; `manifest`: the last ingest's, if already read."""
    if not (out_dir / "catalog.duckdb").exists():
        return []
    base, documents = _recorded_documents(out_dir, manifest)
    under_roots = _under([os.path.normpath(os.path.abspath(p)) for p in paths])
    under_real_roots = _under([os.path.realpath(p) for p in paths])
    under_as_typed = _under([os.path.normpath(p) for p in paths] if base == os.getcwd() else [])  # the common case, without a path computation per document

    def given(path: str) -> bool:
        if under_as_typed(path):
            return True
        path = os.path.normpath(os.path.join(base, path))
        return under_roots(path) or under_real_roots(os.path.realpath(path))  # (the same folder named through a link)

    return sorted(d[0] for d in documents if d and not any(given(p) for p in d))


def check_nothing_dropped(out_dir: Path, paths: list[str], manifest: dict | None = None) -> str | None:
    """Why an ingest of `paths` into `out_dir` must stop (it would drop documents), or None."""
    dropped = documents_not_given(out_dir, paths, manifest)
    if not dropped:
        return None
    return (f"the catalog at {out_dir} holds {len(dropped)} document(s) from paths not given (e.g. {dropped[0]}); "
            "add them to the command, or pass --replace to drop them")
