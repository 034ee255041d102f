"""Find the input files under the paths an ingest was given, and stay inside them.

Folders are searched recursively for .html/.htm/.mhtml/.mht/.webarchive/.pdf/.txt, but
for the resource folder a browser saves beside a "complete" web page. Symlinks are never followed
out of the given paths: a link to a file outside them is reported, a link to a folder is
not descended (its files inside the paths are reached by their real path anyway, and a
link back up the tree cannot loop).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass

INPUT_SUFFIXES = (".html", ".htm", ".mhtml", ".mht", ".webarchive", ".pdf", ".txt")


class UsageError(Exception):
    pass


@dataclass(frozen=True)
class Found:
    path: str
    problem: tuple[str, str] | None = None  # (code, message) when the file must not be read


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


# Files a folder search passes over without a word: documentation and hidden files. Any other
# file of a type that is not read is reported (a .docx saved among the pages is not lost silently).
_NOT_MENTIONED = (".md", ".rst")


# A browser saving a "complete" web page puts the page's images, scripts and frames (other
# .html files: ads, trackers) in a folder beside it, named after it: not documents.
_RESOURCE_FOLDER_SUFFIXES = ("_files", "-Dateien", "_archivos", "_fichiers", "_arquivos", "_bestanden", "-filer")


def _resources_of_a_saved_page(folder: str, siblings: set[str]) -> bool:
    for suffix in _RESOURCE_FOLDER_SUFFIXES:
        if folder.endswith(suffix):
            stem = folder[: -len(suffix)]
            return any(f"{stem}{ext}" in siblings for ext in (".html", ".htm", ".HTML", ".HTM"))
    return False


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


def _not_regular(path: str) -> tuple[str, str] | None:
    """Why `path` is not read when it is no regular file (a FIFO would block the read forever, a
    device never ends), or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return "unreadable_file", f"file could not be read: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return "not_a_regular_file", f"{kind}, not a regular file: not read"


def _links_to_a_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a loop of links: reported as a file
        return False


def discover(paths: list[str], skipped: list[str] | None = None) -> list[Found]:
    """The input files under `paths`, in path order; files of other types found in the
    folders are appended to `skipped` (but hidden and documentation files)."""
    for p in paths:
        if not os.path.lexists(p):
            raise UsageError(f"path not found: {p}")
    search = _Search([os.path.realpath(p) for p in paths], skipped)
    for p in paths:
        if os.path.isdir(p):
            search.walk(p)
        else:
            search.consider(p, explicit=True)
    return [search.found[k] for k in sorted(search.found)]


class _Search:
    """The files found so far under the given roots."""

    def __init__(self, roots: list[str], skipped: list[str] | None):
        self.roots = roots
        self.skipped = skipped
        self.found: dict[str, Found] = {}

    def consider(self, path: str, explicit: bool, is_link: bool | None = None, regular: bool | None = None) -> None:
        """A file to read, or a reason not to read it. `regular`: the listing already says
        whether the entry is a regular file (no system call then)."""
        if not explicit and not path.lower().endswith(INPUT_SUFFIXES):
            self._skip(path)
            return
        if os.path.islink(path) if is_link is None else is_link:
            self.found[path] = Found(path, self._link_problem(path))
            return
        self.found[path] = Found(path, None if regular else _not_regular(path))

    def _link_problem(self, path: str) -> tuple[str, str] | None:
        """Why a symlink is not read (None: it leads to a regular file inside the given paths)."""
        try:
            real = os.path.realpath(path, strict=True)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "symlink_loop", "symlink leads back to itself (a loop of links): not followed"
            return "broken_symlink", "symlink points to a file that does not exist"
        if not _inside(real, self.roots):
            return "outside_input", f"symlink points outside the paths given to ingest ({real}); not followed"
        return _not_regular(real)

    def _skip(self, path: str) -> None:
        name = os.path.basename(path)
        if self.skipped is not None and not name.startswith(".") and not name.lower().endswith(_NOT_MENTIONED):
            self.skipped.append(path)

    def walk(self, folder: str) -> None:
        # scandir tells links from the directory listing itself: no lstat per file (a no-op
        # re-ingest of 10,000 files spent a fifth of its time on them).
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:  # reported, not skipped without a word
            self.found[folder] = Found(folder, ("unreadable_folder", f"the folder could not be read: {exc.strerror or exc}; its files were not ingested"))
            return
        names = {e.name for e in entries}
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if not _resources_of_a_saved_page(entry.name, names):
                    self.walk(entry.path)
            elif not _links_to_a_folder(entry):  # a link to a folder is not descended
                self.consider(entry.path, explicit=False, is_link=entry.is_symlink(), regular=entry.is_file(follow_symlinks=False))
