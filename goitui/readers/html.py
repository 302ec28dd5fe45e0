"""Web pages: find the report among the site's navigation and read its tables as grids.

Government sites wrap the report in menus, breadcrumbs and link lists, and often serve GBK.
The report body is the smallest element holding every section title and report table; its
tables are Word-pasted, with ``rowspan``/``colspan``, ``&nbsp;`` blanks and labels split over
``<span>``/``<font>``/``<p>`` nodes, which ``grid`` and ``join_parts`` put back together.
"""

from __future__ import annotations

import re

import lxml.html
from charset_normalizer import from_bytes
from lxml import etree

from goitui.model import Document, Line
from goitui.parse.sections import is_heading
from goitui.readers.base import ReadError, join_parts, tidy
from goitui.readers.grid import Placer, grid_rows, useful

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_SKIP = {"script", "style", "noscript", "head", "title", "template", "iframe", "object", "svg",
         "select", "button", "input", "textarea", "map"}
_INLINE = {"span", "font", "a", "b", "i", "u", "em", "strong", "sub", "sup", "small", "big",
           "o:p", "label", "abbr", "code", "s", "strike", "ins", "del", "mark", "nobr", "st1:chsdate"}
_TABLE_MARK = re.compile(r"第二十条|本年新收|申请人情况|行政复议")
_TITLE = re.compile(r"政府信息公开.{0,6}年度报告|政务公开.{0,6}年度报告")
#: site navigation: a breadcrumb is never the report's title
_CRUMB = re.compile(r"当前位置|您的位置|所在位置|首页|[>›»]")
#: the site's name after a page's <title>: ``…年度报告_北山县人民政府``, ``… - 某某市政府门户网站``
_SITE_SUFFIX = re.compile(r"\s*[_|｜\-－—]+\s*[^_|｜\-－—]{2,40}?(?:人民政府|政府|门户网站|网站|网|局|委员会|办公室)"
                          r"(?:门户网站|网站)?\s*$")


def decode_html(data: bytes) -> tuple[str, str]:
    """Text of a page: BOM, then ``<meta charset>``, then UTF-8, then detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8 (BOM)"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace"), "utf-16 (BOM)"
    m = _META_CHARSET.search(data[:8192])
    if m:
        name = m.group(1).decode("ascii", errors="ignore").lower()
        enc = "gb18030" if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk") else name
        try:
            return data.decode(enc, errors="replace"), f"{name} (meta)"
        except LookupError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    enc = best.encoding if best is not None else "gb18030"
    return data.decode(enc, errors="replace"), f"{enc} (detected)"


def _tag(el: etree._Element) -> str:
    t = el.tag
    return t.lower() if isinstance(t, str) else ""


def _pieces(el: etree._Element) -> list[str]:
    """Text of an element as block pieces: inline fragments glued, ``<p>``/``<br>`` separate."""
    out: list[str] = [""]

    def walk(e: etree._Element) -> None:
        tag = _tag(e)
        if tag in _SKIP or not tag:
            return
        block = tag not in _INLINE
        if block or tag == "br":
            out.append("")
        out[-1] += e.text or ""
        for child in e:
            walk(child)
            out[-1] += child.tail or ""
        if block:
            out.append("")

    walk(el)
    return out


def cell_text(el: etree._Element) -> str:
    return join_parts(_pieces(el))


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows, not those of tables nested in its cells."""
    return [tr for tr in table.iter("tr") if _owner(tr) is table]


def _owner(el: etree._Element) -> etree._Element | None:
    p = el.getparent()
    while p is not None and _tag(p) != "table":
        p = p.getparent()
    return p


def _span(el: etree._Element, attr: str) -> int:
    m = re.match(r"\s*(\d+)", el.get(attr, "") or "")
    return int(m.group(1)) if m else 1


def table_rows(table: etree._Element) -> list[list[str]]:
    trs = _rows(table)
    placer = Placer(len(trs))
    for tr in trs:
        placer.next_row()
        for td in tr:
            if _tag(td) in ("td", "th"):
                placer.add(cell_text(td), _span(td, "rowspan"), _span(td, "colspan"))
    return grid_rows(placer.cells, len(trs))


