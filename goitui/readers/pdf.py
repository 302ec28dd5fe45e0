"""PDF: tables from their ruling lines, cells by coordinates, the rest as paragraphs.

Text order in these PDFs is useless for tables: a row's numbers sit in the middle of a label
wrapped over three lines, and ``三、本年度办理结果`` is printed one character per line. The
ruled grid (``find_tables`` on the page's stroked lines only: Word also paints every paragraph
on a white filled rectangle, which must not count as a table) gives each cell its box, so each
row comes out as its labels followed by its numbers. A table cut by a page break is joined
back: the merged label cells split at the break are continued (``（四）无`` + ``法提供``).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from goitui import limits
from goitui.i18n import _
from goitui.model import Document, Line, Mark
from goitui.readers.base import PAGE_NUMBER, NeedsOcr, ReadError, join_parts, read_error_in, tidy
from goitui.readers.grid import Cell, grid_cells, useful
from goitui.readers.pdfbands import BandTable, band_tables
from goitui.readers.pdfchars import (
    PdfiumText,
    drop_overprints,
    drop_watermarks,
    is_glyph_number,
    main_turn,
    not_a_character,
    quadrant,
    symbolic_fonts,
    turn_objects,
    unmapped_fonts,
    with_objects,
)
from goitui.readers.pdfstreams import counted

_FURNITURE = re.compile(r"^[-—–－\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d+|\s*共\s*\d+\s*页)?[-—–－\s]*$")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])")
_WHITE = {(1,), (1, 1, 1), (0, 0, 0, 0)}
#: pages read from one file: a county's compilation runs to a few hundred
MAX_PAGES = 2_000
_ALIGN = 4.0  # points: how far apart two column edges may be and still be the same edge
_TERMINAL = ("。", "！", "？", "；", "：", "!", "?", ";", ":")  # a sentence or clause ends here
_DIGITS = re.compile(r"\d+")
_SPREAD = re.compile(r"^\d(?: \d)+$")  # one digit per word: distributed alignment
_UNNAMED_SHARE = 0.1  # glyphs without a known character beyond this share: the text is unreadable


def _is_ruling(obj: dict[str, Any]) -> bool:
    """Chars and drawn borders; not the filled boxes Word puts behind text and shaded cells."""
    kind = obj["object_type"]
    if kind in ("char", "line"):
        return True
    if kind != "rect":
        return False
    if obj.get("stroke"):
        return True
    thin = min(obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]) < 2.5
    color = obj.get("non_stroking_color")
    return thin and tuple(color or ()) not in _WHITE


def _open_ends(page: Any) -> list[dict[str, Any]]:
    """Borders Word leaves out where a table is cut by a page break, drawn back in.

    Several vertical rules ending at the same height are closed by a horizontal rule there;
    where that rule is missing or covers only some columns, the table was split over pages.
    Drawing it again over the covered part is harmless: overlapping edges merge.
    """
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    out = []
    for key in ("top", "bottom"):
        for y in _edges([e[key] for e in verticals]):
            ends = [e for e in verticals if abs(e[key] - y) <= 1.0]
            if len(ends) < 3:
                continue
            x0, x1 = min(e["x0"] for e in ends), max(e["x1"] for e in ends)
            out.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0,
                        "height": 0, "orientation": "h", "object_type": "line"})
    return out


def _edges(values: list[float]) -> list[float]:
    """Distinct coordinates, merging those within a point of each other."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 1.0:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


