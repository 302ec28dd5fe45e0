"""Who submitted which year: the roster's agencies × the archive's years, limited to a region.

The matrix ``goi coverage`` prints, from the same library call (``archive.roster.coverage``)
and with the same marks (``render.display.COVERAGE_MARK``): ✓ pass, ! warn, ✗ fail, — no
report. Enter on a year's cell opens that report, or says none was submitted; r chooses the
region (the roster's regions, nested as the sheet nests them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from goitui.archive.queries import report_years
from goitui.archive.roster import MISSING, Coverage, coverage, regions
from goitui.archive.store import Archive
from goitui.i18n import _, listing
from goitui.render.display import COVERAGE_MARK, coverage_name, coverage_summary, width
from goitui.tui.base import GoiScreen, key_footer
from goitui.tui.render import STATUS_STYLE, plain

#: the widest agency column: a township's full name fits, the years stay on an 80-column screen
AGENCY_WIDTH = 24


@dataclass
class Loaded:
    coverage: Coverage
    regions: list[tuple[str, int]]
    has_roster: bool


def load(arch: Archive, region: str | None) -> Loaded:
    has_roster = bool(arch.q("SELECT 1 FROM roster LIMIT 1"))
    return Loaded(coverage(arch, None, region), regions(arch), has_roster)


class CoverageScreen(GoiScreen):
    TITLE = _("Coverage")
    HELP = _("Who submitted which year: a row per agency of the roster (goi roster import; "
             "without a roster, every archived agency), a column per year: ✓ pass, ! warn, "
             "✗ fail, — no report. r chooses a region (a county and everything under it); "
             "m shows only the agencies with a report missing. Enter on a year's cell opens "
             "that report, or says none was submitted.")
    OPENED_BY = "coverage"  # the app's key to this screen: not shown on it
    MAIN = "#coverage"
    BINDINGS = [
        Binding("r", "region", _("Region")),
        Binding("m", "only_missing", _("Missing only")),
    ]
    DEFAULT_CSS = """
    #chead, #cinfo { height: auto; max-height: 2; padding: 0 1; }
    #coverage { height: 1fr; }
    """

    def __init__(self, region: str | None = None) -> None:
        super().__init__()
        self.chosen_region = region
        self.only_missing = False
        self.loaded: Loaded | None = None
        self.rows_shown: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Static(id="chead")
        yield DataTable(id="coverage", cursor_type="cell", zebra_stripes=False)
        yield Static(id="cinfo")
        yield key_footer()

    def on_mount(self) -> None:
        self.query_one("#coverage").focus()
        self.reload()

    def reload(self) -> None:
        region = self.chosen_region
        self.db(lambda arch: load(arch, region), self.show)

    # ---------------------------------------------------------------- drawing

    def show(self, loaded: Loaded) -> None:
        self.loaded = loaded
        cov = loaded.coverage
        self.rows_shown = [row for row in cov.rows
                      if not self.only_missing or MISSING in row["cells"].values()]
        table = self.query_one("#coverage", DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        names = [row["agency"] for row in self.rows_shown]
        table.add_column(Text(_("agency"), style="bold"), key="agency",
                         width=min(max([width(n) for n in names] + [8]), AGENCY_WIDTH))
        for year in cov.years:
            table.add_column(Text(str(year), style="bold"), key=str(year), width=4)
        for index, row in enumerate(self.rows_shown):
            table.add_row(plain(row["agency"], AGENCY_WIDTH,
                                "" if row["agency_id"] is not None else "dim"),
                          *(_cell(row["cells"][year]) for year in cov.years), key=str(index))
        if self.rows_shown:
            table.move_cursor(row=min(cursor.row, len(self.rows_shown) - 1),
                              column=min(cursor.column, len(cov.years)))
        self.query_one("#chead", Static).update(self.head_text(loaded))
        self.describe_cell()

    def head_text(self, loaded: Loaded) -> Text:
        out = Text()
        out.append(_("region: "), style="bold")
        out.append_text(plain(self.chosen_region or _("all"), style="reverse"))
        out.append("   ")
        for status in ("pass", "warn", "fail", MISSING):
            out.append(COVERAGE_MARK[status], style=STATUS_STYLE.get(status, ""))
            out.append(f" {coverage_name(status)}  ", style="dim")
        out.append("\n")
        out.append(coverage_summary(loaded.coverage), style="dim")
        if self.only_missing:
            out.append(" · " + _("only agencies with a report missing"), style="bold")
        if not loaded.has_roster:
            out.append(" · " + _("no roster: every archived agency"), style="dim")
        return out

    def current(self) -> tuple[dict[str, Any], int | None] | None:
        """The row under the cursor, and the year of its column (None on the agency column)."""
        if self.loaded is None or not self.rows_shown:
            return None
        at = self.query_one("#coverage", DataTable).cursor_coordinate
        if not 0 <= at.row < len(self.rows_shown):
            return None
        years = self.loaded.coverage.years
        return self.rows_shown[at.row], years[at.column - 1] if 0 < at.column <= len(years) else None

    def describe_cell(self) -> None:
        found = self.current()
        info = Text()
        if found is None:
            info.append(_("no agencies in this region") if self.loaded else _("loading…"),
                        style="dim")
        else:
            row, year = found
            info.append_text(plain(row["agency"]))
            if year is not None:
                status = row["cells"][year]
                info.append(f" {year}  ")
                info.append(f"{COVERAGE_MARK[status]} {coverage_name(status)}",
                            style=STATUS_STYLE.get(status, ""))
                if status != MISSING:
                    info.append("  " + _("enter opens the report"), style="dim")
            info.append("\n")
            info.append_text(plain(_match_text(row), style="dim"))
        self.query_one("#cinfo", Static).update(info)

    # ---------------------------------------------------------------- events

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.describe_cell()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        found = self.current()
        if found is None:
            return
        row, year = found
        if year is None:
            self.notify(_match_text(row))
        elif row["cells"][year] == MISSING or row["agency_id"] is None:
            self.notify(_("{agency} submitted no report for {year}").format(
                agency=row["agency"], year=year))
        else:
            self.open_year(row["agency_id"], year)

    def open_year(self, agency_id: int, year: int) -> None:
        def opened(report_id: int | None) -> None:
            if report_id is None:  # removed since the matrix was drawn
                self.notify(_("no report of {year} any more").format(year=year))
                self.reload()
            else:
                self.goi.open_report(report_id)

        self.db(lambda arch: dict(report_years(arch, agency_id)).get(year), opened,
                group="open")

    def on_screen_resume(self) -> None:
        if self.loaded is not None:  # a report may have been removed or re-imported meanwhile
            self.reload()

    # ---------------------------------------------------------------- actions

    def action_region(self) -> None:
        if self.loaded is None:
            return
        if not self.loaded.has_roster:
            self.notify(_("regions come from the roster: goi roster import FILE"))
            return

        def chosen(region: str | None) -> None:
            if region is not None:
                self.chosen_region = region or None
                self.reload()

        self.app.push_screen(RegionDialog(self.loaded.regions, self.chosen_region), chosen)

    def action_only_missing(self) -> None:
        self.only_missing = not self.only_missing
        if self.loaded is not None:
            self.show(self.loaded)


def _cell(status: str) -> Text:
    return Text(COVERAGE_MARK.get(status, "?"), style=STATUS_STYLE.get(status, "dim"),
                justify="center")


def _match_text(row: dict[str, Any]) -> str:
    """Which archive agency a roster row is (or why none is): nothing joined silently."""
    if row["matched"]:
        return _("archived as {agency}").format(agency=row["matched"])
    if row["near"]:
        return _("no archived agency of this name; near: {near} (not joined)").format(
            near=listing(row["near"]))
    return _("no archived agency of this name")


class RegionDialog(ModalScreen[str | None]):
    """The roster's regions, nested; enter picks one (the first line: all), escape keeps."""

    BINDINGS = [Binding("escape,q", "dismiss", _("Close"))]
    DEFAULT_CSS = """
    RegionDialog { align: center middle; }
    #regions-box { width: 50; max-width: 90%; height: auto; max-height: 80%;
                   border: round $primary; background: $surface; padding: 0 1; }
    #regions { height: auto; max-height: 16; border: none; }
    """

    def __init__(self, choices: list[tuple[str, int]], current: str | None) -> None:
        super().__init__()
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option(_("all regions"))]
        options += [Option(plain("  " * depth + name)) for name, depth in self.choices]
        with Vertical(id="regions-box"):
            yield Static(Text(_("region (enter chooses, escape keeps)"), style="bold"))
            yield OptionList(*options, id="regions")

    def on_mount(self) -> None:
        listing = self.query_one("#regions", OptionList)
        names = [name for name, _depth in self.choices]
        listing.highlighted = names.index(self.current) + 1 if self.current in names else 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """The chosen region's name; "" for all regions (escape dismisses with None)."""
        self.dismiss(self.choices[event.option_index - 1][0] if event.option_index else "")
