"""The archive at a glance: one row per report, its status mark, findings and the agency's years."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from goitui.archive.queries import (
    Page,
    ReportFilter,
    agency_ids,
    archive_years,
    history_text,
    report_count,
    report_facets,
    report_page_rows,
    report_rows,
)
from goitui.archive.store import Archive
from goitui.export.records import reports_sheet
from goitui.export.writers import Sheet
from goitui.i18n import N_, _
from goitui.model import status_name, template_name
from goitui.render.display import STATUS_MARK, width
from goitui.tui.base import PAGE, PAGING, key_footer
from goitui.tui.lists import LIST_KEYS, Counts, ListScreen, ListTable
from goitui.tui.render import plain, status_text

FACETS = ("year", "template", "status")
FACET_NAMES = {"year": N_("year"), "template": N_("template"), "status": N_("status")}


@dataclass
class Loaded:
    page: Page
    #: per facet, its values and their counts; empty until the list is counted
    facets: dict[str, list[tuple[Any, int]]]
    years: list[int]


def load(arch: Archive, flt: ReportFilter, offset: int) -> Loaded:
    """One page of the list, uncounted (``count``): what the screen shows first."""
    ids = agency_ids(arch, flt.text)
    rows = report_page_rows(arch, flt, offset, PAGE, ids)
    # a page not full is the last one: its list is counted already
    total = offset + len(rows) if len(rows) < PAGE else None
    return Loaded(Page(rows, offset, total, PAGE), {}, archive_years(arch))


def count(arch: Archive, flt: ReportFilter) -> Counts:
    """The list's total and facets under ``flt``."""
    ids = agency_ids(arch, flt.text)
    return Counts(report_count(arch, flt, ids), report_facets(arch, flt, ids))


