"""Plain text files: find the encoding, then the text layouts of ``layout.text_to_document``.

Reports saved as text come in UTF-8 (with or without BOM), UTF-16 from Windows tools,
GB18030/GBK from older Chinese software and Big5 from traditional-character systems; the encoding used is noted so a wrong guess shows.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from goitui.i18n import _
from goitui.model import Document
from goitui.readers.base import ReadError, likeliest_decoding, mostly_utf8
from goitui.readers.layout import text_to_document

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM: the NULs of ASCII characters all fall on one side of each pair."""
    even, odd = data[0::2].count(0), data[1::2].count(0)
    enc = "utf-16-le" if odd > 3 * even else "utf-16-be" if even > 3 * odd else None
    if enc is None or len(data) % 2:
        return None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return enc if printable >= 0.95 * len(text) else None


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of the encoding it was read with."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc.replace("-sig", "") + " (BOM)"
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return data.decode(utf16, errors="replace"), utf16
        return _with_stray_nuls(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    decoded = likeliest_decoding(data)  # GB18030 or Big5: both usually decode either's bytes
    if decoded is not None:
        return decoded
    mostly = mostly_utf8(data)
    if mostly is not None:
        return mostly
    best = from_bytes(data).best()
    if best is None:
        raise ReadError(_("unknown text encoding (not UTF-8, UTF-16 or GB18030)"))
    return str(best), f"{best.encoding} (detected)"


#: at most this share of NUL bytes is a text damaged in passing, not a binary file
_STRAY_NULS = 0.001


def _with_stray_nuls(data: bytes) -> tuple[str, str]:
    """A text with a few stray NUL bytes (a bad copy, a form filled by a program): each NUL
    becomes U+FFFD, so a figure it touches is unreadable and said so, never another number;
    anything with more NULs, or that is not UTF-8 or GB18030 around them, is binary."""
    nuls = data.count(0)
    if nuls <= max(1, len(data) * _STRAY_NULS):
        for enc in ("utf-8", "gb18030"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            return text.replace("\x00", "\ufffd"), _(
                "{encoding}, {count} NUL bytes read as U+FFFD").format(encoding=enc, count=nuls)
    raise ReadError(_("binary file, not text (NUL bytes)"))


def read_text(data: bytes, name: str = "") -> Document:
    if not data.strip():
        raise ReadError(_("empty file"))
    text, encoding = decode(data)
    doc = text_to_document(text, name=name, fmt="text")
    doc.notes.append(_("encoding: {encoding}").format(encoding=encoding))
    return doc