@dataclass
class _Part:
    """One ruled table as found on one page."""

    page: int
    number: int  # table number on its page
    top: float
    cells: list[Cell]
    nrows: int
    xs: list[float]
    boxes: dict[int, tuple[float, float, float, float]]  # id(cell) -> bbox
    chars: list[dict[str, Any]] = field(repr=False, default_factory=list)
    band: BandTable | None = field(repr=False, default=None)  # ruled by horizontal lines only

    def text_bottom(self, cell: Cell) -> float | None:
        x0, top, x1, bottom = self.boxes[id(cell)]
        ys = [c["bottom"] for c in self.chars
              if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
        return max(ys, default=None)


def _evenly_spread(box: tuple[float, ...], chars: list[dict[str, Any]]) -> bool:
    """The cell's glyphs stand at even gaps: one number set with distributed alignment.

    Word's distributed alignment prints ``16`` as ``1`` at the left edge and ``6`` at the right;
    two numbers that share a cell by mistake would not sit at equal distances.
    """
    inside = sorted((c for c in chars if box[0] <= (c["x0"] + c["x1"]) / 2 <= box[2]
                     and box[1] <= (c["top"] + c["bottom"]) / 2 <= box[3]), key=lambda c: c["x0"])
    if len(inside) < 2 or max(c["top"] for c in inside) - min(c["top"] for c in inside) > 1:
        return False
    gaps = [b["x0"] - a["x1"] for a, b in zip(inside, inside[1:], strict=False)]
    return max(gaps) - min(gaps) <= max(1.0, 0.1 * max(gaps))


def _part(table: Any, page_no: int, number: int, chars: list[dict[str, Any]]) -> _Part | None:
    boxes = list(table.cells)
    texts: dict[tuple[float, ...], str] = {}
    for row, values in zip(table.rows, table.extract(), strict=False):
        for box, value in zip(row.cells, values, strict=False):
            if box is not None:
                text = join_parts((value or "").split("\n"))
                if _SPREAD.match(text) and _evenly_spread(box, chars):
                    text = text.replace(" ", "")
                texts[tuple(box)] = text
    xs = _edges([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes])
    if len(xs) < 3 or not any(texts.values()):
        return None  # one column is a framed paragraph; no text at all is decoration
    part = _Part(page_no, number, table.bbox[1], [], len(ys) - 1, xs, {}, chars)
    for box in boxes:
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        if c1 <= c0 or r1 <= r0:
            continue
        cell = Cell(r0, c0, texts.get(tuple(box), ""), r1 - r0, c1 - c0)
        part.cells.append(cell)
        part.boxes[id(cell)] = box
    return part


@dataclass
class _Table:
    """Rows of one table, possibly continued over several pages."""

    parts: list[_Part]

    @property
    def last(self) -> _Part:
        return self.parts[-1]

    def continues_with(self, part: _Part) -> bool:
        prev = self.last
        if prev.band is not None and part.band is not None:
            return part.page == prev.page + 1 and prev.band.continues_with(part.band)
        return (part.page == prev.page + 1 and len(part.xs) == len(prev.xs)
                and all(abs(a - b) <= _ALIGN for a, b in zip(part.xs, prev.xs, strict=False)))

    def append(self, part: _Part) -> None:
        """Add the next page's rows; a label cut at the break continues instead of restarting."""
        prev = self.last
        if prev.band is not None and part.band is not None:  # the columns of the table's start
            number = part.number
            part = _band_part(part.band.lay_out(prev.band.model), part.page, part.chars)
            part.number = number
        offset = prev.nrows
        open_labels = {c.col: c for p in self.parts for c in p.cells
                       if c.is_label and c.row + c.rowspan == prev.nrows}
        kept: list[Cell] = []
        for c in part.cells:
            top = open_labels.get(c.col) if c.row == 0 else None
            if top is not None and top.colspan == c.colspan and (
                    not c.text or (self._cut(prev, top) and self._parent(part, c))):
                top.rowspan += c.rowspan
                top.text = join_parts([top.text, c.text])
                continue
            c.row += offset
            kept.append(c)
        part.cells = kept
        part.nrows += offset
        self.parts.append(part)

    @staticmethod
    def _parent(part: _Part, cell: Cell) -> bool:
        """A category label (more labels to its right), not a row's own label."""
        return any(c.row == cell.row and c.col > cell.col and c.is_label for c in part.cells)

    @staticmethod
    def _cut(part: _Part, cell: Cell) -> bool:
        """The label's text runs into the bottom of the page's table: it goes on overleaf."""
        bottom = part.text_bottom(cell) if id(cell) in part.boxes else None
        if bottom is None:
            return False
        return part.boxes[id(cell)][3] - bottom < 12

    def lines(self) -> list[tuple[list[Cell], str]]:
        cells = [c for p in self.parts for c in p.cells]
        sources: list[str] = []
        start = 0
        for p in self.parts:
            sources += [f"page {p.page}, table {p.number}, row {i - start + 1}"
                        for i in range(start, p.nrows)]
            start = p.nrows
        rows = grid_cells(cells, self.last.nrows)
        return [(row, src) for row, src in zip(rows, sources, strict=False)
                if useful([c.text for c in row])]


@dataclass
class _Text:
    page: int
    top: float
    x0: float
    x1: float
    size: float
    text: str
    margin: str = ""  # "top" or "bottom" for a line in the page's top or bottom margin
    mark: Mark | None = None  # read by OCR
    #: read by OCR as a table row without rules (a label, then numbers): each part with its
    #: own mark, so every number keeps its own confidence and box
    parts: list[tuple[str, Mark]] | None = None


def _prose(page: Any, page_no: int, boxes: Sequence[tuple[float, ...]]) -> list[_Text]:
    def outside(obj: dict[str, Any]) -> bool:
        if obj["object_type"] != "char":
            return False
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    out = []
    for ln in page.filter(outside).extract_text_lines(return_chars=False):
        text = tidy(ln["text"])
        margin = ("top" if ln["top"] < page.height * 0.1 else
                  "bottom" if ln["bottom"] > page.height * 0.88 else "")
        if not text or (margin and (_FURNITURE.match(text) or PAGE_NUMBER.match(text))):
            continue
        out.append(_Text(page_no, ln["top"], ln["x0"], ln["x1"], ln["bottom"] - ln["top"], text,
                         margin))
    return out


def _drop_running_heads(pages: list[list[_Part | _Text]]) -> list[list[_Part | _Text]]:
    """Leave out running headers and footers: never prose, never a table's caption.

    A line in a page's top or bottom margin is one when the same words (page numbers aside)
    stand in the margin of another page too, or when, from page 2 on, it heads the page in a
    smaller size than the body text and is no section heading.
    """
    texts = [b for blocks in pages for b in blocks if isinstance(b, _Text)]
    body = [t.size for t in texts if not t.margin]
    size = statistics.median(body) if body else 0.0
    where: dict[str, set[int]] = {}
    for t in texts:
        if t.margin:
            where.setdefault(_DIGITS.sub("#", t.text), set()).add(t.page)

    def furniture(block: _Part | _Text) -> bool:
        if not isinstance(block, _Text) or not block.margin:
            return False
        if len(where[_DIGITS.sub("#", block.text)]) >= 2:
            return True
        return (block.margin == "top" and block.page > 1 and block.size < 0.9 * size
                and not _HEADING.match(block.text))

    return [[b for b in blocks if not furniture(b)] for blocks in pages]


class _Builder:
    """Blocks in reading order to ``Line``s: each printed line kept, continued tables joined.

    A prose line that goes on with the paragraph above (the line above runs to the right
    margin, or is long and stops mid-sentence; this one starts at the left margin and is no
    heading) is marked ``joins``: the source keeps the lines as printed, and a section's body
    reads the paragraph whole.
    """

    def __init__(self, left: float, right: float) -> None:
        self.left, self.right = left, right
        self.lines: list[Line] = []
        self.pending: _Table | _Text | None = None
        self.n_par = 0
        self.par_line = 0

    def _add(self, cells: list[str], source: str, grid: bool, joins: bool = False,
             marks: list[Mark | None] | None = None, text: str | None = None) -> None:
        self.lines.append(Line(cells=cells, line=len(self.lines) + 1, source=source, grid=grid,
                               text=text, joins=joins, marks=marks))

    def flush(self) -> None:
        if isinstance(self.pending, _Table):
            for row, source in self.pending.lines():
                marks = [c.mark for c in row]
                self._add([c.text for c in row], source, True,
                          marks=marks if any(m is not None for m in marks) else None)
        self.pending = None

    def table(self, part: _Part, first_on_page: bool) -> None:
        if isinstance(self.pending, _Table) and first_on_page and self.pending.continues_with(part):
            self.pending.append(part)
            return
        self.flush()
        self.pending = _Table([part])

    def _continues(self, prev: _Text, t: _Text) -> bool:
        if _HEADING.match(t.text) or t.x0 > self.left + 0.5 * t.size:
            return False
        if prev.x1 >= self.right - 1.5 * prev.size:
            return True
        return (prev.x1 - prev.x0 >= 0.6 * (self.right - self.left)
                and not prev.text.endswith(_TERMINAL))

    def text(self, t: _Text) -> None:
        joins = isinstance(self.pending, _Text) and self._continues(self.pending, t)
        self.flush()
        if joins:
            self.par_line += 1
        else:
            self.n_par, self.par_line = self.n_par + 1, 1
        source = f"page {t.page}, paragraph {self.n_par}"
        where = source if self.par_line == 1 else f"{source}, line {self.par_line}"
        if t.parts:
            self._add([p for p, _m in t.parts], where, False, joins, [m for _p, m in t.parts],
                      text=t.text)
        else:
            self._add([t.text], where, False, joins, [t.mark] if t.mark is not None else None)
        self.pending = t


def _encrypted(error: BaseException) -> bool:
    """Whether opening failed for want of a password: pdfplumber wraps pdfminer's error
    (``PdfminerException(PDFPasswordIncorrect())``), so the cause is looked for inside too."""
    seen = [error, *error.args, error.__cause__, error.__context__]
    return any(isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) for e in seen)


