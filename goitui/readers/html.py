"""Web pages: find the report among the site's navigation and read its tables as grids.

Government sites wrap the report in menus, breadcrumbs and link lists, and often serve GBK.
The report body is the smallest element holding every section title and report table; its
tables are Word-pasted, with ``rowspan``/``colspan``, ``&nbsp;`` blanks and labels split over
``<span>``/``<font>``/``<p>`` nodes, which ``grid`` and ``join_parts`` put back together.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import lxml.html
from charset_normalizer import from_bytes
from lxml import etree

from goitui.headings import is_heading
from goitui.i18n import _
from goitui.model import Document, Line
from goitui.readers.base import (
    CJK_CODECS,
    PAGE_NUMBER,
    Budget,
    ReadError,
    collapse,
    join_parts,
    likeliest_decoding,
    mostly_utf8,
    tidy,
)
from goitui.readers.grid import Placer, grid_budget, grid_rows, useful
from goitui.readers.layout import text_to_document

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_SKIP = {"script", "style", "noscript", "head", "title", "template", "iframe", "object", "svg",
         "select", "button", "input", "textarea", "map"}
_INLINE = {"span", "font", "a", "b", "i", "u", "em", "strong", "sub", "sup", "small", "big",
           "o:p", "label", "abbr", "code", "s", "strike", "ins", "del", "mark", "nobr", "st1:chsdate"}
_TABLE_MARK = re.compile(r"第二十条|本年新收|申请人情况|行政复议")
_TITLE = re.compile(r"政府信息公开.{0,6}年度报告|政务公开.{0,6}年度报告")
#: libxml2 drops, without a word, what is nested deeper than 255 elements (2,048 with
#: ``huge_tree``, which also lets a text node exceed 10 MB): a page that deep is refused
_PARSER = lxml.html.HTMLParser(huge_tree=True)
_MAX_DEPTH = 2_000
#: site navigation: a breadcrumb is never the report's title
_CRUMB = re.compile(r"当前位置|您的位置|所在位置|首页|[>›»]")
#: the site's name after a page's <title>: ``…年度报告_北山县人民政府``, ``… - 某某市政府门户网站``
_SITE_SUFFIX = re.compile(r"\s*[_|｜\-－—]+\s*[^_|｜\-－—]{2,40}?(?:人民政府|政府|门户网站|网站|网|局|委员会|办公室)"
                          r"(?:门户网站|网站)?\s*$")


_GB = ("gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936")
#: Python's names of the double-byte Chinese codecs a page declares (Big5 read as cp950)
_DOUBLE_BYTE = frozenset({"gb18030", "big5", "cp950", "big5hkscs"})


def _codec(name: str) -> str | None:
    """The Python codec for a declared charset (GB2312/GBK read as their superset GB18030)."""
    enc = "gb18030" if name in _GB else "cp950" if name in ("big5", "x-big5") else name
    try:
        return codecs.lookup(enc).name
    except LookupError:
        return None


def decode_html(data: bytes, header_charset: str = "") -> tuple[str, str]:
    """Text of a page and how it was decoded, by evidence before declaration.

    A byte-order mark is certain. Otherwise bytes that decode as strict UTF-8 (and are not
    plain ASCII) are UTF-8, whatever ``<meta charset>`` says: a saved page keeps the meta tag of
    the site while the server's header, which was right, is lost, and GBK text is practically
    never valid UTF-8. Then the declared charset if the bytes decode cleanly in it (for GB and
    Big5, which mostly decode each other's bytes, only if its text reads a report's words better
    than the other's), then GB18030 or Big5 by the same words, then detection
    (charset-normalizer), then GB18030 with replacement characters.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8 (BOM)"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace"), "utf-16 (BOM)"
    m = _META_CHARSET.search(data[:8192])
    declared = m.group(1).decode("ascii", errors="ignore").lower() if m else ""
    declared = header_charset.lower() or declared  # a web archive's part header, as a server's
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
        if codec in _DOUBLE_BYTE:  # GB bytes decode as Big5 and back: the words must agree
            decoded = likeliest_decoding(data, (codec, *(c for c in CJK_CODECS if c != codec)))
            if decoded is not None and decoded[1] in (codec, declared):
                return decoded[0], f"{declared} (meta)"
            if decoded is not None:
                return decoded[0], _("{encoding} (the page declares {declared}, but its words "
                                     "read in {encoding})").format(encoding=decoded[1],
                                                                   declared=declared)
        try:
            return data.decode(codec), f"{declared} (meta)"
        except UnicodeDecodeError:
            pass
    decoded = likeliest_decoding(data)  # a Chinese page is GB or Big5 when it is not UTF-8
    if decoded is not None:
        text, enc = decoded
        return text, (_("{encoding} (detected; the page declares {declared}, which does not "
                        "decode it)").format(encoding=enc, declared=declared) if declared
                      else _("{encoding} (detected)").format(encoding=enc))
    mostly = mostly_utf8(data)
    if mostly is not None:
        return mostly
    best = from_bytes(data[:200_000]).best()
    enc = best.encoding if best is not None else "gb18030"
    how = (_("{encoding} (detected; the page declares {declared}, which does not decode it)")
           .format(encoding=enc, declared=declared) if declared
           else _("{encoding} (detected)").format(encoding=enc))
    return data.decode(enc, errors="replace"), how


