"""Parsing many files: in chunks (one task, one cache file and one transfer per chunk), in a
pool of worker processes when it pays, with Ctrl-C and the ingest process's death handled.

`pipeline.parse.parse_path` is the pure per-file function this maps over the files.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import signal
import threading

from . import watchdog
from .parse import DEFAULT_LIMITS, FileLimits, parse_within_limits, timed_out, worker_crashed

# Files are parsed in chunks: one task, one cache file and one transfer per chunk, not per file
# (64 files: 0.13 s less CPU than 32 over 10,000 pages, fewer tasks and batches; 128 no better).
CHUNK_FILES = 64


def parse_chunk(results_dir: str | None, paths: list[str], limits: FileLimits = DEFAULT_LIMITS, chunk: int | None = None,
                failed: dict[int, str] | None = None):
    """parse_path over a chunk of files. With `results_dir`, the results are written there as the
    chunk's folder (pipeline.chunks, in the process that parsed them: the rows never travel to
    the ingest process) and what was written is returned (chunks.ChunkFiles); without, the
    results. `failed`: files (by position) not to read again, with why (a worker was lost on
    them); `chunk`: the chunk's number for the ingest process's watch."""
    results = [_parse_watched(path, limits, chunk, position, (failed or {}).get(position)) for position, path in enumerate(paths)]
    watchdog.reading(chunk, len(paths))  # all read: storing them
    if not results_dir:
        return results
    from .chunks import write_chunk

    return write_chunk(results_dir, results)


def _parse_watched(path: str, limits: FileLimits, chunk: int | None, position: int, lost: str | None):
    if lost == "timeout":
        return timed_out(path, limits)
    if lost == "worker_crashed":
        return worker_crashed(path)
    watchdog.reading(chunk, position)
    return parse_within_limits(path, limits)


# Fewer files than this are parsed in the ingest process: starting workers would cost more.
POOL_FROM_FILES = 16


def in_worker_processes(files: int, workers: int | None) -> bool:
    """Whether parse_all parses `files` files in a process pool (else in this process)."""
    return worker_count(workers) > 1 and files >= POOL_FROM_FILES


def worker_count(workers: int | None) -> int:
    """The number of worker processes asked for; by default one per core."""
    return workers if workers is not None else (os.cpu_count() or 1)


def parse_all(paths: list[str], workers: int | None, results_dir: str, limits: FileLimits = DEFAULT_LIMITS):
    """chunks.ChunkFiles for each chunk of `paths`, in order, their results written under
    `results_dir`; in a process pool when there are enough files to pay for it."""
    workers = worker_count(workers)
    size = max(1, min(CHUNK_FILES, -(-len(paths) // (4 * workers))))  # a few chunks per worker even for a few files
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    if not in_worker_processes(len(paths), workers):
        for chunk_paths in chunks:
            yield parse_chunk(results_dir, chunk_paths, limits=limits)
        return
    work = functools.partial(parse_chunk, results_dir, limits=limits)
    pool = watchdog.WatchedPool(chunks, workers, work, limits.seconds, initializer=init_worker, held=ctrl_c_held)
    yield from pool.run()


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
