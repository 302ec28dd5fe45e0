"""The archive at a glance: one row per report, its status mark, findings and the agency's years."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Input, Static

from goitui.archive.queries import (
    SORTS,
    Page,
    ReportFilter,
    agency_ids,
    archive_years,
    history_text,
    report_facets,
    report_page,
)
from goitui.archive.store import Archive
from goitui.i18n import N_, _
from goitui.model import status_name
from goitui.render.display import STATUS_MARK, width
from goitui.tui.base import PAGE, PAGING, PagedScreen
from goitui.tui.render import plain, status_text

FACETS = ("year", "template", "status")
FACET_NAMES = {"year": N_("year"), "template": N_("template"), "status": N_("status")}
SORT_NAMES = {"agency": N_("agency"), "year": N_("year"), "status": N_("status"),
              "template": N_("template")}


def sort_name(sort: str) -> str:
    """The order a list is in, as a person reads it."""
    return _(SORT_NAMES[sort]) if sort in SORT_NAMES else sort


@dataclass
class Loaded:
    page: Page
    facets: dict[str, list[tuple[Any, int]]]
    years: list[int]


def load(arch: Archive, flt: ReportFilter, offset: int) -> Loaded:
    ids = agency_ids(arch, flt.text)
    return Loaded(report_page(arch, flt, offset, PAGE, ids=ids), report_facets(arch, flt, ids),
                  archive_years(arch))


class ArchiveScreen(PagedScreen):
    TITLE = _("Archive")
    HELP = (_("Every current report: status (✓ pass, ! warn, ✗ fail), findings as errors / "
            "warnings / info, and the agency's years at a glance (one mark per year, · none).\n"
            "Type in the filter to find an agency by any of its names (fuzzy); y, t and s step "
            "through the year, template and status facets; o changes the order. Lists come a "
            "page at a time: [ and ] turn pages. Enter opens the report."))
    MAIN = "#reports"
    BINDINGS = [
        Binding("f", "filter", _("Filter")),
        Binding("y", "facet('year')", _("Year")),
        Binding("t", "facet('template')", _("Template")),
        Binding("s", "facet('status')", _("Status")),
        Binding("o", "sort", _("Order")),
        Binding("x", "clear", _("Clear"), show=False),
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
        table: DataTable = DataTable(id="reports", cursor_type="row", zebra_stripes=False)
        yield table
        yield Static(id="info")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#reports").focus()

    def page_job(self, offset: int) -> Callable[[Archive], Loaded]:
        flt = self.flt
        self.query_one("#info", Static).update(Text(_("loading…"), style="dim"))
        return lambda arch: load(arch, flt, offset)

    def show(self, loaded: Loaded) -> None:
        self.loaded = loaded
        table = self.query_one("#reports", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        years = loaded.years
        span = f"{years[0]}–{years[-1]}" if years else ""
        # the agency column as wide as its widest name (at most 32 cells), given rather than
        # measured by the table later, so the screen is the same however fast it is drawn
        agency_width = max([width(r["agency"]) for r in loaded.page.rows] + [6])
        for label, key in ((_("status"), "status"), (_("agency"), "agency"), (_("year"), "year"),
                           (_("template"), "template"), (_("E"), "e"), (_("W"), "w"),
                           (_("I"), "i"),
                           (span, "history")):
            table.add_column(Text(label, style="bold"), key=key,
                             width=min(agency_width, 32) if key == "agency" else None)
        for r in loaded.page.rows:
            table.add_row(
                status_text(r["status"], dismissed=r.get("dismissed", 0)), plain(r["agency"], 32), str(r["year"]), r["template"],
                _count(r["errors"]), _count(r["warnings"]), _count(r["infos"]),
                Text(history_text(r["history"], years)), key=str(r["id"]))
        if loaded.page.rows:
            table.move_cursor(row=min(cursor, len(loaded.page.rows) - 1))
        self.query_one("#facets", Static).update(self.facet_text(loaded))
        pages = _("page {page}/{pages}").format(page=loaded.page.offset // PAGE + 1,
                                                pages=max(1, -(-loaded.page.total // PAGE)))
        self.query_one("#info", Static).update(Text(
            _("{shown} reports · {pages} · order: {order}").format(
                shown=loaded.page.describe(), pages=pages, order=sort_name(self.flt.sort))
            + (_(" · filter {text!r}").format(text=self.flt.text) if self.flt.text else ""),
            style="dim"))

    def facet_text(self, loaded: Loaded) -> Text:
        out = Text()
        for name in FACETS:
            chosen = getattr(self.flt, name)
            out.append(f"{_(FACET_NAMES[name])}: ", style="bold")
            out.append(_("all") if chosen is None else
                       status_name(chosen) if name == "status" else str(chosen), style="reverse")
            for value, n in loaded.facets[name]:
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

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        if event.column_key.value in SORTS:
            self.flt = replace(self.flt, sort=str(event.column_key.value))
            self.reload(0)

    # ---------------------------------------------------------------- actions

    def action_filter(self) -> None:
        self.query_one("#filter").focus()

    def action_facet(self, name: str) -> None:
        """Step the facet to its next value (all → each value with reports → all)."""
        if self.loaded is None:
            return
        values = [None, *(v for v, _ in self.loaded.facets[name])]
        current = getattr(self.flt, name)
        nxt = values[(values.index(current) + 1) % len(values)] if current in values else None
        change: dict[str, Any] = {name: nxt}
        self.flt = replace(self.flt, **change)
        self.reload(0)

    def action_sort(self) -> None:
        self.flt = replace(self.flt, sort=SORTS[(SORTS.index(self.flt.sort) + 1) % len(SORTS)])
        self.reload(0)

    def action_clear(self) -> None:
        self.flt = ReportFilter(sort=self.flt.sort)
        self.query_one("#filter", Input).value = ""
        self.reload(0)



def _count(n: int) -> Text:
    return Text(str(n) if n else "·", style="" if n else "dim", justify="right")
