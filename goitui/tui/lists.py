"""What every list of the browser does alike: sort by any column, export the list, copy from it.

* Sorting happens in SQL (``archive.queries`` takes a whitelisted sort key): the lists are
  paged from an archive of 20,000+ reports, so nothing is loaded whole to be sorted. ``o``
  sorts by the column under the cursor (←/→ move it; its header is highlighted), pressing
  it again turns the order round; a click on a header does the same. The header of the
  sorted column carries ▲ or ▼, and the order stays while the pages turn.
* ``e`` exports the whole list as filtered and sorted (every row, not only the page) with the
  library's writers: the records of ``goi list`` / ``goi validate --format csv``; the file
  name's suffix chooses CSV (UTF-8 with BOM) or XLSX.
* ``c`` copies the cell under the cursor, ``C`` the row (in a findings list: the finding in
  full) to the clipboard by OSC 52, which works over SSH. Copied text is report text:
  control characters are escaped (``\\x1b``) as everywhere else in goi, never sent raw.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import CursorType

from goitui.archive.store import Archive
from goitui.export.writers import FORMATS, Sheet, write_file
from goitui.i18n import _
from goitui.model import template_name
from goitui.render.display import fit
from goitui.text import one_line, visible
from goitui.tui.base import PagedScreen
from goitui.tui.render import severity_text, status_text

ASCENDING, DESCENDING = "▲", "▼"
#: the formats a file name may ask for by its suffix (the library's writers)
EXPORT_FORMATS = FORMATS

SORT = Binding("o", "sort", _("Sort"))
EXPORT = Binding("e", "export", _("Export"), show=False)
COPY_CELL = Binding("c", "copy('cell')", _("Copy cell"), show=False)
COPY_ROW = Binding("C", "copy('row')", _("Copy row"), show=False)
COPY_FINDING = Binding("C", "copy('row')", _("Copy finding"), show=False)
#: the keys of a list of reports; a findings list has COPY_FINDING instead of COPY_ROW
LIST_KEYS = [SORT, EXPORT, COPY_CELL, COPY_ROW]


class ListTable(DataTable):
    """A table whose row cursor also has a column: ←/→ move it, its header is highlighted.
    That column is the one ``o`` sorts by and ``c`` copies (a click on a cell sets it too)."""

    def _should_highlight(self, cursor: Coordinate, target_cell: Coordinate,
                          type_of_cursor: CursorType) -> bool:
        if type_of_cursor == "row" and target_cell.row == -1:
            return cursor.column == target_cell.column
        return super()._should_highlight(cursor, target_cell, type_of_cursor)

    def action_cursor_left(self) -> None:
        self.move_column(-1)

    def action_cursor_right(self) -> None:
        self.move_column(1)

    def move_column(self, step: int) -> None:
        """The cursor one column left or right, scrolled into view (a wide list still shows
        every column, as the arrow keys scrolled it before)."""
        if not self.columns:
            return
        column = max(0, min(len(self.columns) - 1, self.cursor_column + step))
        self.cursor_coordinate = Coordinate(self.cursor_row, column)
        widths = [c.get_render_width(self) for c in self.ordered_columns]
        left, right = sum(widths[:column]), sum(widths[:column + 1])
        view = self.scrollable_content_region.width
        if left < self.scroll_x:
            self.scroll_to(x=left, animate=False)
        elif right > self.scroll_x + view:
            self.scroll_to(x=right - view, animate=False)


def header(label: str, sorted_as: bool | None) -> Text:
    """A column's header: its label, with ▲ (ascending) or ▼ when the list is sorted by it."""
    text = Text(label, style="bold")
    if sorted_as is not None:
        text.append(" " + (DESCENDING if sorted_as else ASCENDING))
    return text


def export_name(what: str, now: datetime | None = None) -> str:
    """The file name offered: ``goi-reports-2026-11-30-0612.csv`` in the current directory."""
    return f"goi-{what}-{(now or datetime.now()).strftime('%Y-%m-%d-%H%M')}.csv"