class ArchiveScreen(ListScreen):
    TITLE = _("Archive")
    HELP = (_("Every current report: status (✓ pass, ! warn, ✗ fail), findings as errors / "
            "warnings / info, and the agency's years at a glance (one mark per year, · none).\n"
            "Type in the filter to find an agency by any of its names (fuzzy); y, t and s step "
            "through the year, template and status facets. o sorts by the column under the "
            "cursor (← and → move it; o again, or a click on the header, reverses), e exports "
            "the whole list as filtered and sorted (CSV or XLSX), c copies the cell and C the "
            "row. Lists come a page at a time: [ and ] turn pages. Enter opens the report."))
    MAIN = "#reports"
    TABLE = "#reports"
    EXPORT_NAME = "reports"
    DESCENDING_FIRST = frozenset({"year", "errors", "warnings", "infos"})
    BINDINGS = [
        Binding("f", "filter", _("Filter")),
        Binding("y", "facet('year')", _("Year")),
        Binding("t", "facet('template')", _("Template"), show=False),  # footer: 80 columns
        Binding("s", "facet('status')", _("Status")),
        Binding("x", "clear", _("Clear"), show=False),
        *LIST_KEYS,
        *PAGING,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.flt = ReportFilter()

    def compose(self) -> ComposeResult:
        field = Input(placeholder=_("filter: agency name or alias (f)"), id="filter")
        field.cursor_blink = False
        yield field
        yield Static(id="facets")
        table = ListTable(id="reports", cursor_type="row", zebra_stripes=False)
        yield table
        yield Static(id="info")
        yield key_footer()

    def on_mount(self) -> None:
        self.query_one("#reports").focus()

    @property
    def ordered(self) -> ReportFilter:
        """The filter with the order chosen on the list."""
        return replace(self.flt, sort=self.sort, descending=self.descending)

    def page_job(self, offset: int) -> Callable[[Archive], Loaded]:
        flt = self.ordered
        return lambda arch: load(arch, flt, offset)

    def count_key(self) -> object:
        return self.flt  # without the order (``ordered``): the order counts alike

    def count_job(self) -> Callable[[Archive], Counts]:
        flt = self.flt
        return lambda arch: count(arch, flt)

    def export_job(self) -> Callable[[Archive], Sheet]:
        flt = self.ordered
        return lambda arch: reports_sheet(report_rows(arch, flt, agency_ids(arch, flt.text)))

    def sort_key(self, column: str) -> str | None:
        return None if column == "history" else column

    def cell_value(self, row: dict[str, Any], column: str) -> Any:
        if column == "history" and self.loaded is not None:
            return history_text(row["history"], self.loaded.years)
        if column == "status":  # with its dismissed findings, as the cell shows it
            return status_text(row["status"], dismissed=row.get("dismissed", 0)).plain
        return super().cell_value(row, column)

    def show(self, loaded: Loaded) -> None:
        self.loaded = loaded
        table = self.table
        years = loaded.years
        span = f"{years[0]}–{years[-1]}" if years else ""
        # the agency column as wide as its widest name (at most 32 cells), given rather than
        # measured by the table later, so the screen is the same however fast it is drawn
        agency_width = max([width(r["agency"]) for r in loaded.page.rows] + [6])
        cursor = self.set_columns(table, (
            (label, key, min(agency_width, 32) if key == "agency" else None)
            for label, key in ((_("status"), "status"), (_("agency"), "agency"),
                               (_("year"), "year"), (_("template"), "template"),
                               (_("E"), "errors"), (_("W"), "warnings"), (_("I"), "infos"),
                               (span, "history"))))
        for r in loaded.page.rows:
            table.add_row(
                status_text(r["status"], dismissed=r.get("dismissed", 0)), plain(r["agency"], 32), str(r["year"]), template_name(r["template"]),
                _count(r["errors"]), _count(r["warnings"]), _count(r["infos"]),
                Text(history_text(r["history"], years)), key=str(r["id"]))
        if loaded.page.rows:
            table.move_cursor(row=min(cursor.row, len(loaded.page.rows) - 1),
                              column=cursor.column)
        self.show_info(loaded)

    def show_info(self, loaded: Loaded) -> None:
        """The facets and the line under the list. Until the list is counted the line says
        so, and the facets counted last stay, dimmed, so that the list does not jump."""
        if loaded.facets or self.counts is not None:
            facets = self.facet_text(loaded.facets or self.counts.facets)
            if not loaded.facets:
                facets.stylize("dim")
            self.query_one("#facets", Static).update(facets)
        total = loaded.page.total
        pages = _("page {page}/{pages}").format(
            page=loaded.page.offset // PAGE + 1,
            pages="…" if total is None else max(1, -(-total // PAGE)))
        self.query_one("#info", Static).update(Text(
            _("{shown} reports · {pages} · order: {order}").format(
                shown=loaded.page.describe(), pages=pages, order=self.order_text())
            + (_(" · filter {text!r}").format(text=self.flt.text) if self.flt.text else ""),
            style="dim"))

    def facet_text(self, facets: dict[str, list[tuple[Any, int]]]) -> Text:
        out = Text()
        for name in FACETS:
            chosen = getattr(self.flt, name)
            out.append(_("{name}: ").format(name=_(FACET_NAMES[name])), style="bold")
            out.append(_("all") if chosen is None else
                       status_name(chosen) if name == "status" else str(chosen), style="reverse")
            for value, n in facets[name]:
                shown = (f"{STATUS_MARK.get(value, '')}{status_name(value)}" if name == "status"
                         else value)
                out.append(f" {shown} {n}", style="bold" if value == chosen else "")
            out.append("   ")
        return out

    # ---------------------------------------------------------------- events

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.flt = replace(self.flt, text=event.value)
            self.reload(0)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#reports").focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.goi.open_report(int(str(event.row_key.value)))

    # ---------------------------------------------------------------- actions

    def action_filter(self) -> None:
        self.query_one("#filter").focus()

    def action_facet(self, name: str) -> None:
        """Step the facet to its next value (all → each value with reports → all)."""
        if self.loaded is None or not self.loaded.facets:
            return
        values = [None, *(v for v, _ in self.loaded.facets[name])]
        current = getattr(self.flt, name)
        nxt = values[(values.index(current) + 1) % len(values)] if current in values else None
        change: dict[str, Any] = {name: nxt}
        self.flt = replace(self.flt, **change)
        self.reload(0)

    def action_clear(self) -> None:
        self.flt = ReportFilter()
        self.query_one("#filter", Input).value = ""
        self.reload(0)



def _count(n: int) -> Text:
    return Text(str(n) if n else "·", style="" if n else "dim", justify="right")
