"""Full-text search over every report: results as you type, the match highlighted in a snippet.

The query line takes ``year:2020`` and ``agency:name`` beside the words to find. The line
under it says which mode ran (trigram index, or a scan for 1–2 character terms) and how many
reports matched; enter opens the report at the match.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from goitui.archive.queries import Target, parse_tokens
from goitui.archive.search import SearchError, SearchResult, search
from goitui.archive.store import Archive
from goitui.i18n import _, ngettext
from goitui.tui.base import GoiScreen
from goitui.tui.render import plain, snippet_text, status_text

LIMIT = 100


def run(arch: Archive, text: str) -> SearchResult | str:
    """The search the query line asks for, or why it cannot run."""
    tokens, query = parse_tokens(text, ("year", "agency"))
    year = tokens.get("year")
    if year is not None and not year.isdigit():
        return _("year:{year} is not a year").format(year=year)
    try:
        return search(arch, query, year=int(year) if year else None,
                      agency=tokens.get("agency"), limit=LIMIT)
    except SearchError as e:
        return str(e)


def hit_option(h) -> Text:
    t = status_text(h.status)
    t.append(" ")
    t.append(plain(h.agency, style="bold"))
    t.append(f" {h.year}  {h.matches}× · line {h.line}\n   ", style="")
    t.append(snippet_text(h.snippet, h.highlights))
    return t


class SearchScreen(GoiScreen):
    TITLE = _("Search")
    HELP = (_("Full-text search over the text of every current report. Words of 3 or more "
            "characters use the trigram index (ranked); 1–2 character words scan every text "
            "(slower; the mode line says which ran). Several words must all occur. Add "
            "year:2020 or agency:name to narrow. Enter in the query line moves to the "
            "results; enter on a result opens the report at the match."))
    MAIN = "#results"
    BINDINGS = [Binding("f", "query", _("Query"))]

    def __init__(self, query: str = ""):
        super().__init__()
        self.initial = query
        self.result: SearchResult | None = None

    def compose(self) -> ComposeResult:
        field = Input(self.initial, placeholder=_("search report text   (year:2020 agency:name)"),
                      id="query")
        field.cursor_blink = False
        yield field
        yield Static(Text(_("type to search"), style="dim"), id="mode")
        yield OptionList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#query").focus()
        if self.initial:
            self.run_search(self.initial)

    def on_screen_resume(self) -> None:
        """Back from a report: the results keep focus, so q goes back instead of typing."""
        if self.result is not None and self.result.hits:
            self.query_one("#results").focus()

    def run_search(self, text: str) -> None:
        if not text.strip():
            self.show("")
            return
        self.query_one("#mode", Static).update(Text(_("searching…"), style="dim"))
        self.db(lambda arch: run(arch, text), self.show, group="search")

    def show(self, result: SearchResult | str) -> None:
        results = self.query_one("#results", OptionList)
        results.clear_options()
        mode = self.query_one("#mode", Static)
        if isinstance(result, str):
            self.result = None
            mode.update(Text(result or _("type to search"), style="dim"))
            return
        self.result = result
        results.add_options([Option(hit_option(h), id=str(i)) for i, h in enumerate(result.hits)])
        if result.hits:
            results.highlighted = 0
        shown = (_(" (first {count})").format(count=len(result.hits))
                 if len(result.hits) < result.count else "")
        line = Text(ngettext("{count} report", "{count} reports", result.count).format(
            count=result.count) + shown + ngettext(", {count} match", ", {count} matches",
                                                   result.matches).format(count=result.matches),
                    style="bold")
        line.append(f" · {result.mode_shown}", style="dim")
        mode.update(line)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the query opens the highlighted (first) result, as it does in the list."""
        results = self.query_one("#results", OptionList)
        if self.result is not None and self.result.hits:
            index = results.highlighted if results.highlighted is not None else 0
            h = self.result.hits[index]
            self.goi.open_report(h.report_id, Target(text=self.result.query))
        else:
            results.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.result is None:
            return
        h = self.result.hits[event.option_index]
        self.goi.open_report(h.report_id, Target(text=self.result.query))

    def action_query(self) -> None:
        self.query_one("#query").focus()
