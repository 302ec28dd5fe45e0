"""The last guard of a batch: a time limit on reading and parsing one file.

Readers and the parser run in time about linear in the file, with caps that refuse what no
report needs; a file that still takes too long (a kind of hostile input nobody thought of)
must not hold up the files after it. In the main thread of a process (the CLI) an interval
timer interrupts the work at the next Python instruction with ``TimeLimit``, a
``BaseException``, so no ``except Exception`` in a library swallows it; the importer reports
the file and goes on. Elsewhere (a worker thread) there is no such timer and the caps alone
bound the work.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: seconds one file may take to be read and parsed (``goi import --time-limit``)
FILE_SECONDS = 300.0

#: the limit of the batch being imported (``None``: no limit)
per_file: ContextVar[float | None] = ContextVar("goi_seconds_per_file", default=FILE_SECONDS)


class TimeLimit(BaseException):
    """Reading one file took longer than its time limit (``seconds``)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``TimeLimit`` in the block once ``seconds`` have passed (main thread only)."""
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeLimit(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