def _open(path: Path) -> Any:
    try:
        pdf = pdfplumber.open(path)
        pages = pdf.pages  # parses the page tree: a truncated file fails here
    except Exception as e:  # pdfminer raises many unrelated types for a broken file
        if _encrypted(e):
            raise ReadError(_("encrypted PDF (needs a password)")) from None
        pdf = _decrypted_by_pdfium(path)
        if pdf is None:
            raise ReadError(_("truncated or damaged PDF")) from None
        pages = pdf.pages
    if not pages:
        pdf.close()
        raise ReadError(_("truncated or damaged PDF (no pages)"))
    return pdf


def _decrypted_by_pdfium(path: Path) -> Any:
    """An encrypted PDF that opens without a password but that pdfminer cannot decrypt (it
    reads a permissions value ``/P 0`` as 2³², and fails): PDFium opens it and writes a copy
    without the encryption, which is read instead. None when the file is not such a PDF."""
    import io

    import pypdfium2
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    with path.open("rb") as f:
        if b"/Encrypt" not in f.read(MAX_ENCRYPT_SCAN) and b"/Encrypt" not in _tail(path):
            return None
    try:
        doc = pypdfium2.PdfDocument(path)
    except Exception:  # a wrong password or a broken file: PDFium cannot open it either
        return None
    try:
        copy = io.BytesIO()
        doc.save(copy, flags=pdfium_c.FPDF_REMOVE_SECURITY)
    finally:
        doc.close()
    try:
        pdf = pdfplumber.open(io.BytesIO(copy.getvalue()))
        if pdf.pages:
            return pdf
    except Exception:  # noqa: S110 - the copy fails as the original did: damaged, said below
        pass
    return None


