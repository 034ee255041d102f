"""Find the input files under the paths an ingest was given, and stay inside them.

Folders are searched recursively for .html/.htm/.pdf/.txt. Symlinks are never followed
out of the given paths: a link to a file outside them is reported, a link to a folder is
not descended (its files inside the paths are reached by their real path anyway, and a
link back up the tree cannot loop).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

INPUT_SUFFIXES = (".html", ".htm", ".pdf", ".txt")


class UsageError(Exception):
    pass


@dataclass(frozen=True)
class Found:
    path: str
    problem: tuple[str, str] | None = None  # (code, message) when the file must not be read


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def discover(paths: list[str]) -> list[Found]:
    for p in paths:
        if not os.path.lexists(p):
            raise UsageError(f"path not found: {p}")
    roots = [os.path.realpath(p) for p in paths]
    found: dict[str, Found] = {}

    def consider(path: str, explicit: bool) -> None:
        if not explicit and not path.lower().endswith(INPUT_SUFFIXES):
            return
        if os.path.islink(path):
            real = os.path.realpath(path)
            if not _inside(real, roots):
                found[path] = Found(path, ("outside_input", f"symlink points outside the paths given to ingest ({real}); not followed"))
                return
            if not os.path.exists(real):
                found[path] = Found(path, ("broken_symlink", "symlink points to a file that does not exist"))
                return
        found[path] = Found(path)

    for p in paths:
        if os.path.isdir(p):
            for dirpath, dirnames, filenames in os.walk(p, followlinks=False):
                dirnames.sort()
                for name in filenames:
                    consider(os.path.join(dirpath, name), explicit=False)
        else:
            consider(p, explicit=True)
    return [found[k] for k in sorted(found)]
