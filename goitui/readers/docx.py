"""Word .docx: paragraphs and tables in body order, merged cells resolved on the grid.

The XML of ``word/document.xml`` is read straight from the zip with lxml (what python-docx uses
underneath) after checking the archive's declared sizes, so a zip bomb is refused before anything
is inflated and a .docm/.dotx or a file saved by WPS reads the same as a .docx.

What Word shows is not always what the XML holds in order, and the reader follows what is shown:
list numbers (``一、``) come from ``numbering.xml``; a table whose cells hold paragraphs and
tables (a web page saved as Word puts the whole report in one layout cell) is a container, read
block by block; a text box is read once, not again in its fallback copy; unaccepted tracked
changes are read in their final state; an embedded HTML part (``altChunk``) is read as a page.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from goitui.i18n import _
from goitui.model import Document, Line
from goitui.readers.base import (
    MAX_PART,
    MAX_UNZIPPED,
    PAGE_NUMBER,
    Inflation,
    ReadError,
    join_parts,
    megabytes,
    tidy,
    zip_chunks,
)
from goitui.readers.grid import Cell, grid_rows, useful
from goitui.readers.numbering import ListNumbering

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_MC_FALLBACK = _MC + "Fallback"
_P, _TBL, _TR, _TC = _W + "p", _W + "tbl", _W + "tr", _W + "tc"
_TXBX = _W + "txbxContent"
_ALT_CHUNK = _W + "altChunk"
#: elements that only wrap content: what they hold is read as if it stood in their place
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag", _W + "ins",
             _W + "moveTo", _W + "hyperlink", _W + "fldSimple", _W + "dir", _W + "bdo",
             _MC + "AlternateContent", _MC + "Choice"}
#: tracked changes that are not part of the final text: deletions and the sources of moves
_REMOVED = {_W + "del", _W + "moveFrom", _MC_FALLBACK}
_MAIN = "word/document.xml"
_MAX_XML = MAX_PART
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_HTML_PARTS = (".htm", ".html", ".xhtml", ".mht", ".mhtml")
_TEXT_PARTS = (".txt",)
_WORD_PARTS = (".docx", ".docm", ".dotx")
_MAX_DEPTH = 2  # a Word file inside a Word file inside a Word file is as deep as goi reads


def _children(el: etree._Element, *tags: str) -> Iterator[etree._Element]:
    """Direct children with one of ``tags``, looking through content controls and wrappers."""
    for child in el:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, *tags)


def _removed(el: etree._Element) -> bool:
    """Deleted by an unaccepted tracked change: a deleted or moved-away row, or run."""
    if el.tag == _TR:
        trpr = el.find(_W + "trPr")
        return trpr is not None and trpr.find(_W + "del") is not None
    return el.tag in _REMOVED


def _lines_of(p: etree._Element) -> list[str]:
    """A paragraph's final text split at its manual line breaks (``w:br``/``w:cr``).

    Deleted text (``w:delText``) is never read; text of a move source, of a fallback copy and
    of a text box (read as blocks of its own) is skipped.
    """
    out = [""]

    def walk(el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if tag == _W + "t":
                out[-1] += child.text or ""
            elif tag == _W + "tab":
                out[-1] += " "
            elif tag == _W + "noBreakHyphen":
                out[-1] += "-"
            elif tag in (_W + "br", _W + "cr"):
                out.append("")
            elif tag in _REMOVED or tag == _TXBX or not isinstance(tag, str):
                continue
            else:
                walk(child)

    walk(p)
    return out


def _text_boxes(p: etree._Element) -> list[etree._Element]:
    """The text boxes anchored in a paragraph, each once: Word's fallback copy (VML inside
    ``mc:Fallback``) repeats the box, and a box inside a box is read with its outer box."""
    return [box for box in p.iter(_TXBX) if not _inside(box, p, (_TXBX, *_REMOVED))]


def _val(el: etree._Element | None, default: str | None = None) -> str | None:
    return default if el is None else el.get(_W + "val", default)


def _rows(tbl: etree._Element) -> list[etree._Element]:
    return [tr for tr in _children(tbl, _TR) if not _removed(tr)]


def _table_cells(tbl: etree._Element) -> tuple[list[Cell], int]:
    """Grid cells of a table: ``gridSpan`` widens a cell, ``vMerge`` continues the one above."""
    cells: list[Cell] = []
    above: dict[int, Cell] = {}
    rows = _rows(tbl)
    for r, tr in enumerate(rows):
        col = int(_val(tr.find(f"{_W}trPr/{_W}gridBefore"), "0") or 0)
        for tc in _children(tr, _TC):
            span = max(int(_val(tc.find(f"{_W}tcPr/{_W}gridSpan"), "1") or 1), 1)
            vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
            top = above.get(col)
            if (vmerge is not None and _val(vmerge, "continue") != "restart" and top is not None
                    and top.row + top.rowspan == r):
                top.rowspan += 1
            else:
                parts = [s for p in tc.iter(_P) if not _inside(p, tc, _REMOVED)
                         for s in _lines_of(p)]
                above[col] = Cell(r, col, join_parts(parts), colspan=span)
                cells.append(above[col])
            col += span
    return cells, len(rows)


def _inside(el: etree._Element, stop: etree._Element, tags: set[str] | tuple[str, ...]) -> bool:
    """Whether an element between ``el`` and its ancestor ``stop`` has one of ``tags``."""
    for a in el.iterancestors():
        if a is stop:
            return False
        if a.tag in tags:
            return True
    return False


def _is_container(tbl: etree._Element) -> bool:
    """A layout table: one of its cells holds a table of its own (directly or in a text box),
    so its cells are pages of paragraphs and tables rather than values. A table of one cell
    holding several paragraphs is a frame around text, never a statistical table."""
    rows = _rows(tbl)
    if len(rows) == 1:
        cells = list(_children(rows[0], _TC))
        if len(cells) == 1 and sum(1 for p in cells[0].iter(_P) if "".join(_lines_of(p)).strip()) > 1:
            return True
    for tr in rows:
        for tc in _children(tr, _TC):
            for nested in tc.iter(_TBL):
                if not _inside(nested, tc, _REMOVED):
                    return True
    return False


class _Package:
    """The parts of a .docx zip, each inflated only after its declared size is checked."""

    def __init__(self, path: Path | BinaryIO, suffix: str = "") -> None:
        try:
            self.zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            suffix = path.suffix if isinstance(path, Path) else suffix
            raise ReadError(_("not a Word file ({value} is not a zip archive)").format(value=suffix or _("file"))) from None
        self.infos = {i.filename: i for i in self.zip.infolist()}
        self.inflation = Inflation()  # every part read counts against one file's cap
        total = sum(i.file_size for i in self.infos.values())
        if total > MAX_UNZIPPED:
            self.zip.close()
            raise ReadError(_("zip bomb: {megabytes} uncompressed (limit {megabytes2})").format(megabytes=megabytes(total), megabytes2=megabytes(MAX_UNZIPPED)))

    def close(self) -> None:
        self.zip.close()

    def read(self, name: str) -> bytes | None:
        chunks = self.chunks(name)
        return None if chunks is None else b"".join(chunks)

    def chunks(self, name: str) -> Iterator[bytes] | None:
        """A part inflated a megabyte at a time (``zip_chunks``: what comes out is counted, not
        what the headers declare); ``None`` when the zip has no such part."""
        info = self.infos.get(name)
        if info is None:
            return None
        if info.file_size > _MAX_XML:
            raise ReadError(_("zip bomb: {name} is {megabytes} uncompressed").format(name=name, megabytes=megabytes(info.file_size)))
        return self._checked(info)

    def _checked(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        try:
            yield from zip_chunks(self.zip, info, self.inflation, _MAX_XML)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError,
                zlib.error) as e:
            raise ReadError(_("damaged Word file ({e})").format(e=e)) from None

    def xml(self, name: str) -> etree._Element | None:
        """A part parsed as XML; ``None`` when it is missing or damaged (optional parts only)."""
        data = self.read(name)
        if data is None:
            return None
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError:
            return None

    def relationships(self, part: str) -> dict[str, str]:
        """Relationship id → the zip name of its target, for ``part``."""
        folder, base = posixpath.split(part)
        rels = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        out: dict[str, str] = {}
        if rels is None:
            return out
        for rel in rels:
            rid, target = rel.get("Id"), rel.get("Target")
            if rid and target and rel.get("TargetMode") != "External":
                name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
                out[rid] = name
        return out


class _Reader:
    """Body blocks to lines, in the order Word shows them."""

    def __init__(self, package: _Package, numbering: ListNumbering, depth: int = 0) -> None:
        self.package = package
        self.depth = depth  # how deep in Word files embedded in Word files
        self.numbering = numbering
        self.relationships: dict[str, str] | None = None
        self.lines: list[Line] = []
        self.notes: list[str] = []
        self.unread: list[str] = []  # embedded parts of a kind goi does not read
        self.n_par = 0
        self.n_table = 0

    def add(self, cells: list[str], source: str, grid: bool) -> None:
        self.lines.append(Line(cells=cells, line=len(self.lines) + 1, source=source, grid=grid))

    def blocks(self, container: Iterable[etree._Element]) -> None:
        for child in container:
            tag = child.tag
            if tag == _P:
                self.paragraph(child)
            elif tag == _TBL:
                self.table(child)
            elif tag == _ALT_CHUNK:
                self.alt_chunk(child)
            elif tag in _WRAPPERS:
                self.blocks(child)

    def paragraph(self, p: etree._Element) -> None:
        label, suffix = self.numbering.label(p)
        texts = [tidy(t) for t in _lines_of(p)]
        if label and any(texts):
            first = next(i for i, t in enumerate(texts) if t)
            gap = "" if suffix == "nothing" or not label[-1:].isalnum() else " "
            texts[first] = tidy(label) + gap + texts[first]
        for text in texts:
            if text and not PAGE_NUMBER.match(text):  # typed as text, not a footer's field
                self.n_par += 1
                self.add([text], f"paragraph {self.n_par}", False)
        for box in _text_boxes(p):
            self.blocks(box)

    def table(self, tbl: etree._Element) -> None:
        if _is_container(tbl):
            for tr in _rows(tbl):
                for tc in _children(tr, _TC):
                    self.blocks(tc)
            return
        self.n_table += 1
        cells, nrows = _table_cells(tbl)
        for i, row in enumerate(grid_rows(cells, nrows), start=1):
            if useful(row):
                self.add(row, f"table {self.n_table}, row {i}", True)

    def alt_chunk(self, chunk: etree._Element) -> None:
        """An embedded file that Word shows in place: HTML is read as a page, text as text."""
        if self.relationships is None:
            self.relationships = self.package.relationships(_MAIN)
        part = self.relationships.get(chunk.get(_R + "id") or "")
        data = self.package.read(part) if part else None
        if part is None or data is None:
            self.notes.append(_("an embedded part (altChunk) is missing from the file"))
            return
        low = part.lower()
        if low.endswith(_HTML_PARTS):
            from goitui.readers.html import page_lines

            lines, encoding = page_lines(data)
        elif low.endswith(_WORD_PARTS) and self.depth < _MAX_DEPTH:
            inner = _Package(io.BytesIO(data), posixpath.splitext(part)[1])
            inner.inflation = self.package.inflation  # one file, one count, however nested
            try:
                lines = _read_package(inner, self.depth + 1).lines
            finally:
                inner.close()
            encoding = "Word"
        elif low.endswith(_TEXT_PARTS):
            from goitui.readers.layout import text_to_document
            from goitui.readers.textfile import decode

            text, encoding = decode(data)
            lines = text_to_document(text).lines
        else:
            self.unread.append(posixpath.basename(part))
            self.notes.append(_("embedded part {part} was not read (goi reads embedded HTML "
                                "and text)").format(part=posixpath.basename(part)))
            return
        where = posixpath.basename(part)
        self.notes.append(_("embedded part {part} read as {kind} ({encoding})").format(
            part=where, kind="HTML" if low.endswith(_HTML_PARTS) else
            "Word" if low.endswith(_WORD_PARTS) else "text", encoding=encoding))
        for ln in lines:
            self.add(ln.cells, f"{where}, {ln.where()}", ln.grid)


def _read_body(package: _Package, reader: _Reader) -> None:
    """``document.xml`` read as it is inflated: each block of the body (a paragraph, a table)
    is read when it closes and then dropped, so memory follows the largest block, not the
    file (a 173 KB .docx holding 60 MB of XML took 1.5 GB as one tree)."""
    parser = etree.XMLPullParser(events=("end",), tag=(_P, _TBL, _ALT_CHUNK, *_WRAPPERS),
                                 resolve_entities=False, no_network=True, huge_tree=False)
    try:
        for chunk in package.chunks(_MAIN) or ():
            parser.feed(chunk)
            for _event, el in parser.read_events():
                body = el.getparent()
                if body is None or body.tag != _W + "body":
                    continue  # inside a block: read with it
                reader.blocks([el])
                el.clear()
                while el.getprevious() is not None:
                    del body[0]
        root = parser.close()
    except etree.XMLSyntaxError as e:
        raise ReadError(_("damaged Word file (bad XML: {msg})").format(msg=e.msg)) from None
    if root.find(_W + "body") is None:
        raise ReadError(_("damaged Word file (no document body)"))


def _read_package(package: _Package, depth: int = 0) -> _Reader:
    """The body of a Word package read into lines (``depth``: of an embedded Word file)."""
    if _MAIN not in package.infos:
        raise ReadError(_("not a Word file (no word/document.xml in the zip)"))
    numbering = ListNumbering(package.xml("word/numbering.xml"), package.xml("word/styles.xml"))
    reader = _Reader(package, numbering, depth)
    _read_body(package, reader)
    return reader


def read_docx(path: Path, name: str = "") -> Document:
    package = _Package(path)
    try:
        reader = _read_package(package)
    finally:
        package.close()
    if not reader.lines and reader.unread:
        raise ReadError(_("the document's body is an embedded part goi cannot read ({parts}); "
                          "open it in Word and save it as .docx or PDF").format(
                              parts=", ".join(reader.unread)))
    return Document(lines=reader.lines, format="docx", name=name or path.name, notes=reader.notes)
