"""Readers: any published report file to a ``Document`` (lines of cells, in reading order).

``read_path`` picks the reader from the file's content first and its extension second, since
sites serve HTML as .doc, PDFs without extension and .docx that are really old .doc files.
Every failure is a ``ReadError`` with a one-line reason, so one bad file never stops a batch.
"""

from __future__ import annotations

from pathlib import Path

from goitui.i18n import _
from goitui.model import Document
from goitui.readers.base import MAX_BYTES, NeedsOcr, Progress, ReadError, check_size

__all__ = ["IMAGE_SUFFIXES", "MAX_BYTES", "NeedsOcr", "PAGE_SUFFIXES", "Progress",
           "READABLE_SUFFIXES", "ReadError", "read_path", "sniff"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BY_SUFFIX = {".pdf": "pdf", ".docx": "docx", ".docm": "docx", ".dotx": "docx", ".doc": "doc",
              ".wps": "doc", ".rtf": "doc", ".html": "html", ".htm": "html", ".xhtml": "html",
              ".shtml": "html", ".mht": "html", ".mhtml": "html"}
#: saved web pages (which may link the report as an attachment)
PAGE_SUFFIXES = frozenset(k for k, v in _BY_SUFFIX.items() if v == "html")
#: scanned pages, read by OCR
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff"})
#: every extension a reader is meant for (text needs none: any file is tried as text)
READABLE_SUFFIXES = frozenset(_BY_SUFFIX) | {".txt", ".text", ".md"} | IMAGE_SUFFIXES
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def is_pdf(head: bytes) -> bool:
    """Whether a file's first bytes hold a PDF header (within the first 1024, as readers allow
    some junk before it)."""
    return head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]


def sniff(head: bytes, suffix: str = "") -> str:
    """The format of a file from its first bytes, falling back on its extension."""
    if is_pdf(head):
        return "pdf"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(_OLE2) or head.startswith(b"{\\rtf"):
        return "doc"
    low = head[:4096].lower().replace(b"\x00", b"")
    if any(tag in low for tag in (b"<html", b"<!doctype html", b"<table", b"<body", b"<meta")):
        return "html"
    if b"multipart/related" in low and b"mime-version" in low:
        return "html"  # a web archive (.mht) whose page is base64: read as the page it holds
    return _BY_SUFFIX.get(suffix.lower(), "text")


def read_path(path: Path, data: bytes | None = None, *, ocr: bool = True,
              progress: Progress | None = None) -> Document:
    """Read any supported file; raise ``ReadError`` (never anything else) when it can't be.

    ``ocr``: read scanned pages (page images, PDFs without a usable text layer) by OCR;
    ``progress`` is told of each page OCR reads.

    ``data``: the file's bytes when the caller has them already (the importer hashes them).
    """
    path = Path(path)
    try:
        size = path.stat().st_size if data is None else len(data)
        check_size(size)
        if size == 0:
            raise ReadError(_("empty file"))
        if data is None:
            with path.open("rb") as f:
                head = f.read(8192)
        else:
            head = data[:8192]
        kind = sniff(head, path.suffix)
        if kind == "pdf" and not is_pdf(head):
            # named .pdf, yet no PDF header: the PDF parser would call it damaged
            raise ReadError(_("not a PDF file ({what})").format(what=_looks_like(head)))
        return _read(path, kind, data, ocr, progress)
    except ReadError:
        raise
    except FileNotFoundError:
        raise ReadError(_("file not found")) from None
    except IsADirectoryError:
        raise ReadError(_("is a directory, not a file")) from None
    except PermissionError:
        raise ReadError(_("permission denied")) from None
    except MemoryError:
        raise ReadError(_("file too complex to read (out of memory)")) from None
    except Exception as e:  # a reader bug must not stop a batch: say what happened, in one line
        raise ReadError(_("unreadable file ({name}: {e})").format(name=type(e).__name__, e=e)) from None


def _looks_like(head: bytes) -> str:
    """What a file that is none of the formats sniffed by their bytes holds: text (in which
    encoding it decodes) or binary data."""
    sample = head[:4096]
    if b"\x00" not in sample:
        for encoding in ("utf-8", "gb18030"):
            # a multi-byte character cut at the sample's end is no reason to refuse the text
            text = sample.decode(encoding, errors="replace")
            bad = text.count("\ufffd")
            controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\r\n\f")
            if bad <= 2 and controls <= len(text) // 100:
                return _("it holds plain text")
    elif sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _("it holds plain text in UTF-16")
    return _("binary data of no known kind")


def _read(path: Path, kind: str, data: bytes | None = None, ocr: bool = True,
          progress: Progress | None = None) -> Document:
    # each reader is imported when first needed: the PDF stack alone costs 0.1 s of start-up
    name = path.name
    if kind == "pdf":
        from goitui.readers.pdf import read_pdf

        try:
            doc = read_pdf(path, name)
        except NeedsOcr as e:
            doc = _scanned_pdf(path, data, e, ocr, progress)
    elif kind == "image":
        doc = read_pages([path], [data] if data is not None else None, ocr=ocr,
                         progress=progress, name=name)
    elif kind == "docx":
        from goitui.readers.docx import read_docx

        doc = read_docx(path, name)
    elif kind == "doc":
        from goitui.readers.convert import read_converted

        doc = read_converted(path, name)
    elif kind == "html":
        from goitui.readers.html import read_html

        doc = read_html(data if data is not None else path.read_bytes(), name)
    else:
        if path.suffix.lower() == ".docx":
            raise ReadError(_("not a Word file (.docx is not a zip archive)"))
        from goitui.readers.textfile import read_text

        doc = read_text(data if data is not None else path.read_bytes(), name)
    if not any(line.text.strip() for line in doc.lines) and not any(ln.grid for ln in doc.lines):
        raise ReadError(_("not a report: no text"))
    return doc


def _scanned_pdf(path: Path, data: bytes | None, why: NeedsOcr, ocr: bool,
                 progress: Progress | None) -> Document:
    """A PDF whose text layer is missing or unusable, read from its rendered pages."""
    if not ocr:
        raise NeedsOcr(_("{reason} (--no-ocr was given)").format(reason=why), why.kind)
    from goitui.readers.ocr import OcrUnavailable, read_scanned_pdf

    try:
        return read_scanned_pdf(path, path.name, progress, data, reason=str(why),
                                unmapped=why.kind == "no-unicode-map")
    except OcrUnavailable as e:
        raise ReadError(f"{why}: {e}") from None


def read_pages(paths: list[Path], datas: list[bytes] | None = None, *, ocr: bool = True,
               progress: Progress | None = None, name: str = "") -> Document:
    """Page images (scans or photographs of a printed report) as one report, in order."""
    if not ocr:
        raise ReadError(_("a scanned page image: it needs OCR (--no-ocr was given)"))
    from goitui.readers.ocr import OcrUnavailable, read_images

    try:
        return read_images(paths, name, progress, datas)
    except OcrUnavailable as e:
        raise ReadError(_("a scanned page image: {reason}").format(reason=e)) from None
