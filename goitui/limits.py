"""The last guard of a batch: a time limit on reading and parsing one file.

Readers and the parser run in time about linear in the file, with caps that refuse what no
report needs; a file that still takes too long (a kind of hostile input nobody thought of)
must not hold up the files after it. The work is interrupted at the next Python instruction
with ``TimeLimit``, a ``BaseException``, so no ``except Exception`` in a library swallows it;
the importer reports the file and goes on:

- in the main thread of a process (the CLI) by an interval timer (``SIGALRM``);
- in any other thread (a program that imports from a worker thread; signals reach only the
  main thread) by a timer thread that raises the exception in the worker
  (``PyThreadState_SetAsyncExc``, CPython's way to interrupt a thread, the same moment a
  signal handler would run);
- and everywhere by ``check``, which readers call between pages and the parser between
  reports: a deadline checked cooperatively, which also serves where neither of the above can.

Code inside a C call (a regular expression, lxml, pdfium) is interrupted when it returns; the
caps bound how long such a call can be.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: seconds one file may take to be read and parsed (``goi import --time-limit``)
FILE_SECONDS = 300.0

#: the limit of the batch being imported (``None``: no limit)
per_file: ContextVar[float | None] = ContextVar("goi_seconds_per_file", default=FILE_SECONDS)

#: (the moment the file being read must be done by, on ``time.monotonic``, its limit)
_deadline: ContextVar[tuple[float, float] | None] = ContextVar("goi_deadline", default=None)


class TimeLimit(BaseException):
    """Reading one file took longer than its time limit (``seconds``)."""

    def __init__(self, seconds: float = 0.0) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def check() -> None:
    """Raise ``TimeLimit`` when the file being read (in this thread) is past its limit.
    Cheap (a context variable and a clock): call it once per page, part or report."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline[0]:
        raise TimeLimit(deadline[1])


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``TimeLimit`` in the block once ``seconds`` have passed, in any thread."""
    if not seconds or seconds <= 0:
        yield
        return
    token = _deadline.set((time.monotonic() + seconds, seconds))
    try:
        if threading.current_thread() is threading.main_thread():
            with _alarm(seconds):
                yield
        else:
            with _thread_timer(seconds):
                yield
    finally:
        _deadline.reset(token)


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise TimeLimit(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_set_async_exc = getattr(getattr(ctypes, "pythonapi", None), "PyThreadState_SetAsyncExc", None)


@contextmanager
def _thread_timer(seconds: float) -> Iterator[None]:
    """``TimeLimit`` raised in this thread by a timer thread once ``seconds`` have passed.

    The timer raises it only while the block runs (``armed``, under ``lock``); leaving the
    block disarms it and withdraws an exception raised but not delivered yet, so that none
    escapes into the code after the block."""
    if _set_async_exc is None:  # not CPython: ``check`` alone guards
        yield
        return
    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    armed = [True]

    def expire() -> None:
        with lock:
            if armed[0]:
                _set_async_exc(target, ctypes.py_object(TimeLimit))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    try:
        timer.start()
        yield
    finally:
        with lock:
            armed[0] = False
            _set_async_exc(target, None)  # one raised but not delivered yet is withdrawn
        timer.cancel()