def export_format(path: Path) -> str | None:
    """The format a file name asks for by its suffix (``.csv``, ``.xlsx``…), None if none."""
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in EXPORT_FORMATS else None


def write_export(sheet: Sheet, path: Path, format: str) -> Path:
    """Write the sheet; a file that cannot be written is a ``GoiError`` naming it and why
    (``write_file``)."""
    return write_file([sheet], path, format)[0]


def shown_value(column: str, value: Any) -> Any:
    """A stored word as its cell shows it, in the interface's language: ``warn`` is
    ``! 警告`` in Chinese, ``error`` is ``✗ 错误`` (the word beside the mark the cell shows);
    what is no word of goi's (rule ids, figure keys, names, numbers) stays as it is."""
    if not isinstance(value, str):
        return value
    if column == "status":
        return status_text(value).plain
    if column == "severity":
        return severity_text(value, with_word=True).plain
    if column == "template":
        return template_name(value)
    return value


def clip(value: Any) -> str:
    """One cell's value as copied text: on one line, control characters escaped."""
    return one_line("" if value is None else str(value))


class ExportDialog(ModalScreen[Path | None]):
    """Asks for the file to export to; returns its path on enter, None on escape."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, title: str, default: str):
        super().__init__()
        self.title_text = title
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Static(Text(self.title_text))
            yield Static(Text(_("the suffix chooses the format: .csv (UTF-8 with BOM) or .xlsx; "
                                "enter writes, escape cancels"), style="dim"))
            field = Input(self.default, id="export-path")
            field.cursor_blink = False
            yield field

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        self.dismiss(Path(text).expanduser() if text else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass
class Counts:
    """A list's total and, per facet, its values and their counts: read after its page."""

    total: int
    facets: dict[str, list[tuple[Any, int]]]


