"""Web pages: find the report among the site's navigation and read its tables as grids.

Government sites wrap the report in menus, breadcrumbs and link lists, and often serve GBK.
The report body is the smallest element holding every section title and report table; its
tables are Word-pasted, with ``rowspan``/``colspan``, ``&nbsp;`` blanks and labels split over
``<span>``/``<font>``/``<p>`` nodes, which ``grid`` and ``join_parts`` put back together.
"""

from __future__ import annotations

import codecs
import re

import lxml.html
from charset_normalizer import from_bytes
from lxml import etree

from goitui.i18n import _
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


_GB = ("gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936")


def _codec(name: str) -> str | None:
    """The Python codec for a declared charset (GB2312/GBK read as their superset GB18030)."""
    enc = "gb18030" if name in _GB else name
    try:
        return codecs.lookup(enc).name
    except LookupError:
        return None


def decode_html(data: bytes) -> tuple[str, str]:
    """Text of a page and how it was decoded, by evidence before declaration.

    A byte-order mark is certain. Otherwise bytes that decode as strict UTF-8 (and are not
    plain ASCII) are UTF-8, whatever ``<meta charset>`` says: a saved page keeps the meta tag of
    the site while the server's header, which was right, is lost, and GBK text is practically
    never valid UTF-8. Then the declared charset if the bytes decode cleanly in it, then
    detection (charset-normalizer), then GB18030 with replacement characters.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8 (BOM)"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace"), "utf-16 (BOM)"
    m = _META_CHARSET.search(data[:8192])
    declared = m.group(1).decode("ascii", errors="ignore").lower() if m else ""
    codec = _codec(declared) if declared else None
    if not data.isascii():
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if codec in (None, "utf-8"):
                return text, "utf-8" + (" (meta)" if codec else "")
            return text, _("utf-8 (the page declares {declared}, but its bytes are UTF-8)"
                           ).format(declared=declared)
    if codec is not None:
        try:
            return data.decode(codec), f"{declared} (meta)"
        except UnicodeDecodeError:
            pass
    best = from_bytes(data[:200_000]).best()
    enc = best.encoding if best is not None else "gb18030"
    how = (_("{encoding} (detected; the page declares {declared}, which does not decode it)")
           .format(encoding=enc, declared=declared) if declared
           else _("{encoding} (detected)").format(encoding=enc))
    return data.decode(enc, errors="replace"), how


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


#: script that fetches content after the page has loaded (jQuery, fetch, XHR, Vue/React mounts)
_LOADER = re.compile(r"\$\.(?:post|get|ajax|getJSON)\b|\.load\(|\bfetch\(|XMLHttpRequest|axios\."
                     r"|\.innerHTML\s*=|\.html\(|document\.write\(|new\s+Vue\b|createApp\(|"
                     r"ReactDOM\.|\bajax\b", re.I)


_REPORT_NAMED = re.compile(r"报告|年报|信息公开")


def _loaded_elsewhere(root: etree._Element) -> str | None:
    """Why a page without its report is a page saved too early: the report is fetched by its
    script or shown from another address in an iframe/frame, so the file holds only the site
    around it. ``None`` when nothing says so (then the page just has no report)."""
    frames = [f.get("src", "").strip() for f in root.iter("iframe", "frame")
              if f.get("src", "").strip() and not f.get("src", "").startswith("about:")]
    scripted = any(_LOADER.search(sc.text or "") for sc in root.iter("script")) or any(
        _LOADER.search(sc.get("src", "")) for sc in root.iter("script"))
    title = root.find(".//title")
    shown = join_parts(_pieces(root)) + (title.text_content() if title is not None else "")
    if not (frames or scripted) or not _REPORT_NAMED.search(shown):
        return None  # nothing fetched, or a page that never was about a report
    how = (_("loaded by script and shown in an iframe ({src})") if frames and scripted else
           _("shown in an iframe ({src})") if frames else _("loaded by script")).format(
               src=", ".join(frames[:2]))
    return _("the report is {how}: the saved page holds only the site around it; save the page "
             "after it has loaded, or save its attachment").format(how=how)


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
        elsewhere = _loaded_elsewhere(root)
        if elsewhere:
            raise ReadError(elsewhere)
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
