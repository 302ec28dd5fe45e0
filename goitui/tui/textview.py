"""Report text in lines broken by goi's one wrapper (``render.wrap``), at the widget's width.

Textual's own wrapping breaks a line wherever the width ends: inside ``2019``, or before a
``，``. This view breaks paragraphs with ``render.wrap`` (Chinese line-breaking rules, numbers
whole) and again whenever its width changes. It renders only the lines on screen (the line
API), so a long source costs no more to show than a short one, and it keeps the styles of
the text it is given: a highlighted match stays highlighted across a break.

The text comes in as Rich ``Text`` already made harmless (``render.plain``): this widget
never reads markup.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from goitui.render.wrap import wrap

#: narrower than this, a line would hold too little to read; the view scrolls sideways instead
MIN_WIDTH = 8


@dataclass
class Paragraph:
    """One paragraph (or one printed line) of the view.

    ``gutter``: what its first line shows in the margin (a line number); continuation lines
    leave the margin empty, so a reader sees where a printed line begins.
    """

    text: Text
    gutter: str = ""


def wrapped_lines(text: Text, width: int) -> list[tuple[int, Text]]:
    """``text`` broken by ``render.wrap`` into (offset in ``text``, the line with its styles).

    ``wrap`` only drops the spaces at a break, so each line it gives is found again in the
    plain text from where the last one ended, and cut from ``text`` with its spans.
    """
    plain = text.plain
    out: list[tuple[int, Text]] = []
    at = 0
    for line in wrap(plain, max(width, MIN_WIDTH)):
        start = plain.find(line, at)
        if start < 0:  # not expected: wrap keeps every character but spaces at breaks
            start = at
        out.append((start, text[start:start + len(line)]))
        at = start + len(line)
    return out


class TextView(ScrollView, can_focus=True):
    """Paragraphs wrapped to the width, scrolled with the arrow and page keys."""

    DEFAULT_CSS = """
    TextView {
        height: 1fr;
        padding: 0 1;
        scrollbar-gutter: stable;
    }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.paragraphs: list[Paragraph] = []
        self._gutter = 0  # cells of the margin (0: no margin)
        self._rows: list[tuple[int, int, Text]] = []  # (paragraph, offset, line)
        self._first: list[int] = []  # the first row of each paragraph
        self._width = 0  # the width the rows were wrapped to
        self._pending: tuple[int, int] | None = None  # where to scroll once wrapped
        self._cache: dict[tuple[int, Style], Strip] = {}

    # ---------------------------------------------------------------- content

    def show(self, paragraphs: list[Paragraph], *, top: bool = True) -> None:
        """Show ``paragraphs``, from the top (``top``) or where the view is (the same text
        again, restyled)."""
        self.paragraphs = paragraphs
        widest = max((cell_len(p.gutter) for p in paragraphs), default=0)
        self._gutter = widest + 1 if widest else 0
        self._width = -1  # wrap again even at the same width
        self._rewrap()
        if top:
            self.scroll_to(y=0, animate=False, immediate=True)

    def go_to(self, paragraph: int, offset: int = 0) -> None:
        """Scroll so that character ``offset`` of ``paragraph`` shows in the upper third
        (once the view has a width, if it has none yet: a tab not shown)."""
        self._pending = (paragraph, offset)
        self._scroll_pending()

    @property
    def margin(self) -> int:
        """Cells of the margin before each line (0: none)."""
        return self._gutter

    def row_of(self, paragraph: int, offset: int = 0) -> int:
        """The row (wrapped line) showing character ``offset`` of ``paragraph``."""
        first = self._first[paragraph]
        starts = [self._rows[r][1] for r in self._span(paragraph)]
        return first + max(bisect_right(starts, offset) - 1, 0)

    def _span(self, paragraph: int) -> range:
        end = self._first[paragraph + 1] if paragraph + 1 < len(self._first) else len(self._rows)
        return range(self._first[paragraph], end)

    def lines(self) -> list[str]:
        """The rows as shown, margin included, as plain text (for tests and captures)."""
        return [self._line(r).plain for r in range(len(self._rows))]

    def lines_of(self, paragraph: int) -> list[str]:
        """The rows showing one paragraph, without the margin, as plain text."""
        return [self._rows[r][2].plain for r in self._span(paragraph)]

    def styled(self, style: str) -> list[str]:
        """Every stretch of text carrying ``style`` in the paragraphs (what is highlighted)."""
        out = []
        for p in self.paragraphs:
            out += [p.text.plain[s.start:s.end] for s in p.text.spans if str(s.style) == style]
        return out

    # ---------------------------------------------------------------- layout

    def on_resize(self, event: events.Resize) -> None:
        self._rewrap()

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width
        if width == self._width:
            return
        self._width = width
        self._cache.clear()
        self._rows, self._first = [], []
        if width <= 0:  # not shown (an inactive tab): wrapped once it is
            self.virtual_size = Size(0, 0)
            return
        text_width = width - self._gutter
        widest = 0
        for index, paragraph in enumerate(self.paragraphs):
            self._first.append(len(self._rows))
            for offset, line in wrapped_lines(paragraph.text, text_width):
                self._rows.append((index, offset, line))
                widest = max(widest, line.cell_len)
        self.virtual_size = Size(max(width, self._gutter + widest), len(self._rows))
        self.refresh()
        self._scroll_pending()

    def _scroll_pending(self) -> None:
        if self._pending is None or self._width <= 0 or not self._first:
            return
        paragraph, offset = self._pending
        self._pending = None
        if paragraph >= len(self._first):
            return
        row = self.row_of(paragraph, offset)
        # the layout may not know the new height yet: scroll after it has run
        self.call_after_refresh(self._scroll_to_row, row)

    def _scroll_to_row(self, row: int) -> None:
        self.scroll_to(y=max(row - self.size.height // 3, 0), animate=False, immediate=True)
        self.refresh()  # every line: lines drawn before the text was restyled may be kept

    # ---------------------------------------------------------------- rendering

    def _line(self, row: int) -> Text:
        index, offset, line = self._rows[row]
        if not self._gutter:
            return line.copy()
        margin = self.paragraphs[index].gutter if offset == 0 and row == self._first[index] else ""
        out = Text(margin.rjust(self._gutter - 1) + " ", style="dim")
        out.append_text(line)
        return out

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if row >= len(self._rows):
            return Strip.blank(width, base)
        strip = self._cache.get((row, base))
        if strip is None:
            if len(self._cache) > 2000:
                self._cache.clear()
            text = self._line(row)
            text.stylize_before(base)
            strip = Strip(text.render(self.app.console), text.cell_len)
            self._cache[(row, base)] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, base)