class ListScreen(PagedScreen):
    """A paged list in a ``ListTable`` that sorts, exports and copies.

    A subclass names its table (``TABLE``), the word of its export file (``EXPORT_NAME``),
    which columns sort by which key of its query's whitelist (``sort_key``), and gives the
    export (``export_job``) and the full value of a cell (``cell_value``).
    """

    TABLE = ""
    EXPORT_NAME = "list"
    #: sort keys whose first press sorts descending (newest year, most errors first)
    DESCENDING_FIRST: frozenset[str] = frozenset()
    #: an order that is no column (search: relevance): a third press goes back to it
    NEUTRAL_SORT: str | None = None

    def __init__(self, sort: str = "agency") -> None:
        super().__init__()
        self.sort = sort
        self.descending = False
        #: the columns as shown (key, label), for copying a row in their order
        self.shown_columns: list[tuple[str, str]] = []

    @property
    def table(self) -> DataTable:
        return self.query_one(self.TABLE, DataTable)

    def sort_key(self, column: str) -> str | None:
        """The query's sort key for a column (None: the column does not sort)."""
        return column

    def with_counts(self, loaded: Any, counts: Counts) -> None:
        """A counted list's page (``loaded.page``, ``loaded.facets``) given its counts."""
        loaded.page.total, loaded.facets = counts.total, counts.facets

    def show_counts(self) -> None:
        self.show_info(self.loaded)

    def show_info(self, loaded: Any) -> None:
        """Show the line above the list (its total, facets, filter); a counted list's own."""

    def export_job(self) -> Callable[[Archive], Sheet]:
        raise NotImplementedError

    def cell_value(self, row: dict[str, Any], column: str) -> Any:
        """A cell's whole value as the cell shows it (the table cuts it to the column): what
        ``c`` copies, so that it reads as on the screen (``shown_value``)."""
        return shown_value(column, row.get(column))

    def row_text(self, row: dict[str, Any]) -> str:
        """What ``C`` copies: the row's cells, tab-separated, in the order shown."""
        return "\t".join(clip(self.cell_value(row, key)) for key, _label in self.shown_columns)

    def row_noun(self) -> str:
        return _("the row")

    # ---------------------------------------------------------------- columns

    def set_columns(self, table: DataTable,
                    columns: Iterable[tuple[str, str, int | None]]) -> Coordinate:
        """Clear the table and add its columns, the sorted one marked; returns where the
        cursor was, so that the new page keeps its column (and row)."""
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        self.shown_columns = []
        for label, key, width in columns:
            sorted_as = self.descending if self.sort_key(key) == self.sort else None
            table.add_column(header(label, sorted_as), key=key, width=width)
            self.shown_columns.append((key, label))
        return cursor

    def current_row(self) -> dict[str, Any] | None:
        rows = self.loaded.page.rows if self.loaded else []
        row = self.table.cursor_row
        return rows[row] if 0 <= row < len(rows) else None

    # ---------------------------------------------------------------- sorting

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.table.move_cursor(column=event.column_index)
        self.sort_by(str(event.column_key.value))

    def action_sort(self) -> None:
        """o: sort by the column under the cursor; again: the other way round."""
        if not self.shown_columns:
            return
        column = self.table.cursor_column
        if 0 <= column < len(self.shown_columns):
            self.sort_by(self.shown_columns[column][0])

    def sort_by(self, column: str) -> None:
        key = self.sort_key(column)
        if key is None:
            label = dict(self.shown_columns).get(column, column)
            self.notify(_("the {column} column cannot be sorted").format(column=label))
            return
        if key == self.sort and self.NEUTRAL_SORT and self.descending != (
                key in self.DESCENDING_FIRST):
            self.sort, self.descending = self.NEUTRAL_SORT, False
        elif key == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = key, key in self.DESCENDING_FIRST
        self.reload(0)

    def order_text(self) -> str:
        """``agency ▲``: the order, as the info line repeats it."""
        label = next((label for key, label in self.shown_columns
                      if self.sort_key(key) == self.sort), self.sort)
        return f"{label} {DESCENDING if self.descending else ASCENDING}"

    # ---------------------------------------------------------------- export

    def action_export(self) -> None:
        """e: the whole list as filtered and sorted to a file (a name is asked)."""
        if self.loaded is None:
            return
        job = self.export_job()  # the filter and order as they are now

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            format = export_format(path)
            if format is None:
                self.notify(_("{path}: the name must end in .csv or .xlsx").format(path=path),
                            severity="error")
                return
            total = self.loaded.page.total
            self.notify(_("exporting every row to {path}…").format(path=path) if total is None
                        else _("exporting {count:,} rows to {path}…").format(count=total,
                                                                            path=path))
            self.db(lambda arch: write_export(job(arch), path, format), self.exported,
                    group="export")

        total = self.loaded.page.total  # None: not counted yet
        title = (_("export every row (the whole list, as filtered and sorted) to:")
                 if total is None else _("export {count:,} rows (the whole list, as filtered "
                                         "and sorted) to:").format(count=total))
        self.app.push_screen(ExportDialog(title, export_name(self.EXPORT_NAME)), chosen)

    def exported(self, path: Path) -> None:
        self.notify(_("exported to {path}").format(path=path.resolve()))

    # ---------------------------------------------------------------- copy

    def action_copy(self, what: str) -> None:
        """c: the cell under the cursor; C: the row (a finding: the finding in full)."""
        row = self.current_row()
        if row is None:
            self.notify(_("nothing under the cursor to copy"))
            return
        if what == "cell":
            column = self.table.cursor_column
            if not 0 <= column < len(self.shown_columns):
                return
            key, label = self.shown_columns[column]
            text, noun = clip(self.cell_value(row, key)), label
        else:
            text, noun = self.row_text(row), self.row_noun()
        copy(self, visible(text), noun)


def copy(screen: PagedScreen, text: str, noun: str) -> None:
    """Copy by OSC 52 (the terminal's clipboard, also over SSH) and say what was copied.
    ``text`` must be escaped already: it is written into the terminal's input stream."""
    screen.app.copy_to_clipboard(text)
    screen.notify(_("copied {what}: {text}").format(what=noun,
                                                   text=fit(text.replace("\n", " "), 60)))
