"""Word .docx: paragraphs and tables in body order, merged cells resolved on the grid.

The XML of ``word/document.xml`` is read straight from the zip with lxml (what python-docx uses
underneath) after checking the archive's declared sizes, so a zip bomb is refused before anything
is inflated and a .docm/.dotx or a file saved by WPS reads the same as a .docx.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from goitui.model import Document, Line
from goitui.readers.base import MAX_UNZIPPED, ReadError, join_parts, megabytes, tidy
from goitui.readers.grid import Cell, grid_rows, useful

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _TBL, _TR, _TC = _W + "p", _W + "tbl", _W + "tr", _W + "tc"
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag", _W + "ins"}
_MAIN = "word/document.xml"
_MAX_XML = 64 * 1024 * 1024
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _children(el: etree._Element, *tags: str) -> Iterator[etree._Element]:
    """Direct children with one of ``tags``, looking through content controls and wrappers."""
    for child in el:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, *tags)


def _lines_of(p: etree._Element) -> list[str]:
    """A paragraph's text split at its manual line breaks (``w:br``/``w:cr``)."""
    out = [""]
    for el in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr", _W + "noBreakHyphen"):
        if next(el.iterancestors(_MC_FALLBACK), None) is not None:
            continue
        if el.tag == _W + "t":
            out[-1] += el.text or ""
        elif el.tag == _W + "tab":
            out[-1] += " "
        elif el.tag == _W + "noBreakHyphen":
            out[-1] += "-"
        else:
            out.append("")
    return out


def _val(el: etree._Element | None, default: str | None = None) -> str | None:
    return default if el is None else el.get(_W + "val", default)


def _table_cells(tbl: etree._Element) -> tuple[list[Cell], int]:
    """Grid cells of a table: ``gridSpan`` widens a cell, ``vMerge`` continues the one above."""
    cells: list[Cell] = []
    above: dict[int, Cell] = {}
    rows = list(_children(tbl, _TR))
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
                parts = [s for p in tc.iter(_P) for s in _lines_of(p)]
                above[col] = Cell(r, col, join_parts(parts), colspan=span)
                cells.append(above[col])
            col += span
    return cells, len(rows)


def _document_xml(path: Path) -> bytes:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ReadError(f"not a Word file ({path.suffix or 'file'} is not a zip archive)") from None
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNZIPPED:
            raise ReadError(f"zip bomb: {megabytes(total)} uncompressed "
                            f"(limit {megabytes(MAX_UNZIPPED)})")
        main = next((i for i in infos if i.filename == _MAIN), None)
        if main is None:
            raise ReadError("not a Word file (no word/document.xml in the zip)")
        if main.file_size > _MAX_XML:
            raise ReadError(f"zip bomb: document.xml is {megabytes(main.file_size)} uncompressed")
        try:
            return zf.read(main)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as e:
            raise ReadError(f"damaged Word file ({e})") from None


def read_docx(path: Path, name: str = "") -> Document:
    try:
        root = etree.fromstring(_document_xml(path), _PARSER)
    except etree.XMLSyntaxError as e:
        raise ReadError(f"damaged Word file (bad XML: {e.msg})") from None
    body = root.find(_W + "body")
    if body is None:
        raise ReadError("damaged Word file (no document body)")
    lines: list[Line] = []
    n_par = n_table = 0

    def add(cells: list[str], source: str, grid: bool) -> None:
        lines.append(Line(cells=cells, line=len(lines) + 1, source=source, grid=grid))

    for block in _children(body, _P, _TBL):
        if block.tag == _P:
            for text in map(tidy, _lines_of(block)):
                if text:
                    n_par += 1
                    add([text], f"paragraph {n_par}", False)
            continue
        n_table += 1
        cells, nrows = _table_cells(block)
        for i, row in enumerate(grid_rows(cells, nrows), start=1):
            if useful(row):
                add(row, f"table {n_table}, row {i}", True)
    return Document(lines=lines, format="docx", name=name or path.name)