MAX_ENCRYPT_SCAN = 64 * 1024  # the trailer naming /Encrypt is at either end of the file


def _tail(path: Path) -> bytes:
    with path.open("rb") as f:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - MAX_ENCRYPT_SCAN))
        return f.read()


def read_pdf(path: Path, name: str = "") -> Document:
    layer = PdfiumText(path)
    with _open(path) as pdf, counted():
        try:
            if len(pdf.pages) > MAX_PAGES:
                raise ReadError(_("a PDF of {pages} pages: more than goi reads from one file "
                                  "({limit}); split it into its reports").format(
                                      pages=f"{len(pdf.pages):,}", limit=f"{MAX_PAGES:,}"))
            pages = []
            count = Count()
            for n, page in enumerate(pdf.pages, start=1):
                limits.check()
                pages.append(_read_page(page, n, layer, count))
                page.close()  # page by page: its objects go once read (500 pages took 1.5 GB)
        except ReadError:
            raise
        except Exception as e:
            if (refusal := read_error_in(e)) is not None:  # ours, wrapped by pdfplumber
                raise refusal from None
            raise ReadError(_("truncated or damaged PDF ({name})").format(name=type(e).__name__)) from None
        finally:
            layer.close()
    if not count.chars:
        raise NeedsOcr(_("scanned PDF with no text layer (needs OCR)"), "no-text-layer")
    if count.unnamed >= _UNNAMED_SHARE * count.chars:
        raise NeedsOcr(_("the PDF's text cannot be extracted: its font has no Unicode map; "
                         "it needs OCR"), "no-unicode-map")
    return Document(lines=build_lines(pages), format="pdf", name=name or path.name)


