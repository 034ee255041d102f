"""One writer at a time per output folder: an advisory lock on `<out>/.lock`.

The lock is the operating system's (flock): it is released when its process ends, however it
ends, so a lock left by a killed ingest is simply taken by the next one. The file holds the
writer's process id, for the message a second ingest shows.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path


class OutputLockedError(Exception):
    """Another ingest is writing the same output folder."""


@contextlib.contextmanager
def writer_lock(out_dir: Path, wait: bool = False, poll_seconds: float = 0.2) -> Iterator[None]:
    """Hold the output folder's lock for the block; if another process holds it, wait for it
    (`wait`) or raise OutputLockedError at once, naming that process."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    raise OutputLockedError(f"another ingest (pid {_holder(fd)}) is writing {out_dir}; wait for it, or run with --wait") from None
                time.sleep(poll_seconds)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # (closing releases the lock)


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode().strip() or "unknown"
    except OSError:
        return "unknown"