def _tag(el: etree._Element) -> str:
    t = el.tag
    return t.lower() if isinstance(t, str) else ""


def _traverse(top: etree._Element, enter: Callable[[etree._Element], bool],
              leave: Callable[[etree._Element], None], text: Callable[[str], None]) -> None:
    """Depth first over ``top`` without recursion (pages nest thousands of ``<div>`` deep).

    ``enter`` says whether to go into an element (it takes the element's own text); after each
    element, ``leave`` runs and the element's tail is text of its parent.
    """
    if not enter(top):
        return
    stack = [(top, iter(top))]
    while stack:
        el, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            leave(el)
            if stack:
                text(el.tail or "")
        elif enter(child):
            stack.append((child, iter(child)))
        else:
            text(child.tail or "")


def _pieces(el: etree._Element) -> list[str]:
    """Text of an element as block pieces: inline fragments glued, ``<p>``/``<br>`` separate."""
    out: list[list[str]] = [[]]

    def enter(e: etree._Element) -> bool:
        tag = _tag(e)
        if tag in _SKIP or not tag:
            return False
        if tag not in _INLINE or tag == "br":
            out.append([])
        out[-1].append(e.text or "")
        return True

    def leave(e: etree._Element) -> None:
        if _tag(e) not in _INLINE:
            out.append([])

    _traverse(el, enter, leave, lambda t: out[-1].append(t))
    return ["".join(piece) for piece in out]


def cell_text(el: etree._Element) -> str:
    return join_parts(_pieces(el))


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows, not those of tables nested in its cells."""
    rows: list[etree._Element] = []
    stack = list(reversed(table))
    while stack:
        el = stack.pop()
        tag = _tag(el)
        if tag == "tr":
            rows.append(el)
        if tag != "table":
            stack.extend(reversed(el))
    return rows


def _span(el: etree._Element, attr: str) -> int:
    m = re.match(r"\s*(\d{1,9})", el.get(attr, "") or "")
    return int(m.group(1)) if m else 1


def table_rows(table: etree._Element, budget: Budget | None = None) -> list[list[str]]:
    trs = _rows(table)
    placer = Placer(len(trs), budget)
    for tr in trs:
        placer.next_row()
        for td in tr:
            if _tag(td) in ("td", "th"):
                placer.add(cell_text(td), _span(td, "rowspan"), _span(td, "colspan"))
    return grid_rows(placer.cells, len(trs))


class _Walker:
    """Reading order over the body: paragraphs as one-cell lines, data tables as grid rows."""

    def __init__(self, outer_tables: set[etree._Element]) -> None:
        self.lines: list[Line] = []
        self.buf: list[str] = []
        self.n_par = 0
        self.n_table = 0
        self.n_pre = 0
        self.outer_tables = outer_tables  # tables with tables inside: walked, not read as grids
        self.budget = grid_budget()

    def flush(self) -> None:
        if not self.buf:
            return
        text = tidy("".join(self.buf))
        self.buf = []
        if text and not PAGE_NUMBER.match(text):  # a page number of a document pasted whole
            self.n_par += 1
            self._add([text], f"paragraph {self.n_par}", False)

    def _add(self, cells: list[str], source: str, grid: bool) -> None:
        self.lines.append(Line(cells=cells, line=len(self.lines) + 1, source=source, grid=grid))

    def table(self, el: etree._Element) -> None:
        self.flush()
        self.n_table += 1
        for i, cells in enumerate(table_rows(el, self.budget), start=1):
            if useful(cells):
                self._add(cells, f"table {self.n_table}, row {i}", True)

    def preformatted(self, el: etree._Element) -> None:
        """A preformatted block (a report pasted as plain text): its lines as the text reader reads
        a text file, tab and pipe rows as grid rows, each line's place kept."""
        self.flush()
        self.n_pre += 1
        for line in text_to_document(_plain_text(el)).lines:
            self._add(line.cells, f"preformatted text {self.n_pre}, line {line.line}", line.grid)

    def _enter(self, el: etree._Element) -> bool:
        tag = _tag(el)
        if tag in _SKIP or not tag:
            return False
        if tag == "table" and el not in self.outer_tables:
            self.table(el)
            return False
        if _preformatted(el, tag):
            self.preformatted(el)
            return False
        if tag not in _INLINE or tag == "br":
            self.flush()
        if el.text:
            self.buf.append(el.text)
        return True

    def _leave(self, el: etree._Element) -> None:
        if _tag(el) not in _INLINE:
            self.flush()

    def walk(self, el: etree._Element) -> None:
        _traverse(el, self._enter, self._leave, self._text)

    def _text(self, text: str) -> None:
        if text:
            self.buf.append(text)


