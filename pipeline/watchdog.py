"""Worker processes watched from the ingest process: a parse that runs past its time where the
worker's own timer cannot stop it (stuck in C code, which a signal handler never interrupts)
is killed with its worker, the file fails with `timeout`, and the rest of the work goes on in
a new pool. A worker that dies of itself (a crash in a C extension, the system's OOM killer) is
replaced the same way: the file it was reading is read again alone, and fails with
`worker_crashed` if it takes its worker down a second time.

Each worker records, in memory shared with the ingest process, which file of which chunk it is
reading and since when; nothing else crosses between them but the chunks' results.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any

# How often the ingest process looks at the workers while it waits for a chunk.
POLL_SECONDS = 0.25

IDLE = -1


class Progress:
    """Per chunk: the position of the file being read (IDLE when none), since when (monotonic,
    the same clock in every process on one machine) and by which process."""

    def __init__(self, chunks: int):
        self.position = multiprocessing.RawArray("i", [IDLE] * chunks)
        self.since = multiprocessing.RawArray("d", chunks)
        self.pid = multiprocessing.RawArray("i", chunks)

    def start(self, chunk: int, position: int) -> None:
        self.since[chunk] = time.monotonic()
        self.pid[chunk] = os.getpid()
        self.position[chunk] = position

    def stop(self, chunk: int) -> None:
        self.position[chunk] = IDLE

    def reading(self, chunks) -> list[tuple[int, int]]:
        """(chunk, position) of every file being read in these chunks."""
        return [(c, self.position[c]) for c in chunks if self.position[c] != IDLE]

    def overdue(self, chunks, seconds: float) -> list[tuple[int, int, int]]:
        """(chunk, position, pid) of every file read for longer than `seconds`."""
        now = time.monotonic()
        return [(c, p, self.pid[c]) for c, p in self.reading(chunks) if now - self.since[c] > seconds]


_progress: Progress | None = None  # in a worker: where it records what it reads


def set_worker_progress(progress: Progress | None) -> None:
    global _progress
    _progress = progress


def _start_worker(initializer: Callable[[], None], progress: Progress) -> None:
    initializer()
    set_worker_progress(progress)


def reading(chunk: int | None, position: int) -> None:
    """Called by a worker before it reads the file at `position` of `chunk`, and with the chunk's
    length once it has read them all and stores and sends them (the ingest process marks the
    chunk idle when it has its output)."""
    if _progress is not None and chunk is not None:
        _progress.start(chunk, position)


def kill_seconds(file_seconds: float) -> float:
    """When a file's worker is killed: the worker's own timer (at `file_seconds`) had its chance."""
    return file_seconds + max(1.0, file_seconds / 4)


class WorkerLostError(RuntimeError):
    """Worker processes kept dying where no file was being read: not a file's fault."""


# Pools broken by workers dying where no kill of ours explains it, before the run gives up.
MAX_UNEXPLAINED_BREAKS = 20


