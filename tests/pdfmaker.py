"""PDFs of generated reports, printed with the habits of real publishers (tests only).

``make_pdf`` draws a report of ``goitui.testing.generate`` (title, six sections, the three tables
as the template merges them) with reportlab's canvas, one trait at a time or several together:
fake bold (every glyph painted twice a fraction of a point apart), digits spread across their
cell, a table turned sideways, a table ruled by horizontal lines only, a diagonal stamp, page
numbers and a running header, a table cut by a page break under a repeated header, table 四
printed as three tables, encryption with an owner password, and a CJK font with no Unicode map.

The CJK font is reportlab's built-in ``STSong-Light`` (a CID font no file is needed for);
``available()`` says why not where reportlab is missing.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field, replace
from pathlib import Path

from goitui import labels
from goitui.testing import generate

CID_FONT = "STSong-Light"  # reportlab's own: no font file needed, never embedded
FONT = CID_FONT  # the font the report is printed in
PAGE = (595.0, 842.0)
MARGIN = 50.0


def available() -> str | None:
    """None when PDFs can be made here, else the reason (for ``pytest.skip``)."""
    try:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    except Exception as e:  # reportlab missing, or its CID font data
        return f"reportlab with the {CID_FONT} CID font is not available ({e})"
    return None


@dataclass
class Traits:
    """How the report is printed; the defaults print it plainly, every table fully ruled."""

    bold: frozenset[str] = frozenset()  # headings, total_row, total_column
    bold_offset: float = 0.35
    bold_rise: float = 0.0  # the copy also shifted up (a diagonal offset)
    bold_copies: int = 2  # how many times each glyph is painted (3: offset once and twice)
    spread: bool = False  # numbers of two digits or more: one digit at each edge of the cell
    sideways: int = 0  # 90 or 270: table 三 on its own page, turned
    horizontal_rules: bool = False  # table 三 ruled by horizontal lines only
    horizontal_everywhere: bool = False  # ... and tables 二 and 四 too
    watermark: str = ""
    watermark_angle: float = 35.0
    watermark_size: float = 30.0
    #: > 0: the stamp is drawn in dark red made faint by this opacity (an ExtGState), not grey
    watermark_alpha: float = 0.0
    margin_stamp: str = ""  # printed pale up the right margin of every page
    page_numbers: str = ""  # e.g. "— {n} —", "第{n}页"
    running_header: str = ""
    break_after: int = 0  # table 三 continues on a new page after this many body rows
    repeat_header: bool = False  # ... under its header rows printed again
    split_reviews: bool = False  # table 四 as three tables of five columns
    reviews_order: tuple[int, ...] = (0, 1, 2)  # ... printed in this order
    encrypt: bool = False
    no_unicode_map: bool = False
    #: a TrueType font file to embed instead of the CID font: reportlab subsets it into simple
    #: fonts of one-byte codes, which no_unicode_map then leaves without their ToUnicode map
    font_file: str = ""
    font_embedded: bool = True  # False: the embedded font program is taken out again
    label_width: float = 0.0  # width of table 三's label columns (0: the default)
    prose_repeat: int = 1  # each section's paragraphs printed this many times (longer reports)


@dataclass
class Made:
    data: bytes
    figures: dict[str, generate.Value]
    agency: str
    year: int
    template: str

    def write(self, folder: Path, name: str = "report.pdf") -> Path:
        path = folder / name
        path.write_bytes(self.data)
        return path


@dataclass
class _Painter:
    """Draws in top-down coordinates on the current page (turned where the page is turned)."""

    canvas: object
    traits: Traits
    width: float = PAGE[0]
    height: float = PAGE[1]
    page: int = 1
    top: float = MARGIN
    turned: bool = False
    bold_now: bool = False
    stack: list[str] = field(default_factory=list)

    def text(self, x: float, top: float, s: str, size: float, bold: bool = False) -> None:
        c = self.canvas
        c.setFont(FONT, size)  # type: ignore[attr-defined]
        y = self.height - top - size
        c.drawString(x, y, s)  # type: ignore[attr-defined]
        if bold:
            for copy in range(1, self.traits.bold_copies):
                c.drawString(x + copy * self.traits.bold_offset,  # type: ignore[attr-defined]
                             y + copy * self.traits.bold_rise, s)

    def rule(self, x0: float, top0: float, x1: float, top1: float) -> None:
        self.canvas.setLineWidth(0.5)  # type: ignore[attr-defined]
        self.canvas.line(x0, self.height - top0, x1, self.height - top1)  # type: ignore[attr-defined]

    def new_page(self, turn: int = 0) -> None:
        self.furniture()
        c = self.canvas
        c.showPage()  # type: ignore[attr-defined]
        self.page += 1
        self.top = MARGIN
        self.start(turn)

    def start(self, turn: int = 0) -> None:
        c = self.canvas
        self.turned = bool(turn)
        if turn == 90:
            c.translate(PAGE[0], 0)  # type: ignore[attr-defined]
            c.rotate(90)  # type: ignore[attr-defined]
        elif turn == 270:
            c.translate(0, PAGE[1])  # type: ignore[attr-defined]
            c.rotate(-90)  # type: ignore[attr-defined]
        self.width, self.height = (PAGE[1], PAGE[0]) if turn else PAGE
        self.watermark()
        if self.traits.running_header and self.page > 1:
            self.text(MARGIN, 22, self.traits.running_header, 8)

    def watermark(self) -> None:
        if not self.traits.watermark and not self.traits.margin_stamp:
            return
        c = self.canvas
        c.saveState()  # type: ignore[attr-defined]
        if self.traits.watermark_alpha:
            c.setFillColorRGB(0.6, 0.0, 0.0, alpha=self.traits.watermark_alpha)  # type: ignore[attr-defined]
        else:
            c.setFillGray(0.8)  # type: ignore[attr-defined]
        c.setFont(FONT, self.traits.watermark_size)  # type: ignore[attr-defined]
        c.translate(self.width * 0.2, self.height * 0.3)  # type: ignore[attr-defined]
        c.rotate(self.traits.watermark_angle)  # type: ignore[attr-defined]
        c.drawString(0, 0, self.traits.watermark)  # type: ignore[attr-defined]
        c.drawString(0, -self.height * 0.35, self.traits.watermark)  # type: ignore[attr-defined]
        c.restoreState()  # type: ignore[attr-defined]
        if self.traits.margin_stamp:  # small and pale, up the right margin
            c.saveState()  # type: ignore[attr-defined]
            c.setFillGray(0.7)  # type: ignore[attr-defined]
            c.setFont(FONT, 8)  # type: ignore[attr-defined]
            c.translate(self.width - 20, 200)  # type: ignore[attr-defined]
            c.rotate(90)  # type: ignore[attr-defined]
            c.drawString(0, 0, self.traits.margin_stamp)  # type: ignore[attr-defined]
            c.restoreState()  # type: ignore[attr-defined]

    def furniture(self) -> None:
        if self.traits.page_numbers:
            label = self.traits.page_numbers.format(n=self.page)
            self.text(self.width / 2 - 10, self.height - 35, label, 9)

    def need(self, height: float) -> None:
        if self.top + height > self.height - MARGIN:
            self.new_page()


def _wrap(s: str, width: float, size: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for ch in s:
        if line and stringWidth(line + ch, FONT, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line or not lines else lines


def _prose(p: _Painter, text: str, size: float = 10, bold: bool = False, indent: bool = True) -> None:
    width = p.width - 2 * MARGIN
    first = ("\u3000\u3000" if indent else "") + text
    for line in _wrap(first, width, size):
        p.need(size + 6)
        p.text(MARGIN, p.top, line, size, bold)
        p.top += size + 6


_WIDTHS = {"proactive": [150, 115, 115, 115], "reviews": [33] * 15}


def _widths(grid: generate.Grid, traits: Traits) -> list[float]:
    if grid.table == "applications":
        first = traits.label_width or 60
        return [first, 60, 125 - (first - 60), *([36] * 7)]
    return _WIDTHS[grid.table]


def _cell_text(p: _Painter, cell: generate.Cell, box: tuple[float, float, float, float],
               size: float, bold: bool, spread: bool) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    x0, top, x1, _ = box
    if spread and len(cell.text) > 1 and cell.text.isdigit():
        step = (x1 - x0 - 6 - stringWidth(cell.text[-1], FONT, size)) / (len(cell.text) - 1)
        for i, ch in enumerate(cell.text):
            p.text(x0 + 3 + i * step, top + 3, ch, size, bold)
        return
    for i, line in enumerate(_wrap(cell.text, x1 - x0 - 6, size)):
        p.text(x0 + 3, top + 3 + i * (size + 2), line, size, bold)


def _row_height(row: list[tuple[generate.Cell, str]], widths: list[float], size: float,
                banded: bool) -> float:
    need = 1
    for c, (cell, role) in enumerate(row):
        if role == "origin" and (cell.rowspan == 1 or banded) and cell.text:
            span = sum(widths[c:c + cell.colspan])
            need = max(need, len(_wrap(cell.text, span - 6, size)))
    return need * (size + 2) + 6


def _table(p: _Painter, grid: generate.Grid, traits: Traits, size: float = 6.5) -> None:
    """A table from its grid: cells boxed (or banded), cut and continued at page breaks."""
    widths = _widths(grid, traits)
    xs = [MARGIN]
    for w in widths:
        xs.append(xs[-1] + w)
    rows = generate.expand(grid)
    banded = (traits.horizontal_rules and grid.table == "applications") or traits.horizontal_everywhere
    heights = [_row_height(r, widths, size, banded) for r in rows]
    for r, row in enumerate(rows):  # a merged cell's text fits the rows it spans
        for c, (cell, role) in enumerate(row):
            if role == "origin" and cell.rowspan > 1 and not banded:
                need = len(_wrap(cell.text, sum(widths[c:c + cell.colspan]) - 6, size)) * (size + 2) + 6
                have = sum(heights[r:r + cell.rowspan])
                if need > have:
                    heights[r + cell.rowspan - 1] += need - have
    header = [i for i, r in enumerate(rows) if all(c.kind in (generate.HEADER, generate.FILLER) for c, _ in r)]
    body_seen = 0
    tops: dict[int, float] = {}
    for r, row in enumerate(rows):
        if r not in header:
            body_seen += 1
        must_break = (grid.table == "applications" and traits.break_after and r not in header
                      and body_seen == traits.break_after + 1)
        if must_break or p.top + heights[r] > p.height - MARGIN:
            p.new_page()
            if traits.repeat_header and grid.table == "applications":
                for h in header:
                    _row(p, rows[h], h, xs, heights[h], traits, size, banded, grid, {})
        tops[r] = p.top
        _row(p, row, r, xs, heights[r], traits, size, banded, grid, tops)


def _row(p: _Painter, row: list[tuple[generate.Cell, str]], r: int, xs: list[float], height: float,
         traits: Traits, size: float, banded: bool, grid: generate.Grid, tops: dict[int, float]) -> None:
    top = p.top
    bottom = top + height
    if banded:
        p.rule(xs[0], top, xs[-1], top)
        p.rule(xs[0], bottom, xs[-1], bottom)
    c = 0
    while c < len(row):
        cell, role = row[c]
        span = cell.colspan if role == "origin" else 1
        if role == "right":
            c += 1
            continue
        box = (xs[c], top, xs[c + span], bottom)
        if not banded:
            p.rule(box[0], top, box[2], top) if role == "origin" else None
            p.rule(box[0], bottom, box[2], bottom) if _last_row_of(grid, row, c, r) else None
            p.rule(box[0], top, box[0], bottom)
            p.rule(box[2], top, box[2], bottom)
        if role == "origin" and cell.text:
            bold = (("total_row" in traits.bold and _is_total_row(row))
                    or ("total_column" in traits.bold and cell.key is not None
                        and cell.key.endswith(".total") and grid.table == "applications")
                    or ("headings" in traits.bold and cell.kind == generate.HEADER))
            _cell_text(p, cell, box, size, bold, traits.spread and grid.table == "applications")
        c += span
    p.top = bottom


def _last_row_of(grid: generate.Grid, row: list[tuple[generate.Cell, str]], c: int, r: int) -> bool:
    rows = generate.expand(grid)
    return r + 1 >= len(rows) or rows[r + 1][c][1] == "origin"


def _is_total_row(row: list[tuple[generate.Cell, str]]) -> bool:
    return any(cell.text == "（七）总计" for cell, _ in row)


def _split_reviews(grid: generate.Grid) -> list[generate.Grid]:
    """Table 四 as printed by some: 行政复议, then the two kinds of 行政诉讼, five columns each."""
    values = grid.rows[-1]
    heads = [labels.REVIEWS[0].label, *(r.label.split("·")[1] for r in labels.REVIEWS[1:])]
    out = []
    for i, head in enumerate(heads):
        rows = [[generate.Cell(head, generate.HEADER, colspan=5)],
                [generate.Cell(c.label, generate.HEADER) for c in labels.REVIEW_COLUMNS],
                values[5 * i:5 * i + 5]]
        out.append(generate.Grid("reviews", 5, rows))
    return out


def make_pdf(traits: Traits | None = None, seed: int = 7, template: str = labels.T2021) -> Made:
    """A generated report printed as a PDF with ``traits``; figures and names from ``seed``."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    reason = available()
    if reason:
        raise RuntimeError(reason)
    traits = traits or Traits()
    if traits.font_file:
        global FONT
        before, FONT = FONT, _embedded_font(traits.font_file)
        try:
            return make_pdf(replace(traits, font_file=""), seed, template)
        finally:
            FONT = before
    rng = random.Random(seed)
    figures: dict[str, generate.Value] = dict(generate.make_figures(template, rng))
    agency = generate.agency_names(1, rng)[0]
    year = rng.randint(2019, 2024)
    out = io.BytesIO()
    encrypt = (StandardEncryption("", ownerPassword="owner-secret", canPrint=0, canModify=0,
                                  canCopy=0, canAnnotate=0) if traits.encrypt else None)
    c = canvas.Canvas(out, pagesize=PAGE, encrypt=encrypt, invariant=1)
    p = _Painter(c, traits)
    p.start()
    bold_heads = "headings" in traits.bold
    _prose(p, f"{agency}{year}年政府信息公开工作年度报告", 12, bold_heads, indent=False)
    bodies = generate.default_prose(figures, agency, year, rng)
    grids = {g.table: g for g in generate.build_grids(figures, template)}
    for num, title in labels.SECTION_TITLES.items():
        heading = f"{'一二三四五六'[num - 1]}、{title}"
        _prose(p, heading, 11, bold_heads, indent=False)
        table = next((t for t, s in labels.TABLE_SECTION.items() if s == num), None)
        if table == "applications" and traits.sideways:
            p.new_page(traits.sideways)
            _table(p, grids[table], traits)
            p.new_page()
        elif table == "reviews" and traits.split_reviews:
            parts = _split_reviews(grids[table])
            for i in traits.reviews_order:
                _table(p, parts[i], traits)
                p.top += 8
        elif table is not None:
            _table(p, grids[table], traits)
        for para in bodies.get(num, "").split("\n") * traits.prose_repeat:
            if para:
                _prose(p, para)
    p.furniture()
    c.save()
    data = out.getvalue()
    if traits.no_unicode_map:
        data = _without_unicode_map(data, traits.font_embedded)
    return Made(data, figures, agency, year, template)


def _embedded_font(path: str) -> str:
    """Register a TrueType font (the first face of a collection) with reportlab."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = f"Embedded-{Path(path).stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    return name


def _without_unicode_map(data: bytes, embedded: bool = True) -> bytes:
    """The CJK font's encoding changed to Identity-H: its codes become bare glyph numbers. An
    embedded TrueType subset loses its ToUnicode map: its codes name only its own glyphs.
    ``embedded=False``: the TrueType font program is taken out too (drawn in a stand-in)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font.get("/Subtype") == "/Type0":
                font[NameObject("/Encoding")] = NameObject("/Identity-H")
                font.pop("/ToUnicode", None)
            elif font.get("/Subtype") == "/TrueType":
                font.pop("/ToUnicode", None)
                if not embedded:
                    font["/FontDescriptor"].get_object().pop("/FontFile2", None)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
