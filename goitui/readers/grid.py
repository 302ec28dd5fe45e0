"""Tables with merged cells to one ``Line`` per row: the rule shared by HTML, Word and PDF.

Every format ends up with cells placed on a grid (row, column, spans). A cell spanning columns
appears once; a label spanning rows (``三、本年度办理结果``) is repeated on every row it covers so
each row carries its full label path; a number or an empty cell is never repeated, because a
repeated number would be counted twice and a repeated blank would shift the values.
"""

from __future__ import annotations

from dataclasses import dataclass

from goitui.i18n import _
from goitui.model import Mark
from goitui.readers.base import Budget
from goitui.text import is_value

#: grid slots one file's tables may cover once spans are spread: a report's three tables take a
#: few thousand, a page of nothing but huge rowspans hundreds of millions (131 KB took 3.8 GB)
MAX_GRID_CELLS = 1_000_000


def grid_budget() -> Budget:
    """The slot budget of one file's tables (shared by all of them: many tables add up)."""
    return Budget(MAX_GRID_CELLS, _("table cells once merged cells are spread (rowspan, colspan)"))


@dataclass
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    mark: Mark | None = None  # read by OCR: confidence and box

    @property
    def is_label(self) -> bool:
        return bool(self.text) and not is_value(self.text)


def grid_rows(cells: list[Cell], nrows: int | None = None) -> list[list[str]]:
    """The cells of each row left to right, rows spanned by a label repeating it."""
    return [[c.text for c in row] for row in grid_cells(cells, nrows)]


def grid_cells(cells: list[Cell], nrows: int | None = None) -> list[list[Cell]]:
    """``grid_rows`` as the cells themselves, for readers that keep more than their text."""
    if nrows is None:
        nrows = max((c.row + c.rowspan for c in cells), default=0)
    rows: list[list[Cell]] = [[] for _ in range(nrows)]
    for c in cells:
        rows[c.row].append(c)
        if c.is_label:
            for r in range(c.row + 1, min(c.row + c.rowspan, nrows)):
                rows[r].append(c)
    return [sorted(row, key=lambda c: c.col) for row in rows]


def useful(cells: list[str]) -> bool:
    """A row worth a ``Line``: anything printed, or several (blank) cells of a real grid."""
    return any(cells) or len(cells) > 1


class Placer:
    """HTML's table model: cells fill the next free column, skipping slots taken by rowspans."""

    MAX_COLSPAN = 100  # hostile spans must not allocate huge grids; rowspan stops at the last row

    def __init__(self, nrows: int, budget: Budget | None = None) -> None:
        self.nrows = nrows
        self.budget = budget if budget is not None else grid_budget()
        self.cells: list[Cell] = []
        self._taken: set[tuple[int, int]] = set()
        self.row = -1
        self._col = 0

    def next_row(self) -> None:
        self.row += 1
        self._col = 0

    def add(self, text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
        rowspan = min(max(rowspan, 1), max(self.nrows - self.row, 1))
        colspan = min(max(colspan, 1), self.MAX_COLSPAN)
        while (self.row, self._col) in self._taken:
            self._col += 1
        self.budget.spend(rowspan * colspan)  # before a slot is taken: spans are the file's word
        cell = Cell(self.row, self._col, text, rowspan, colspan)
        for r in range(self.row, self.row + rowspan):
            for c in range(self._col, self._col + colspan):
                self._taken.add((r, c))
        self._col += colspan
        self.cells.append(cell)
        return cell