#: text longer than this (in characters other than spaces) is neither a heading nor a title
_SHORT = 80


class _Frame:
    """One open element of ``_scan``: its text so far, while it is short enough to matter."""

    __slots__ = ("tag", "position", "own", "full", "own_n", "full_n", "child_heading",
                 "has_table")

    def __init__(self, tag: str, position: int) -> None:
        self.tag, self.position = tag, position  # position: in document order
        self.own: str | None = ""  # text as _pieces sees it (no script, style…), spaces collapsed
        self.full: str | None = ""  # text as text_content() sees it (everything)
        self.own_n = self.full_n = 0  # characters other than spaces
        self.child_heading = False
        self.has_table = False

    def add_own(self, text: str) -> None:
        if self.own is not None:
            self.own_n += len(text) - text.count(" ")
            self.own = None if self.own_n > _SHORT else self.own + text

    def add_full(self, text: str) -> None:
        if self.full is not None:
            self.full_n += len(text) - text.count(" ")
            self.full = None if self.full_n > _SHORT else self.full + text


@dataclass
class _Scan:
    """What one pass over the page finds (each element once, however deep the nesting)."""

    marks: list[etree._Element]  # section titles and the template's tables
    titles: list[tuple[int, str]]  # (position in document order, text) of title-like elements
    outer_tables: set[etree._Element]  # tables with a table inside
    #: short blocks of text in document order, each once (a <p> and the <span> it wraps are one)
    blocks: list[tuple[int, str]] = field(default_factory=list)


def _scan(root: etree._Element) -> _Scan:
    """Marks, titles and nested tables in one pass; texts are kept only while short."""
    found = _Scan([], [], set())
    table_marks: list[etree._Element] = []
    stack: list[_Frame] = []
    position = -1
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            position += 1
            frame = _Frame(_tag(el), position)
            stack.append(frame)
            if len(stack) > _MAX_DEPTH:
                raise ReadError(_("elements nested more than {depth} deep: not a report page "
                                  "(what lies deeper cannot be read)").format(depth=f"{_MAX_DEPTH:,}"))
            if el.text and frame.tag:
                text = collapse(el.text)
                frame.add_full(text)
                if frame.tag not in _SKIP:
                    frame.add_own(text)
            continue
        frame = stack.pop()
        tag = frame.tag
        readable = bool(tag) and tag not in _SKIP
        full = tidy(frame.full) if frame.full else frame.full
        if _preformatted(el, tag):
            if _holds_report(_plain_text(el)):
                found.marks.append(el)
        elif tag == "table":
            if frame.has_table:
                found.outer_tables.add(el)
            elif _TABLE_MARK.search(el.text_content()):
                table_marks.append(el)
        elif (readable and frame.own and not frame.child_heading and tag not in ("tr", "tbody")
              and len(own := tidy(frame.own)) < 60 and is_heading(own)):
            found.marks.append(el)
        if readable and full and 6 < len(full) < _SHORT and _TITLE.search(full) and not _CRUMB.search(full):
            found.titles.append((frame.position, full))
        if (readable and full and tag not in _INLINE and len(full) < _SHORT
                and (not found.blocks or found.blocks[-1][1] != full)):
            found.blocks.append((frame.position, full))
        if stack:
            _up(stack[-1], frame, full, readable)
            if el.tail:
                tail = collapse(el.tail)
                stack[-1].add_own(tail)
                stack[-1].add_full(tail)
    found.marks = table_marks + found.marks
    return found


