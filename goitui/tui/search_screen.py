"""Full-text search over every report: results as you type, the match highlighted in a snippet.

The query line takes ``year:2020`` and ``agency:name`` beside the words to find. The line
under it says which mode ran (trigram index, or a scan for 1–2 character terms) and how many
reports matched; enter opens the report at the match. The results are a list like the
others (``tui/lists.py``): a page at a time, sorted by relevance or by a column, exported and
copied. As the lists are, the results are shown before they are counted where the library
can cut their page first (``search`` not ``counted``): a term in most reports is confirmed in
a few hundred texts for the page, in every one for the count, which a second read brings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from goitui.archive.queries import Page, Target, parse_tokens
from goitui.archive.search import RANK, SearchError, SearchResult, count, search
from goitui.archive.store import Archive
from goitui.export.records import search_sheet
from goitui.export.writers import Sheet
from goitui.i18n import _, ngettext
from goitui.tui.base import PAGE, PAGING, key_footer
from goitui.tui.lists import LIST_KEYS, ListScreen, ListTable
from goitui.tui.render import plain, snippet_text, status_text

#: what a page of results answers: the query line and the order (``SearchScreen.asked``)
Asked = tuple[str, str, bool]


@dataclass
class Loaded:
    page: Page
    result: SearchResult
    asked: Asked = ("", RANK, False)


def parsed(text: str) -> tuple[str, dict[str, Any]] | str:
    """The query line as the library's search takes it: the words, and the year and agency
    filters; or why it cannot run."""
    tokens, query = parse_tokens(text, ("year", "agency"))
    year = tokens.get("year")
    if year is not None and not year.isdigit():
        return _("year:{year} is not a year").format(year=year)
    return query, {"year": int(year) if year else None, "agency": tokens.get("agency")}


def run(arch: Archive, text: str, *, offset: int = 0, limit: int | None = None,
        sort: str = RANK, descending: bool = False, counted: bool = True,
        ) -> SearchResult | str:
    """The search the query line asks for (one page of it, in the order chosen; not
    ``counted``: maybe before its count, ``counted_run``), or why it cannot run."""
    asked = parsed(text)
    if isinstance(asked, str):
        return asked
    query, filters = asked
    try:
        return search(arch, query, limit=limit or PAGE, offset=offset, sort=sort,
                      descending=descending, counted=counted, **filters)
    except SearchError as e:
        return str(e)


def counted_run(arch: Archive, text: str) -> SearchResult | str:
    """The count of the search the query line asks for (``search.count``), or why it cannot
    run."""
    asked = parsed(text)
    if isinstance(asked, str):
        return asked
    query, filters = asked
    try:
        return count(arch, query, **filters)
    except SearchError as e:
        return str(e)


def as_loaded(result: SearchResult | str, asked: Asked = ("", RANK, False)) -> Loaded | str:
    if isinstance(result, str):
        return result
    rows = [asdict(h) for h in result.hits]
    return Loaded(Page(rows, result.offset, result.count, result.limit), result, asked)


def pages_of(result: SearchResult, asked: Asked) -> list[Loaded]:
    """A result of several pages (read ahead) as its pages, each as if searched alone."""
    out = []
    for start in range(0, len(result.hits), PAGE):
        page = replace(result, hits=result.hits[start:start + PAGE],
                       offset=result.offset + start, limit=PAGE)
        loaded = as_loaded(page, asked)
        assert isinstance(loaded, Loaded)
        out.append(loaded)
    return out


class SearchScreen(ListScreen):
    TITLE = _("Search")
    HELP = (_("Full-text search over the text of every current report. Words of 3 or more "
            "characters use the trigram index (ranked); 1–2 character words scan every text "
            "(slower; the mode line says which ran). Several words must all occur. Add "
            "year:2020 or agency:name to narrow. Enter in the query line moves to the "
            "results; enter on a result opens the report at the match. The results come in "
            "order of relevance; o sorts by the column under the cursor (← and → move it), "
            "again reverses, a third time goes back to relevance. e exports every result, c "
            "copies the cell and C the row. [ and ] turn pages."))
    OPENED_BY = "search"  # the app's key to this screen: not shown on it
    MAIN = "#results"
    TABLE = "#results"
    EXPORT_NAME = "search"
    DESCENDING_FIRST = frozenset({"year"})
    NEUTRAL_SORT = RANK
    BINDINGS = [Binding("f", "query", _("Query")), *LIST_KEYS, *PAGING]

    #: pages of results read ahead once the results have focus (``read_ahead``)
    AHEAD = 4

    def __init__(self, query: str = ""):
        super().__init__(sort=RANK)
        self.initial = self.text = query
        #: pages of results of the query and order ``read_for``, by offset: turning back
        #: to one, or to one read ahead, shows it without searching again
        self.read: dict[int, Loaded] = {}
        self.read_for: Asked | None = None
        #: the pages being read ahead: (asked, first offset, end offset)
        self.reading: tuple[Asked, int, int] | None = None

    @property
    def asked(self) -> Asked:
        return (self.text, self.sort, self.descending)

    def compose(self) -> ComposeResult:
        field = Input(self.initial, placeholder=_("search report text   (year:2020 agency:name)"),
                      id="query")
        field.cursor_blink = False
        yield field
        yield Static(Text(_("type to search"), style="dim"), id="mode")
        yield ListTable(id="results", cursor_type="row")
        yield key_footer()

    def on_mount(self) -> None:
        self.query_one("#query").focus()
        if self.initial:
            self.reload(0)

    @property
    def result(self) -> SearchResult | None:
        return self.loaded.result if self.loaded is not None else None

    def on_screen_resume(self) -> None:
        """Back from a report: the results keep focus, so q goes back instead of typing."""
        if self.loaded is not None and self.loaded.page.rows:
            self.query_one("#results").focus()

    def reload(self, offset: int | None = None) -> None:
        """The page at ``offset`` of the query as typed: from the pages read already, else
        searched (the results shown stay until the new ones come)."""
        if not self.text.strip():
            self.row_offset = 0
            self.show("")
            return
        if offset is not None:
            self.row_offset = offset
        if self.read_for == self.asked and self.row_offset in self.read:
            self.show(self.read[self.row_offset])
            return
        self.query_one("#mode", Static).update(Text(_("searching…"), style="dim"))
        if self.reading is not None and self.reading[0] == self.asked and (
                self.reading[1] <= self.row_offset < self.reading[2]):
            return  # being read ahead: shown when it comes (``read_ahead``)
        super().reload(offset)

    def page_job(self, offset: int) -> Callable[[Archive], Loaded | str]:
        asked = self.asked
        text, sort, descending = asked
        return lambda arch: as_loaded(run(arch, text, offset=offset, sort=sort,
                                          descending=descending, counted=False), asked)

    def count_key(self) -> object:
        """The query as typed: its count does not depend on the order (None: nothing to
        count)."""
        return self.text if self.text.strip() else None

    def count_job(self) -> Callable[[Archive], SearchResult | str]:
        text = self.text
        return lambda arch: counted_run(arch, text)

    def counts_given(self, loaded: Any) -> SearchResult | None:
        """A page that came counted (its matches were few, or the library could not cut it
        first) needs no count of its own."""
        if isinstance(loaded, Loaded) and loaded.result.count is not None:
            return loaded.result
        return None

    def with_counts(self, loaded: Any, counts: Any) -> None:
        if isinstance(loaded, Loaded) and isinstance(counts, SearchResult):
            loaded.page.total = counts.count
            loaded.result = replace(loaded.result, count=counts.count)

    def read_ahead(self) -> None:
        """Read the next pages of the results while the person reads this one, in one
        search (the library ranks every match again on each call): ``]`` then shows
        them at once. Only once the results have focus, so typing a query never pays."""
        loaded = self.loaded
        if loaded is None or not self.table.has_focus or loaded.asked != self.asked:
            return
        start = self.row_offset + PAGE
        total = loaded.page.total  # None: not counted, and more results follow the page
        if (total is not None and start >= total) or (
                self.read_for == self.asked and start in self.read) or (
                self.reading is not None and self.reading[0] == self.asked):
            return
        asked, end = self.asked, start + self.AHEAD * PAGE
        if total is not None:
            end = min(total, end)
        text, sort, descending = asked
        self.reading = (asked, start, end)

        def read(result: SearchResult | str) -> None:
            if self.reading is not None and self.reading[0] == asked:
                self.reading = None
            if asked != self.asked:
                return
            waited = self.loaded is None or self.loaded.page.offset != self.row_offset
            if isinstance(result, str):  # the page asked for meanwhile is searched alone
                if waited:
                    ListScreen.reload(self)
                return
            if self.read_for != asked:
                self.read, self.read_for = {}, asked
            for page in pages_of(result, asked):
                self.read.setdefault(page.page.offset, page)
            if waited and self.row_offset in self.read:  # asked for while it was read
                self.show(self.read[self.row_offset])

        self.db(lambda arch: run(arch, text, offset=start, limit=end - start, sort=sort,
                                 descending=descending, counted=False), read, group="ahead")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget is self.query_one("#results"):
            self.read_ahead()

    def export_job(self) -> Callable[[Archive], Sheet]:
        text, sort, descending = self.text, self.sort, self.descending

        def job(arch: Archive) -> Sheet:
            result = run(arch, text, limit=-1, sort=sort, descending=descending)  # every one
            return search_sheet(result.to_dict() if isinstance(result, SearchResult) else {})

        return job

    def sort_key(self, column: str) -> str | None:
        """Relevance is no column; the matches of a result are counted after the query, so
        they (and the line, the snippet) do not sort."""
        return column if column in ("agency", "year", "status") else None

    def show(self, result: Loaded | str) -> None:
        table = self.table
        mode = self.query_one("#mode", Static)
        if isinstance(result, str):
            self.loaded = None
            table.clear()
            mode.update(Text(result or _("type to search"), style="dim"))
            return
        if result.asked != self.asked or result.page.offset != self.row_offset:
            return  # an answer to a query, order or page no longer asked for
        if self.read_for != result.asked:
            self.read, self.read_for = {}, result.asked
        self.read[result.page.offset] = result
        if result.result.count is None and self.counts_key == self.count_key():
            self.with_counts(result, self.counts)  # a page read before the count came
        self.loaded = result
        cursor = self.set_columns(table, (
            (_("status"), "status", None), (_("agency"), "agency", 20), (_("year"), "year", None),
            ("×", "matches", None), (_("line"), "line", None), (_("match"), "snippet", None)))
        for row in result.page.rows:
            table.add_row(status_text(row["status"]), plain(row["agency"], 20), str(row["year"]),
                          Text(str(row["matches"]), justify="right"), str(row["line"]),
                          snippet_text(row["snippet"], row["highlights"]),
                          key=str(row["report_id"]))
        if result.page.rows:
            table.move_cursor(row=min(cursor.row, len(result.page.rows) - 1),
                              column=cursor.column)
        self.show_info(result)
        self.read_ahead()

    def show_info(self, loaded: Any) -> None:
        """The line above the results: how many reports (or that they are being counted),
        the matches shown, the mode, the page and the order."""
        if not isinstance(loaded, Loaded):
            return
        found = loaded.result
        reports = _("counting reports…") if found.count is None else ngettext(
            "{count} report", "{count} reports", found.count).format(count=found.count)
        line = Text(reports + ngettext(", {count} match", ", {count} matches",
                                       found.matches).format(count=found.matches), style="bold")
        line.append(f" · {found.mode_shown}", style="dim")
        if found.count is None or found.count > PAGE:
            line.append(" · " + _("{shown} shown").format(shown=loaded.page.describe()),
                        style="dim")
        if self.sort != RANK:  # relevance: the mode says how the results are ranked
            line.append(" · " + _("order: {order}").format(order=self.order_text()), style="dim")
        self.query_one("#mode", Static).update(line)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.text = event.value
        self.reload(0)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the query opens the highlighted (first) result, as it does in the list."""
        row = self.current_row()
        if row is not None and self.result is not None:
            self.goi.open_report(row["report_id"], Target(text=self.result.query))
        else:
            self.table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.current_row()
        if row is not None and self.result is not None:
            self.goi.open_report(row["report_id"], Target(text=self.result.query))


    def action_query(self) -> None:
        self.query_one("#query").focus()
