"""Every finding of the archive, filtered by rule, severity, agency, year and review state.

The filter line takes ``rule:S-CELLS severity:error year:2020 review:open`` and free words
(the agency, fuzzy); s and r step the severity and review facets by rewriting that line, so
what is shown is always what the line says. a / x acknowledge / dismiss with a note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from goitui.archive.queries import (
    REVIEW_STATES,
    FindingFilter,
    Page,
    agency_ids,
    finding_count,
    finding_facets,
    finding_rows,
)
from goitui.archive.store import Archive
from goitui.export.records import listed_findings_sheet
from goitui.export.writers import Sheet
from goitui.i18n import _, language
from goitui.model import SEVERITIES, review_name, severity_name
from goitui.render.display import width
from goitui.tui.base import PAGE, PAGING, key_footer
from goitui.tui.finding_detail import FindingDetail, finding_target, finding_text
from goitui.tui.lists import COPY_CELL, COPY_FINDING, EXPORT, SORT, Counts, ListScreen, ListTable
from goitui.tui.note import NoteDialog
from goitui.tui.render import REVIEW_MARK, plain, severity_text, wrapped
from goitui.tui.review import ACK, DISMISS, apply_review, review
from goitui.validate.rules import RULES

#: the rule column: as wide as the longest rule id, so that none is cut (ids are short)
RULE_WIDTH = max(width(rule.id) for rule in RULES)


@dataclass
class Loaded:
    page: Page
    #: per facet, its values and their counts; empty until the list is counted
    facets: dict[str, list[tuple[Any, int]]]


def load(arch: Archive, flt: FindingFilter, offset: int) -> Loaded:
    """One page of the findings, uncounted (``count``): what the screen shows first."""
    rows = finding_rows(arch, flt, agency_ids(arch, flt.agency), offset, PAGE)
    # a page not full is the last one: its list is counted already
    total = offset + len(rows) if len(rows) < PAGE else None
    return Loaded(Page(rows, offset, total, PAGE), {})


def count(arch: Archive, flt: FindingFilter) -> Counts:
    """The findings' total and facets under ``flt``."""
    ids = agency_ids(arch, flt.agency)
    return Counts(finding_count(arch, flt, ids), finding_facets(arch, flt, ids))


def shown_message(row: dict[str, Any]) -> str:
    """A finding row's message in the language of the interface (Chinese where stored)."""
    return row["message_zh"] if language() == "zh" and row.get("message_zh") else row["message"]


def _review_state(state: str) -> str:
    return _("open") if state == "open" else review_name(state)


def set_token(text: str, key: str, value: str | None) -> str:
    """The filter line with ``key:value`` replaced (or removed when value is None)."""
    words = [w for w in text.split() if not w.startswith(f"{key}:")]
    return " ".join(words + ([f"{key}:{value}"] if value else []))