_PRE_TAGS = frozenset({"pre", "xmp", "listing", "plaintext"})
_PRE_STYLE = re.compile(r"white-space\s*:\s*pre(?:-wrap|-line)?\b", re.I)


def _preformatted(el: etree._Element, tag: str) -> bool:
    """Text whose line breaks are its layout: ``<pre>`` (and its old forms ``<xmp>``,
    ``<listing>``, ``<plaintext>``) or an element styled ``white-space: pre``/``pre-wrap``/
    ``pre-line`` — holding text and inline markup only (a styled ``<div>`` around paragraphs and
    tables is read as those)."""
    if tag not in _PRE_TAGS and not _PRE_STYLE.search(el.get("style") or ""):
        return False
    return all(_tag(inner) in _INLINE or _tag(inner) in ("br", "") for inner in el.iterdescendants())


def _plain_text(el: etree._Element) -> str:
    """A preformatted element's text as it shows: its line breaks, and one for each ``<br>``."""
    parts: list[str] = []

    def enter(inner: etree._Element) -> bool:
        tag = _tag(inner)
        parts.append("\n" if tag == "br" else inner.text or "" if tag else "")
        return bool(tag)

    _traverse(el, enter, lambda _inner: None, parts.append)
    return "".join(parts)


def _holds_report(text: str) -> bool:
    """Whether a block of plain text (a ``<pre>``) holds a report: a line of it is a section
    title or a mark of the template's tables."""
    return bool(_TABLE_MARK.search(text)) or any(
        len(line) < 60 and is_heading(line) for raw in text.splitlines() if (line := tidy(raw)))


def _up(parent: _Frame, frame: _Frame, full: str | None, readable: bool) -> None:
    """What a closed element gives the one around it: its texts, or that they are long."""
    if frame.has_table or frame.tag == "table":
        parent.has_table = True
    if full and frame.tag and not parent.child_heading and is_heading(full):
        parent.child_heading = True
    if readable:
        if frame.own is None:
            parent.own = None
        elif frame.own:
            parent.add_own(frame.own)
    if frame.tag:
        if frame.full is None:
            parent.full = None
        elif frame.full:
            parent.add_full(frame.full)


def _common_ancestor(root: etree._Element, marks: list[etree._Element]) -> tuple[etree._Element, int]:
    """The deepest element holding every mark (the first, in post-order, to hold them all),
    and its position in document order."""
    wanted = set(marks)
    counts: list[tuple[int, int]] = []  # (position, marks inside so far) of each open element
    position = -1
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            position += 1
            counts.append((position, 0))
            continue
        at, n = counts.pop()
        n += el in wanted
        if n == len(wanted):
            return el, at
        if counts:
            counts[-1] = (counts[-1][0], counts[-1][1] + n)
    return root, 0


def _title(root: etree._Element, at: int, found: _Scan) -> str | None:
    """The report's title when it sits outside the body (a heading above the content):
    ``at`` is the body's position in document order."""
    before = [(position, text) for position, text in found.titles if position < at]
    if before:
        return max(before)[1]  # the last in document order
    blocks = [text for position, text in found.blocks if position < at]
    for first, second in reversed(list(zip(blocks, blocks[1:]))):  # a title set on two lines
        joined = first + second
        if _TITLE.search(joined) and not _TITLE.search(second) and not _CRUMB.search(joined):
            return joined
    t = root.find(".//title")
    if t is not None and _TITLE.search(t.text_content() or ""):
        return page_title(t.text_content())
    for meta in root.iter("meta"):  # the CMS's own record of the article: ArticleTitle, og:title
        if (meta.get("name") or meta.get("property") or "").lower() in _TITLE_METAS:
            content = meta.get("content") or ""
            if _TITLE.search(content):
                return page_title(content)
    return None


_TITLE_METAS = frozenset({"articletitle", "og:title", "title", "dc.title"})


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
_ENABLE_SCRIPT = re.compile(r"javascript|脚本", re.I)


