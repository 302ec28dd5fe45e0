"""What every reader shares: the one error type, size limits and cell-text tidying.

Readers never let an exception escape: a file that cannot be read becomes a ``ReadError`` whose
message is one line a person can act on, so a batch import can record it and move on.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterator

from goitui.errors import ReadFailure
from goitui.i18n import _

MAX_BYTES = 100 * 1024 * 1024  # largest file accepted at all
MAX_UNZIPPED = 300 * 1024 * 1024  # largest total a .docx may inflate to
_MB = 1024 * 1024


#: told before each page OCR reads: (page number, number of pages)
Progress = Callable[[int, int], None]


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


#: words every report prints, simplified and traditional: the evidence that a decoding is right
_REPORT_WORDS = ("政府", "信息", "公开", "公開", "年度", "报告", "報告", "情况", "情況", "申请", "申請",
                 "行政", "本年")
#: the double-byte Chinese encodings whose bytes usually decode in each other too (Big5 text
#: read as GB18030, GBK as Big5) into strings of other characters: only the words tell them apart
CJK_CODECS = ("gb18030", "cp950")
CODEC_NAMES = {"cp950": "big5"}


def likeliest_decoding(data: bytes, codecs: tuple[str, ...] = CJK_CODECS) -> tuple[str, str] | None:
    """(text, encoding) for the codec of ``codecs`` that decodes ``data`` without error and
    reads most of a report's common words; the first such codec on a tie; None when none
    decodes. The text of a page is a few hundred KB at most: decoding it twice is cheap."""
    best: tuple[int, str, str] | None = None
    for codec in codecs:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        sample = text[:200_000]
        score = sum(sample.count(w) for w in _REPORT_WORDS)
        if best is None or score > best[0]:
            best = (score, text, CODEC_NAMES.get(codec, codec))
    return None if best is None else (best[1], best[2])


#: at most this share of a text's characters undecodable as UTF-8 is UTF-8 with a pasted piece in
#: another encoding (a GBK snippet in a UTF-8 page), not a text in another encoding
_STRAY_SHARE = 0.01


def mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """A UTF-8 text with a few bytes in another encoding: those become U+FFFD (a figure they
    touch is unreadable and said so) and the rest reads as printed; the note counts them."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    wide = sum(1 for ch in text if ord(ch) > 0x7F)
    if not wide or bad > _STRAY_SHARE * wide:
        return None
    return text, _("utf-8, {count} bytes in another encoding read as U+FFFD").format(count=bad)


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


#: what one file may inflate to in all (zip members, PDF streams), counted as it is inflated:
#: declared sizes are the file's word, and a 1 MB file whose headers lie took 2.1 GB
MAX_INFLATED = 256 * _MB
#: what one part (a zip member, a PDF stream) may inflate to: a page's content, an XML part
MAX_PART = 64 * _MB
_CHUNK = 1024 * 1024


class Inflation(Budget):
    """The running count of bytes one file has inflated to, refused past ``MAX_INFLATED``."""

    def __init__(self, limit: int = MAX_INFLATED) -> None:
        super().__init__(limit, "")

    def spend(self, amount: int) -> None:
        self.spent += amount
        if self.spent > self.limit:
            raise ReadError(_("compressed parts inflate to more than {limit} (a zip or stream "
                              "bomb, or not a report)").format(limit=megabytes(self.limit)))


def zip_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, inflation: Inflation,
               part_limit: int) -> Iterator[bytes]:
    """A zip member inflated a megabyte at a time, each counted before the next is made.

    ``ZipFile.read`` asks zlib for everything at once (a member of 1 MB that inflates to 1 GB
    is 1 GB in memory before its declared size is looked at); read in chunks, the bytes that
    really come out are counted against the file's ``inflation`` and the part's own limit.
    """
    made = 0
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            made += len(chunk)
            if made > part_limit:
                raise ReadError(_("{part} inflates to more than {limit} (a zip bomb, or not a "
                                  "report)").format(part=info.filename, limit=megabytes(part_limit)))
            inflation.spend(len(chunk))
            yield chunk


def count_part(made: int, amount: int, inflation: Inflation) -> int:
    """``amount`` more bytes decoded from a stream that had made ``made``: refused past
    ``MAX_PART``, counted against the file's ``inflation``; the stream's new total."""
    made += amount
    if made > MAX_PART:
        raise ReadError(_("a compressed stream inflates to more than {limit} (a stream "
                          "bomb, or not a report)").format(limit=megabytes(MAX_PART)))
    inflation.spend(amount)
    return made


def inflate(data: bytes, inflation: Inflation, wbits: int = zlib.MAX_WBITS) -> bytes:
    """``zlib.decompress`` a megabyte at a time, counted against the file's ``inflation`` and
    ``MAX_PART``; a stream that stops short raises ``zlib.error`` as ``zlib.decompress`` does."""
    decompressor = zlib.decompressobj(wbits)
    out: list[bytes] = []
    pending = data
    made = 0
    while True:
        chunk = decompressor.decompress(pending, _CHUNK)
        made = count_part(made, len(chunk), inflation)
        out.append(chunk)
        pending = decompressor.unconsumed_tail
        if decompressor.eof or (not pending and not chunk):
            break
    if not decompressor.eof:
        raise zlib.error("incomplete or truncated stream")
    return b"".join(out)


def inflate_damaged(data: bytes, inflation: Inflation) -> bytes:
    """What a damaged zlib stream holds up to the damage (pdfminer's ``decompress_corrupted``
    fed it one byte at a time into a growing bytes object), counted as ``inflate`` counts."""
    decompressor = zlib.decompressobj()
    out: list[bytes] = []
    pending = data
    made = 0
    try:
        while pending and made <= MAX_PART:
            chunk = decompressor.decompress(pending, _CHUNK)
            made += len(chunk)
            inflation.spend(len(chunk))
            out.append(chunk)
            pending = decompressor.unconsumed_tail
            if decompressor.eof or not chunk and not pending:
                break
    except zlib.error:
        pass
    return b"".join(out)


def read_error_in(error: BaseException) -> ReadError | None:
    """The ``ReadError`` a library wrapped in its own exception (pdfplumber wraps whatever
    pdfminer raised, ours included, in ``PdfminerException``)."""
    for inner in (error, *error.args, error.__cause__, error.__context__):
        if isinstance(inner, ReadError):
            return inner
    return None


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