def build_lines(pages: list[list[_Part | _Text]]) -> list[Line]:
    """Each page's blocks, top to bottom, to ``Line``s: running heads left out, paragraphs
    rejoined over lines and pages, a table cut by a page break joined. The OCR reader gives
    its pages the same way."""
    pages = _drop_running_heads(pages)
    texts = [b for blocks in pages for b in blocks if isinstance(b, _Text)]
    left = min((t.x0 for t in texts), default=0.0)
    right = max((t.x1 for t in texts), default=0.0)
    builder = _Builder(left, right)
    for blocks in pages:
        for i, block in enumerate(blocks):
            if isinstance(block, _Part):
                builder.table(block, first_on_page=i == 0)
            else:
                builder.text(block)
    builder.flush()
    return builder.lines


@dataclass
class Count:
    """Glyphs read so far, and how many of them have no known character."""

    chars: int = 0
    unnamed: int = 0


def _read_page(page: Any, page_no: int, layer: PdfiumText, count: Count) -> list[_Part | _Text]:
    """A page's tables and prose lines in reading order, from its glyphs as printed.

    Overprinted copies and stamps go first; a font pdfminer cannot name is read through PDFium
    (or counted, so a report printed in it is refused as needing OCR); a page whose text runs
    along another edge is turned so that its text is level.
    """
    raw = page.chars
    if not raw:
        return []
    chars = drop_watermarks(drop_overprints(raw))
    unmapped = unmapped_fonts(page)
    if unmapped:
        count.unnamed += sum(1 for c in chars if c.get("fontname") in unmapped)
    else:
        chars = layer.name_glyphs(chars, page_no - 1, page.height)
    count.unnamed += sum(1 for c in chars if is_glyph_number(c))
    if symbolic := symbolic_fonts(page):  # its glyph numbers are counted just above
        count.unnamed += sum(1 for c in chars if c.get("fontname") in symbolic
                             and not is_glyph_number(c) and not_a_character(c))
    count.chars += len(chars)
    objects = {**page.objects, "char": chars}
    turn = main_turn(chars)
    if not turn:
        return _blocks(with_objects(page, objects), page_no)
    level = [c for c in chars if quadrant(c) == turn]
    others = [c for c in chars if quadrant(c) != turn]
    turned, size = turn_objects({**objects, "char": level}, turn, page.width, page.height,
                                page.initial_doctop)
    blocks = _blocks(with_objects(page, turned, size), page_no)
    if not others:
        return blocks
    start = min(c["top"] for c in level)
    prose = _prose(with_objects(page, {**objects, "char": others}), page_no, [])
    return ([t for t in prose if t.top < start] + blocks + [t for t in prose if t.top >= start])


def _blocks(page: Any, page_no: int) -> list[_Part | _Text]:
    """Ruled tables, tables ruled by horizontal lines only and prose, top to bottom."""
    chars = page.chars
    ruled = page.filter(_is_ruling)
    settings = {"explicit_horizontal_lines": _open_ends(ruled)}
    parts = [p for n, t in enumerate(ruled.find_tables(settings), start=1)
             if (p := _part(t, page_no, n, chars)) is not None]
    boxes = [(p.xs[0], min(b[1] for b in p.boxes.values()), p.xs[-1],
              max(b[3] for b in p.boxes.values())) for p in parts]
    for band in band_tables(ruled, boxes):
        part = _band_part(band, page_no, chars)
        parts.append(part)
        boxes.append((band.x0, band.top, band.x1, band.bands[-1][1]))
    for n, p in enumerate(sorted(parts, key=lambda p: p.top), start=1):
        p.number = n
    blocks: list[_Part | _Text] = [*parts, *_prose(page, page_no, boxes)]
    blocks.sort(key=lambda b: b.top)
    return blocks


def _band_part(band: BandTable, page_no: int, chars: list[dict[str, Any]]) -> _Part:
    part = _Part(page_no, 0, band.top, [], len(band.rows), band.edges(), {}, chars, band)
    for r, (row, boxes) in enumerate(zip(band.rows, band.boxes, strict=False)):
        for c, (text, box) in enumerate(zip(row, boxes, strict=False)):
            cell = Cell(r, c, text)
            part.cells.append(cell)
            part.boxes[id(cell)] = box
    return part