def _script_app(root: etree._Element) -> bool:
    """A page built by a script bundle (Vue, React): a ``<noscript>`` asking for JavaScript, or
    an empty mount point (``<div id="app">``) beside the bundle's external scripts."""
    if any(_ENABLE_SCRIPT.search(n.text_content() or "") for n in root.iter("noscript")):
        return True
    bundled = any(sc.get("src") for sc in root.iter("script"))
    return bundled and any(not el.text_content().strip() and len(el) == 0
                           for el in root.iter("div") if el.get("id") in ("app", "root"))


def _loaded_elsewhere(root: etree._Element) -> str | None:
    """Why a page without its report is a page saved too early: the report is fetched by its
    script or shown from another address in an iframe/frame, so the file holds only the site
    around it. ``None`` when nothing says so (then the page just has no report)."""
    frames = [f.get("src", "").strip() for f in root.iter("iframe", "frame")
              if f.get("src", "").strip() and not f.get("src", "").startswith("about:")]
    scripted = any(_LOADER.search(sc.text or "") for sc in root.iter("script")) or any(
        _LOADER.search(sc.get("src", "")) for sc in root.iter("script")) or _script_app(root)
    title = root.find(".//title")
    shown = join_parts(_pieces(root)) + (title.text_content() if title is not None else "")
    if not (frames or scripted) or not _REPORT_NAMED.search(shown):
        return None  # nothing fetched, or a page that never was about a report
    how = (_("loaded by script and shown in an iframe ({src})") if frames and scripted else
           _("shown in an iframe ({src})") if frames else _("loaded by script")).format(
               src=", ".join(frames[:2]))
    return _("the report is {how}: the saved page holds only the site around it; save the page "
             "after it has loaded, or save its attachment").format(how=how)


#: a web archive (.mht/.mhtml, "网页，单个文件"): MIME headers before the page
_MIME_HEAD = re.compile(rb"^(?:[\w-]+:[^\n]*\r?\n(?:[ \t][^\n]*\r?\n)*)*?"
                        rb"(?:mime-version|content-type)\s*:", re.I)


def unwrap_web_archive(data: bytes) -> tuple[bytes, str] | None:
    """The page inside a web archive (.mht, .mhtml: a MIME message whose first text/html part
    is the page, quoted-printable or base64, its charset in the part's header), with that
    charset; None for a file that is not one. Read with the standard library's MIME parser."""
    head = data[:4096].lstrip()
    if not _MIME_HEAD.match(head) or not re.search(rb"multipart/related|text/html", head, re.I):
        return None
    from email import message_from_bytes, policy

    message = message_from_bytes(data, policy=policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                return payload, part.get_content_charset() or ""
    return None


def page_text(data: bytes) -> tuple[str, str]:
    """A saved page's text and how it was decoded; a web archive's page taken out first."""
    archived = unwrap_web_archive(data)
    if archived is None:
        return decode_html(data)
    text, encoding = decode_html(*archived)
    return text, _("{encoding}, the page of a web archive").format(encoding=encoding)


def read_html(data: bytes, name: str = "") -> Document:
    text, encoding = page_text(data)
    text = _XML_DECL.sub("", text)
    if not text.strip():
        raise ReadError(_("empty file"))
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as e:
        raise ReadError(_("not a readable HTML page ({e})").format(e=e)) from None
    found = _scan(root)
    if not found.marks:
        elsewhere = _loaded_elsewhere(root)
        if elsewhere:
            raise ReadError(elsewhere)
        raise ReadError(_("no report found in the page"))
    body, at = _common_ancestor(root, found.marks)
    walker = _Walker(found.outer_tables)
    title = _title(root, at, found)
    opening = tidy(body.text_content())[:200]
    if title and title.replace(" ", "") not in opening.replace(" ", ""):
        walker._add([title], "title", False)
    walker.walk(body)
    walker.flush()
    doc = Document(lines=walker.lines, format="html", name=name)
    doc.notes.append(_("encoding: {encoding}").format(encoding=encoding))
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
    text, encoding = page_text(data)
    try:
        root = lxml.html.document_fromstring(_XML_DECL.sub("", text), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return [], encoding
    body = root.find("body")
    walker = _Walker(_scan(root).outer_tables)
    walker.walk(body if body is not None else root)
    walker.flush()
    return walker.lines, encoding