class _Walker:
    """Reading order over the body: paragraphs as one-cell lines, data tables as grid rows."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.buf: list[str] = []
        self.n_par = 0
        self.n_table = 0

    def flush(self) -> None:
        text = tidy("".join(self.buf))
        self.buf = []
        if text:
            self.n_par += 1
            self._add([text], f"paragraph {self.n_par}", False)

    def _add(self, cells: list[str], source: str, grid: bool) -> None:
        self.lines.append(Line(cells=cells, line=len(self.lines) + 1, source=source, grid=grid))

    def table(self, el: etree._Element) -> None:
        self.flush()
        self.n_table += 1
        for i, cells in enumerate(table_rows(el), start=1):
            if useful(cells):
                self._add(cells, f"table {self.n_table}, row {i}", True)

    def walk(self, el: etree._Element) -> None:
        tag = _tag(el)
        if tag in _SKIP or not tag:
            return
        if tag == "table" and not any(True for _ in el.iterdescendants("table")):
            self.table(el)
            return
        block = tag not in _INLINE
        if block or tag == "br":
            self.flush()
        self.buf.append(el.text or "")
        for child in el:
            self.walk(child)
            self.buf.append(child.tail or "")
        if block:
            self.flush()


def _markers(root: etree._Element) -> list[etree._Element]:
    """Elements proving the report is there: section titles and the template's tables."""
    marks: list[etree._Element] = []
    for t in root.iter("table"):
        if not any(True for _ in t.iterdescendants("table")) and _TABLE_MARK.search(t.text_content()):
            marks.append(t)
    for el in root.iter():
        if _tag(el) in _SKIP or _tag(el) in ("table", "tr", "tbody"):
            continue
        own = tidy("".join(_pieces(el)))
        if len(own) < 60 and is_heading(own) and not any(is_heading(tidy(c.text_content()))
                                                           for c in el if _tag(c)):
            marks.append(el)
    return marks


def _common_ancestor(els: list[etree._Element]) -> etree._Element:
    paths = [list(e.iterancestors())[::-1] + [e] for e in els]
    common = paths[0][0]
    for level in zip(*paths, strict=False):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    return common


def _title(root: etree._Element, body: etree._Element) -> str | None:
    """The report's title when it sits outside the body (a heading above the content)."""
    inside = set(body.iter())
    best = None
    for el in root.iter():
        if el is body:
            break
        if el in inside or _tag(el) in _SKIP or not _tag(el):
            continue
        text = tidy(el.text_content())
        if 6 < len(text) < 80 and _TITLE.search(text) and not _CRUMB.search(text):
            best = text
    if best is None:
        t = root.find(".//title")
        if t is not None and _TITLE.search(t.text_content() or ""):
            best = page_title(t.text_content())
    return best


def page_title(text: str) -> str:
    """A page's ``<title>`` without the site's name after it (``…年度报告_北山县人民政府``)."""
    title = tidy(text)
    while (stripped := _SITE_SUFFIX.sub("", title)) != title and _TITLE.search(stripped):
        title = stripped
    return title


def read_html(data: bytes, name: str = "") -> Document:
    text, encoding = decode_html(data)
    text = _XML_DECL.sub("", text)
    if not text.strip():
        raise ReadError("empty file")
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:
        raise ReadError(f"not a readable HTML page ({e})") from None
    marks = _markers(root)
    if not marks:
        raise ReadError("no report found in the page")
    body = _common_ancestor(marks)
    walker = _Walker()
    title = _title(root, body)
    opening = tidy(body.text_content())[:200]
    if title and title.replace(" ", "") not in opening.replace(" ", ""):
        walker._add([title], "title", False)
    walker.walk(body)
    walker.flush()
    doc = Document(lines=walker.lines, format="html", name=name)
    doc.notes.append(f"encoding: {encoding}")
    return doc



def page_lines(data: bytes) -> tuple[list[Line], str]:
    """The blocks of a page in reading order, and the encoding used: for HTML embedded in a
    document (a Word file's ``altChunk``). The report is found as in a saved page; a page
    holding no recognisable report is read whole, as it is the document's own content."""
    try:
        doc = read_html(data)
        return doc.lines, doc.notes[0].removeprefix("encoding: ") if doc.notes else ""
    except ReadError:
        pass
    text, encoding = decode_html(data)
    try:
        root = lxml.html.document_fromstring(_XML_DECL.sub("", text))
    except (etree.ParserError, ValueError):
        return [], encoding
    body = root.find("body")
    walker = _Walker()
    walker.walk(body if body is not None else root)
    walker.flush()
    return walker.lines, encoding
