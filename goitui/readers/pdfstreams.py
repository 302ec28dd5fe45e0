"""PDF streams inflated under a running cap: pdfminer's zlib calls made to count.

A stream's ``/Length`` and filters are the file's word; pdfminer inflates each stream with one
``zlib.decompress`` call (a 1 MB PDF holding one stream that inflates to 1 GiB took 2.1 GB), and
a damaged one byte by byte into a growing bytes object. Here both are replaced by the counted
``inflate`` of ``readers.base``: inside ``counted()`` (one PDF being read) every stream adds to
that file's ``Inflation``, which refuses the file past ``MAX_INFLATED``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pdfminer import pdftypes

from goitui.readers.base import Inflation, inflate, inflate_damaged

_CURRENT: ContextVar[Inflation | None] = ContextVar("goi_pdf_inflation", default=None)


def _inflation() -> Inflation:
    """The file being read's count; outside ``counted()`` each stream is capped on its own."""
    return _CURRENT.get() or Inflation()


class _CountedZlib:
    """Stands in for the ``zlib`` module inside ``pdfminer.pdftypes``."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    def decompress(self, data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = 0) -> bytes:
        return inflate(data, _inflation(), wbits)

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


def _damaged(data: bytes) -> bytes:
    return inflate_damaged(data, _inflation())


pdftypes.zlib = _CountedZlib()  # type: ignore[assignment]
pdftypes.decompress_corrupted = _damaged


@contextmanager
def counted() -> Iterator[Inflation]:
    """Count every stream inflated until the block ends against one file's ``Inflation``."""
    inflation = Inflation()
    token = _CURRENT.set(inflation)
    try:
        yield inflation
    finally:
        _CURRENT.reset(token)
