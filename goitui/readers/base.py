"""What every reader shares: the one error type, size limits and cell-text tidying.

Readers never let an exception escape: a file that cannot be read becomes a ``ReadError`` whose
message is one line a person can act on, so a batch import can record it and move on.
"""

from __future__ import annotations

import re

from goitui.errors import ReadFailure
from goitui.i18n import _

MAX_BYTES = 100 * 1024 * 1024  # largest file accepted at all
MAX_UNZIPPED = 300 * 1024 * 1024  # largest total a .docx may inflate to
_MB = 1024 * 1024


class ReadError(ReadFailure):
    """A file that cannot be turned into a ``Document``; ``str()`` is a one-line reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(" ".join(reason.split()))


class NeedsOcr(ReadError):
    """A PDF whose pages are drawn but whose text layer cannot be used: only OCR can read it.

    The dispatcher tells these apart from other failures so an OCR reader can take over;
    ``kind`` says why (``no-text-layer``: scanned pages; ``no-unicode-map``: glyphs without a
    Unicode map, the text layer is glyph numbers).
    """

    def __init__(self, reason: str, kind: str) -> None:
        super().__init__(reason)
        self.kind = kind


def megabytes(n: int) -> str:
    return f"{n / _MB:.0f} MB" if n >= 10 * _MB else f"{n / _MB:.1f} MB"


class Budget:
    """A running cap on what one file makes a reader build, whatever the file claims.

    Headers, spans and declared sizes are written by whoever made the file; the work they cause
    is counted as it is done, and the file is refused with ``what`` and the cap once it costs
    more than any report could (``Budget(MAX_GRID_CELLS, "table cells …")``).
    """

    def __init__(self, limit: int, what: str) -> None:
        self.limit, self.what, self.spent = limit, what, 0

    def spend(self, amount: int) -> None:
        self.spent += amount
        if self.spent > self.limit:
            raise ReadError(_("too large to be a report: more than {limit} {what}").format(
                limit=f"{self.limit:,}", what=self.what))


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise ReadError(_("file too large ({megabytes}; limit {megabytes2})").format(megabytes=megabytes(size), megabytes2=megabytes(MAX_BYTES)))


#: a page number on a line of its own: ``- 4 -``, ``— 4 —``, ``第4页``, ``第 4 页 共 6 页``; never a value
PAGE_NUMBER = re.compile(r"^(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
                         r"|共\s*\d{1,4}\s*页\s*[,，/／]?\s*第\s*\d{1,4}\s*页)$")

# CJK ideographs plus full-width punctuation and curly quotes: between two of these a space or a
# line break is an artefact of layout (justified PDF text, a wrapped cell, an HTML source newline)
_CJK = r"\u2018-\u201f\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_IS_CJK = re.compile(rf"[{_CJK}]")


def collapse(s: str) -> str:
    """Every run of spaces as one space (``tidy`` without its ends and CJK gaps: text pieces
    collapsed one by one and joined still ``tidy`` to the same line)."""
    return _SPACES.sub(" ", s)


def tidy(s: str) -> str:
    """One line of cell or paragraph text: spaces collapsed, none kept between CJK characters."""
    s = _SPACES.sub(" ", s).strip()
    return _CJK_GAP.sub("", s)


def join_parts(parts: list[str]) -> str:
    """Join a cell's lines or paragraphs: nothing between CJK characters, else one space."""
    out = ""
    for part in (tidy(p) for p in parts):
        if not part:
            continue
        if out and not (_IS_CJK.match(out[-1]) and _IS_CJK.match(part[0])):
            out += " "
        out += part
    return out