class WatchedPool:
    """Runs `work(paths, chunk=i, failed={position: code})` over chunks in pools of worker
    processes, yielding each chunk's output in order, replacing the pool when a worker is
    killed or dies."""

    def __init__(self, chunks: list[list[str]], workers: int, work: Callable, file_seconds: float, initializer: Callable[[], None], held: Callable):
        self.chunks = chunks
        self.workers = workers
        self.work = work
        self.kill_after = kill_seconds(file_seconds) if file_seconds > 0 else 0.0
        self.initializer = initializer
        self.held = held  # a context in which the first submit forks the workers
        self.progress = Progress(len(chunks))
        self.failed: dict[int, dict[int, str]] = {}  # chunk -> {position: code} for files not to read again
        self.suspects: set[int] = set()  # chunks that were being read when a worker died unexplained
        self.crashed_once: set[tuple[int, int]] = set()  # (chunk, position) of files being read then
        self.unexplained = 0
        self.killed_pids: set[int] = set()
        self.outputs: dict[int, Any] = {}

    def run(self) -> Iterator[Any]:
        following = 0  # the next chunk to hand on: outputs go out in the chunks' order
        while following < len(self.chunks):
            todo = [c for c in range(following, len(self.chunks)) if c not in self.outputs]
            alone = sorted(self.suspects.intersection(todo))
            for c, output in self._round(alone or todo, 1 if alone else self.workers):
                self.outputs[c] = output
                while following in self.outputs:
                    yield self.outputs.pop(following)
                    following += 1

    def _round(self, todo: list[int], workers: int) -> Iterator[tuple[int, object]]:
        """(chunk, output) from one pool, until every chunk is done or the pool breaks."""
        pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)), initializer=_start_worker, initargs=(self.initializer, self.progress))
        futures: dict[int, Future] = {}
        try:
            with self.held():
                futures = {c: pool.submit(self.work, self.chunks[c], chunk=c, failed=self.failed.get(c, {})) for c in todo}
            killed = yield from self._collect(futures)
        except BaseException:  # Ctrl-C, an error, or the consumer stopped: drop the queued chunks
            _abandon(pool, futures)
            raise
        pool.shutdown(cancel_futures=True)
        if killed is not None:
            self._blame(killed, todo, workers)

    def _collect(self, futures: dict[int, Future]):
        """Yields each chunk's output in order; returns None when all finished, else the files
        whose workers were killed for running overdue (none when a worker died of itself)."""
        killed: list[tuple[int, int]] = []
        given: set[int] = set()
        for c, future in futures.items():
            while not future.done():
                try:
                    future.result(timeout=POLL_SECONDS)
                except FutureTimeout:
                    killed += self._kill_overdue(futures)
                except BrokenProcessPool:
                    break
            if isinstance(future.exception(), BrokenProcessPool):
                yield from self._finished(futures, given)
                return killed
            yield self._handed_on(c, future, given)
        return None

    def _handed_on(self, c: int, future: Future, given: set[int]) -> tuple[int, object]:
        output = future.result()
        self.progress.stop(c)
        self.suspects.discard(c)
        given.add(c)
        return c, output

    def _kill_overdue(self, futures: dict[int, Future]) -> list[tuple[int, int]]:
        if not self.kill_after:
            return []
        # (A chunk's files all read, its worker storing and sending them, is no file overdue.)
        overdue = [(c, p, pid) for c, p, pid in self.progress.overdue(futures, self.kill_after)
                   if p < len(self.chunks[c]) and pid not in self.killed_pids]
        for _, _, pid in overdue:
            self.killed_pids.add(pid)  # once: until the pool notices, its pid stays in the progress
            with contextlib.suppress(OSError):  # it ended meanwhile
                os.kill(pid, signal.SIGKILL)
        return [(c, p) for c, p, _ in overdue]

    def _finished(self, futures: dict[int, Future], given: set[int]) -> Iterator[tuple[int, object]]:
        """The chunks that were done when the pool broke (and not handed on yet)."""
        for c, future in futures.items():
            if c not in given and future.done() and not future.cancelled() and future.exception() is None:
                yield self._handed_on(c, future, given)

    def _blame(self, killed: list[tuple[int, int]], todo: list[int], workers: int) -> None:
        """After a pool broke: which files not to read again, or which chunks to read alone."""
        reading = self.progress.reading(todo)
        for c in todo:
            self.progress.stop(c)
        for c, position in killed:
            self.failed.setdefault(c, {})[position] = "timeout"
        if killed:
            return
        self.unexplained += 1
        if self.unexplained > MAX_UNEXPLAINED_BREAKS:
            raise WorkerLostError(f"worker processes died {MAX_UNEXPLAINED_BREAKS} times without a file to blame (out of memory?)")
        if not reading:
            raise WorkerLostError("a worker process died while no file was being read")
        files = [(c, position) for c, position in reading if position < len(self.chunks[c])]
        if workers == 1 and not files:
            raise WorkerLostError("a worker process died after reading its files, storing or sending them (out of memory?)")
        if workers == 1 and files[0] in self.crashed_once:  # alone in its pool, a second time: the file took the worker down
            c, position = files[0]
            self.failed.setdefault(c, {})[position] = "worker_crashed"
            self.suspects.discard(c)
            return
        self.crashed_once.update(files)
        self.suspects.update(c for c, _ in reading)  # each chunk again, alone


def _abandon(pool: ProcessPoolExecutor, futures: dict[int, Future]) -> None:
    """Stops a pool whose work is no longer wanted; workers still reading are killed (a file stuck
    in C code would otherwise hold the exit until it ends: workers ignore Ctrl-C)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # (shutdown forgets them)
    pool.shutdown(wait=False, cancel_futures=True)
    if all(f.done() for f in futures.values()):
        return
    for process in processes:
        with contextlib.suppress(OSError, AttributeError):
            process.kill()
