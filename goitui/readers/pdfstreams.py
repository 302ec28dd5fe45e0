"""PDF streams decoded under a running cap: every filter of pdfminer's that makes bytes counts.

A stream's ``/Length`` and filters are the file's word; pdfminer inflates each stream with one
``zlib.decompress`` call (a 1 MB PDF holding one stream that inflates to 1 GiB took 2.1 GB), and
a damaged one byte by byte into a growing bytes object. Here both are replaced by the counted
``inflate`` of ``readers.base``: inside ``counted()`` (one PDF being read) every stream adds to
that file's ``Inflation``, which refuses the file past ``MAX_INFLATED``, and each stream is
refused past ``MAX_PART``.

The other filters are counted the same way, each stage of a chain of filters on its own:
LZW (a few kilobytes make megabytes) and RunLength (up to 64×; pdfminer built its output as a
list of ints, 8 bytes a byte) are decoded here a piece at a time, each piece counted before
the next is made; ASCIIHex, ASCII85 (``z`` makes 4 bytes of one) and CCITT fax are decoded by
pdfminer and counted as they come out (at most 4× their input, or the page's image). DCT,
JPX and JBIG2 images are never decoded by pdfminer; the text layer's reader (pdfium) sees
only pages pdfminer has read.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pdfminer import pdftypes
from pdfminer.lzw import LZWDecoder

from goitui.readers.base import Inflation, count_part, inflate, inflate_damaged

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


def _lzw(data: bytes) -> bytes:
    """``lzwdecode`` a code at a time, every piece counted (a damaged stream ends where its
    damage starts, as pdfminer's does)."""
    inflation, made, out = _inflation(), 0, []
    for piece in LZWDecoder(io.BytesIO(data)).run():
        made = count_part(made, len(piece), inflation)
        out.append(piece)
    return b"".join(out)


def _run_length(data: bytes) -> bytes:
    """``rldecode`` (PDF 32000 §7.4.5: a length byte 0–127 copies the next length + 1 bytes,
    129–255 repeats the next byte 257 − length times, 128 ends), counted a run at a time."""
    inflation, made, out, at = _inflation(), 0, bytearray(), 0
    while at < len(data) and (length := data[at]) != 128:
        if length < 128:
            piece = data[at + 1:at + 2 + length]
            at += 2 + length
        else:
            piece = data[at + 1:at + 2] * (257 - length)
            at += 2
        made = count_part(made, len(piece), inflation)
        out += piece
    return bytes(out)


def _counted(decode: Callable[..., bytes]) -> Callable[..., bytes]:
    """A pdfminer decoder whose output is at most a few times its input, counted once made."""
    def counted_decode(*args: Any) -> bytes:
        out = decode(*args)
        count_part(0, len(out), _inflation())
        return out
    return counted_decode


pdftypes.zlib = _CountedZlib()  # type: ignore[assignment]
pdftypes.decompress_corrupted = _damaged
pdftypes.lzwdecode = _lzw
pdftypes.rldecode = _run_length
pdftypes.ascii85decode = _counted(pdftypes.ascii85decode)
pdftypes.asciihexdecode = _counted(pdftypes.asciihexdecode)
pdftypes.ccittfaxdecode = _counted(pdftypes.ccittfaxdecode)


@contextmanager
def counted() -> Iterator[Inflation]:
    """Count every stream inflated until the block ends against one file's ``Inflation``."""
    inflation = Inflation()
    token = _CURRENT.set(inflation)
    try:
        yield inflation
    finally:
        _CURRENT.reset(token)