class ValidationScreen(ListScreen):
    TITLE = _("Findings")
    HELP = (_("Every finding of every current report. Filter with the line at the top: "
            "rule:S-CELLS (a prefix), severity:error, year:2020, review:open|acknowledged|"
            "dismissed, and any other words for the agency (fuzzy). s and r step the severity "
            "and review facets. a acknowledges and x dismisses the finding under the cursor "
            "(a note is asked), u reopens it. o sorts by the column under the cursor (← and → "
            "move it; o again, or a click on the header, reverses), e exports the whole list as "
            "filtered and sorted (CSV or XLSX), c copies the cell and C the finding in full. "
            "Enter opens the report at the finding's cells."))
    OPENED_BY = "validation"  # the app's key to this screen: not shown on it
    MAIN = "#vfindings"
    TABLE = "#vfindings"
    EXPORT_NAME = "findings"
    DESCENDING_FIRST = frozenset({"year"})
    BINDINGS = [
        Binding("f", "filter", _("Filter")),
        # s, r, u and z in the help and the palette, not the footer: with the list's keys it
        # fits 80 columns in Chinese and in English (``test_tui_footer``)
        Binding("s", "step('severity')", _("Severity"), show=False),
        Binding("r", "step('review')", _("Review"), show=False),
        Binding("a", "review('acknowledged')", _("Ack")),
        Binding("x", "review('dismissed')", _("Dismiss")),
        Binding("u", "review('')", _("Reopen"), show=False),
        Binding("z", "undo", _("Undo review"), show=False),
        Binding("i", "detail", _("Detail")),
        SORT, EXPORT, COPY_CELL, COPY_FINDING,
        *PAGING,
    ]
    #: keys that act on the list; any other printable key typed there goes to the filter
    LIST_KEYS = frozenset("fsraxuzi[]qv/oecC")

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.text = text
        #: reviews made on this screen, newest last: (report id, fingerprint, state, note before)
        self.undo_stack: list[tuple[int, str, str | None, str | None, str]] = []

    def compose(self) -> ComposeResult:
        field = Input(self.text, placeholder=_("filter: rule:… severity:… year:… review:open "
                                               "agency (f)"), id="vfilter")
        field.cursor_blink = False
        yield field
        yield Static(id="vfacets")
        yield ListTable(id="vfindings", cursor_type="row")
        yield Static(id="vdetail")
        yield Static(id="info")
        yield key_footer()

    def on_mount(self) -> None:
        # typing is for the filter: the list (whose letters review findings) is a tab away
        self.query_one("#vfilter").focus()
        self.show_first()

    @property
    def flt(self) -> FindingFilter:
        """The filter line as typed, in the order chosen on the list."""
        return replace(FindingFilter.parse(self.text), sort=self.sort,
                       descending=self.descending)

    def page_job(self, offset: int) -> Callable[[Archive], Loaded]:
        flt = self.flt
        return lambda arch: load(arch, flt, offset)

    def count_key(self) -> object:
        return FindingFilter.parse(self.text)  # without the order: the order counts alike

    def count_job(self) -> Callable[[Archive], Counts]:
        flt = FindingFilter.parse(self.text)
        return lambda arch: count(arch, flt)

    def export_job(self) -> Callable[[Archive], Sheet]:
        flt = self.flt
        return lambda arch: listed_findings_sheet(finding_rows(arch, flt,
                                                               agency_ids(arch, flt.agency)))

    def sort_key(self, column: str) -> str | None:
        """The message sorts as it is shown: in Chinese where the finding has it."""
        return "message_zh" if column == "message" and language() == "zh" else column

    def cell_value(self, row: dict[str, Any], column: str) -> Any:
        if column == "message":
            return shown_message(row)
        if column == "review":
            return _review_state(row["review"] or "open")
        return super().cell_value(row, column)

    def row_text(self, row: dict[str, Any]) -> str:
        """C on a finding copies the finding in full, as ``i`` shows it."""
        return finding_text(row, width=10_000).plain

    def row_noun(self) -> str:
        return _("the finding")

    def show(self, loaded: Loaded) -> None:
        self.loaded = loaded
        table = self.table
        cursor = self.set_columns(table, (
            (_("sev"), "severity", None), (_("rule"), "rule", RULE_WIDTH),
            (_("agency"), "agency", None), (_("year"), "year", None),
            (_("review"), "review", None), (_("message"), "message", None)))
        for r in loaded.page.rows:
            dim = "dim" if r["review"] else ""
            table.add_row(severity_text(r["severity"]), plain(r["rule"], 12, dim),
                          plain(r["agency"], 24, dim), Text(str(r["year"]), style=dim),
                          Text(_(REVIEW_MARK[r["review"]]) if r["review"] else _("open"),
                               style=dim),
                          reviewed_message(r, 80), key=str(r["id"]))
        if loaded.page.rows:
            table.move_cursor(row=min(cursor.row, len(loaded.page.rows) - 1),
                              column=cursor.column)
        self.show_info(loaded)

    def show_info(self, loaded: Loaded) -> None:
        """The facets and the line under the list. Until the list is counted the line says
        so, and the facets counted last stay, dimmed, so that the list does not jump."""
        counted = loaded.facets or (self.counts.facets if self.counts is not None else None)
        if counted:
            facets = Text()
            for name, title, named in (("severity", _("severity"), severity_name),
                                       ("review", _("review"), _review_state)):
                facets.append(_("{name}: ").format(name=title), style="bold")
                facets.append(" ".join(f"{named(v)} {n}" for v, n in counted[name]) or "-")
                facets.append("   ")
            facets.append(_("rules: "), style="bold")
            facets.append(plain(" ".join(f"{v} {n}" for v, n in counted["rule"][:6])))
            if not loaded.facets:
                facets.stylize("dim")
            self.query_one("#vfacets", Static).update(facets)
        self.query_one("#info", Static).update(Text(
            _("{shown} findings · order: {order}").format(shown=loaded.page.describe(),
                                                          order=self.order_text()),
            style="dim"))

    def current(self) -> dict[str, Any] | None:
        return self.current_row()

    # ---------------------------------------------------------------- events

    def on_input_changed(self, event: Input.Changed) -> None:
        self.text = event.value
        self.reload(0)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#vfindings").focus()

    def on_key(self, event: events.Key) -> None:
        """A printable key typed on the list that is not one of its keys starts the filter:
        text meant for the filter never reviews a finding."""
        table = self.query_one("#vfindings", DataTable)
        if (self.focused is table and event.is_printable and event.character
                and event.character not in self.LIST_KEYS):
            event.stop()
            event.prevent_default()
            field = self.query_one("#vfilter", Input)
            field.focus()
            field.insert_text_at_cursor(event.character)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The whole message of the finding under the cursor: the list cuts it short."""
        row = self.current()
        detail = Text()
        if row is not None:
            detail.append(severity_text(row["severity"]))
            detail.append(plain(f" {row['rule']} · {row['agency']} {row['year']}\n"))
            static = self.query_one("#vdetail", Static)
            detail.append(wrapped(shown_message(row), static.content_size.width or 78))
            if row.get("note"):
                detail.append(plain("\n" + _("note: {note}").format(note=row["note"]), style="dim"))
        self.query_one("#vdetail", Static).update(detail)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.current()
        if row is not None:
            self.goi.open_report(row["report_id"], finding_target(row))

    # ---------------------------------------------------------------- actions

    def action_filter(self) -> None:
        self.query_one("#vfilter").focus()

    def action_step(self, name: str) -> None:
        values = [None, *(SEVERITIES if name == "severity" else REVIEW_STATES)]
        now = getattr(self.flt, name)
        nxt = values[(values.index(now) + 1) % len(values)] if now in values else None
        self.query_one("#vfilter", Input).value = set_token(self.text, name, nxt)

    def _list_focused(self) -> bool:
        if self.focused is not self.query_one("#vfindings"):
            self.notify(_("reviews act on the list: tab (or enter in the filter) moves there"))
            return False
        return True

    def action_review(self, state: str) -> None:
        if not self._list_focused():
            return
        row = self.current()
        if row is None:
            self.notify(_("no finding under the cursor"))
            return
        assert state in (ACK, DISMISS, "")
        what = f"{row['rule']} {row['agency']} {row['year']}"
        entry = (row["report_id"], row["fingerprint"], row["review"], row.get("note"), what)

        def done() -> None:
            self.undo_stack.append(entry)
            self.forget_counts()  # the review facet has changed
            self.reload()

        if state:
            review(self, row["report_id"], row["fingerprint"], state, done, what)
            return

        def confirmed(answer: str | None) -> None:  # reopening asks too: enter, or escape
            if answer is not None:
                review(self, row["report_id"], row["fingerprint"], None, done, what)

        if row["review"] is None:
            self.notify(_("this finding is open already"))
            return
        self.app.push_screen(NoteDialog(_("reopen: {what} (enter to confirm, escape to "
                                          "cancel)").format(what=what)), confirmed)

    def action_undo(self) -> None:
        """z: take back the last review made on this screen (its state and note before)."""
        if not self.undo_stack:
            self.notify(_("nothing to undo on this screen"))
            return
        report_id, fingerprint, state, note, what = self.undo_stack.pop()

        def undone(_result: None) -> None:
            self.notify(_("undone: {what}").format(what=what))
            self.forget_counts()
            self.reload()

        self.db(lambda arch: apply_review(arch, report_id, fingerprint, state, note), undone,
                group="review", write=True)

    def action_detail(self) -> None:
        """i: the finding under the cursor in full (enter there opens the report at it)."""
        row = self.current()
        if row is None:
            return

        def opened(go: bool | None) -> None:
            if go:
                self.goi.open_report(row["report_id"], finding_target(row))

        self.app.push_screen(FindingDetail(row), opened)


def reviewed_message(row: dict[str, Any], width: int) -> Text:
    """A finding's message; a reviewed one dimmed behind its mark (✓ acknowledged, ⊘ dismissed),
    so a dismissed error never reads like an open one."""
    mark = {"acknowledged": "✓ ", "dismissed": "⊘ "}.get(row["review"] or "", "")
    return plain(mark + shown_message(row), width, "dim" if mark else "")
