"""One report: its six sections as text, the three tables with the official labels, its findings.

Every cell a finding concerns carries the finding's mark (✗ ! i); selecting a finding moves
the cursor to its cell; l shows where a figure was read; [ and ] step through the agency's
years; d compares with the year before.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, OptionList, Static, TabbedContent, TabPane, TextArea
from textual.widgets.option_list import Option

from goitui import labels
from goitui.archive.queries import Target, neighbour
from goitui.archive.search import pattern, terms_of
from goitui.archive.store import Archive
from goitui.i18n import _
from goitui.model import Finding, Report
from goitui.render.display import cell_text, fit, shown_path, table_rows
from goitui.text import visible
from goitui.tui.base import GoiScreen
from goitui.tui.figure import FigureDialog
from goitui.tui.render import (
    REVIEW_MARK,
    SEVERITY_RANK,
    SEVERITY_STYLE,
    highlight,
    plain,
    severity_text,
    status_text,
)
from goitui.tui.review import ACK, DISMISS, review

LABEL_WIDTH = 26
#: column headers as short as a reader still knows them, so that every table fits 80 columns
#: (the full label of any cell is one key away: l)
SHORT_HEADS = {
    "商业企业": "商业", "科研机构": "科研", "社会公益组织": "公益", "法律服务机构": "法律",
    "本年制发件数": "制发", "本年废止件数": "废止", "现行有效件数": "现行有效",
    "本年处理决定数量": "处理决定", "本年收费金额（单位：万元）": "收费(万元)",
    "本年新制作数量": "新制作", "本年新公开数量": "新公开", "对外公开总数量": "公开总数",
    "上一年项目数量": "上年项目", "本年增/减": "增/减", "处理决定数量": "处理决定",
    "采购项目数量": "采购项目", "采购总金额": "采购金额",
}
TAB_TEXT, TAB_SOURCE = "tab-text", "tab-source"
TABLE_TABS = {t: f"tab-{t}" for t in labels.TABLES}
TAB_TITLES = {"proactive": "2 主动公开", "applications": "3 依申请", "reviews": "4 复议诉讼"}


@dataclass
class Loaded:
    report: Report
    prev: tuple[int, int] | None  # (report id, year)
    next: tuple[int, int] | None


def load(arch: Archive, report_id: int) -> Loaded:
    r = arch.load(report_id)
    assert r.agency_id is not None and r.year is not None
    return Loaded(r, neighbour(arch, r.agency_id, r.year, -1),
                  neighbour(arch, r.agency_id, r.year, +1))


def marks(findings: list[Finding]) -> dict[str, Finding]:
    """The worst finding concerning each figure key (reviewed ones count last)."""
    out: dict[str, Finding] = {}
    for f in sorted(findings, key=lambda f: (f.review is None, -SEVERITY_RANK[f.severity])):
        for k in f.keys:
            out[k] = f
    return out


def fill_table(table: DataTable, report: Report, name: str,
               marked: dict[str, Finding]) -> dict[str, tuple[int, int]]:
    """The official table with group rows where the columns or the category change.

    Returns where each figure key sits (row, column) so a finding can move the cursor there.
    """
    rows = table_rows(report, name)
    table.clear(columns=True)
    where: dict[str, tuple[int, int]] = {}
    if not rows:
        table.add_column("")
        table.add_row(Text("(no table read)", style="dim"))
        return where
    width = max(len(r.columns) for r, _ in rows)
    heads = [SHORT_HEADS.get(c.label, c.label) for c in rows[0][0].columns]
    table.add_column(Text(""), width=LABEL_WIDTH, key="label")
    for i in range(width):
        table.add_column(Text(heads[i] if i < len(heads) else "", style="bold"), key=f"c{i}")
    table.fixed_columns = 1  # the row labels stay in view when the table scrolls sideways
    cols, category = tuple(c.label for c in rows[0][0].columns), None
    for row, figs in rows:
        labels = tuple(c.label for c in row.columns)
        if labels != cols:
            cols = labels
            table.add_row(*_group_row("", tuple(SHORT_HEADS.get(x, x) for x in labels), width))
        if row.category != category and row.category:
            table.add_row(*_group_row(row.category, (), width))
        category = row.category
        label = f"  {row.label}" if row.category else row.label
        cells = []
        for i, (key, fig) in enumerate(zip(row.keys(), figs)):
            mark = marked.get(key)
            text = visible(cell_text(fig))
            if mark is not None:
                style = "dim" if mark.review else SEVERITY_STYLE[mark.severity]
                cells.append(Text(f"{severity_text(mark.severity).plain}{text}", style=style,
                                  justify="right"))
            else:
                cells.append(Text(text, justify="right"))
            where[key] = (table.row_count, i + 1)
        table.add_row(Text(fit(label, LABEL_WIDTH)), *cells, *[""] * (width - len(cells)),
                      key=row.key)
    return where


def _group_row(title: str, labels: tuple[str, ...], width: int) -> list[Text]:
    cells = [Text(fit(title, LABEL_WIDTH), style="bold")]
    cells += [Text(x, style="bold") for x in labels] + [Text("")] * (width - len(labels))
    return cells


def finding_option(f: Finding) -> Text:
    """One line per finding; the cell line below the tables says the rest."""
    t = severity_text(f.severity)
    t.no_wrap, t.overflow = True, "ellipsis"
    t.append(f" {f.rule} ", style="bold")
    t.append(plain(f.shown()))
    if f.review:
        t.append(f"  [{_(REVIEW_MARK[f.review])}" + (f": {visible(f.note)}" if f.note else "") + "]",
                 style="dim")
    return t


class ReportScreen(GoiScreen):
    TITLE = _("Report")
    HELP = (_("One report. 1 shows the sections as text, 2 3 4 the three tables with the official "
            "labels, 5 the text as stored. Cells a finding concerns carry its mark "
            "(✗ error, ! warning, i info). Tab moves to the findings: enter on one moves to its "
            "cells; a / x acknowledge / dismiss it with a note, u reopens it. On a cell, l shows "
            "the figure: the cell as printed and the source line it was read from. "
            "[ and ] open the agency's previous / next year; d compares with the year before."))
    MAIN = "#findings"
    BINDINGS = [
        Binding("1", "tab('tab-text')", _("Text"), show=False),
        Binding("2", "tab('tab-proactive')", _("主动公开"), show=False),
        Binding("3", "tab('tab-applications')", _("依申请"), show=False),
        Binding("4", "tab('tab-reviews')", _("复议诉讼"), show=False),
        Binding("5", "tab('tab-source')", _("Source text"), show=False),
        Binding("l", "figure", _("Source line")),
        Binding("left_square_bracket", "year(-1)", _("Prev year")),
        Binding("right_square_bracket", "year(1)", _("Next year")),
        Binding("d", "diff", _("Diff")),
        Binding("a", "review('acknowledged')", _("Ack"), show=False),
        Binding("x", "review('dismissed')", _("Dismiss"), show=False),
        Binding("u", "review('')", _("Reopen"), show=False),
    ]

    def __init__(self, report_id: int, target: Target | None = None):
        super().__init__()
        self.report_id = report_id
        self.target = target
        self.loaded: Loaded | None = None
        self.cells: dict[str, dict[str, tuple[int, int]]] = {}
        self.marked: dict[str, Finding] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text("loading…", style="dim"), id="head")
        with TabbedContent(initial=TAB_TEXT, id="tabs"):
            with TabPane(_("1 Text"), id=TAB_TEXT):
                yield VerticalScroll(*[Static(id=f"sec-{n}", classes="section")
                                       for n in labels.SECTION_TITLES], id="text")
            for name in labels.TABLES:
                with TabPane(TAB_TITLES[name], id=TABLE_TABS[name]):
                    yield DataTable(id=f"table-{name}", cursor_type="cell")
            with TabPane(_("5 Source"), id=TAB_SOURCE):
                area = TextArea(id="source", read_only=True, show_line_numbers=True,
                                soft_wrap=True)
                area.cursor_blink = False
                yield area
        yield Static(id="cell")
        yield OptionList(id="findings")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_report()

    def refresh_report(self) -> None:
        self.db(lambda arch: load(arch, self.report_id), self.show)

    @property
    def report(self) -> Report | None:
        return self.loaded.report if self.loaded else None

    def show(self, loaded: Loaded) -> None:
        first = self.loaded is None
        self.loaded = loaded
        r = loaded.report
        self.marked = marks(r.findings)
        c = r.counts()
        head = plain(f"{r.agency_canonical or r.agency} {r.year}  ", style="bold")
        head.append(status_text(r.status, (c["error"], c["warning"])))
        head.append(plain(_("  template {template} · v{version} · printed as {agency} · {source}")
                          .format(template=r.template, version=r.version, agency=r.agency,
                                  source=shown_path(r.source_path, self.goi.db_path)),
                          style="dim"))
        steps = [f"{key} {n[1]}" for key, n in (("[", loaded.prev), ("]", loaded.next)) if n]
        if steps:
            head.append("   " + "  ".join(steps), style="dim")
        self.query_one("#head", Static).update(head)
        terms = terms_of(self.target.text) if self.target and self.target.text else []
        pat = pattern(terms) if terms else None
        for num, title in labels.SECTION_TITLES.items():
            sec = r.sections.get(num)
            text = plain(sec.title if sec else f"{title}  (not found in the report)",
                         style="bold")
            text.append("\n")
            table = next((t for t, s in labels.TABLE_SECTION.items() if s == num), None)
            if table:
                text.append(f"→ the table: key {num}\n", style="dim")
            elif sec:
                text.append(plain("\n".join(p.strip() for p in sec.body.splitlines()
                                            if p.strip())))
            self.query_one(f"#sec-{num}", Static).update(highlight(text, pat))
        for name in labels.TABLES:
            self.cells[name] = fill_table(self.query_one(f"#table-{name}", DataTable), r, name,
                                          self.marked)
        self.query_one("#source", TextArea).load_text(visible(r.text))
        findings = self.query_one("#findings", OptionList)
        keep = findings.highlighted
        findings.clear_options()
        findings.add_options([Option(finding_option(f), id=str(i))
                              for i, f in enumerate(r.findings)])
        if r.findings:
            findings.highlighted = min(keep or 0, len(r.findings) - 1)
        if first:
            self.go_to_target()

    # ---------------------------------------------------------------- moving around

    def go_to_target(self) -> None:
        t = self.target
        if t is None:
            self.query_one("#findings").focus()
            return
        if t.keys:
            self.go_to_keys(t.keys, t.section)
        elif t.text:
            self.go_to_text(t.text)

    def go_to_keys(self, keys: list[str], section: int | None = None) -> bool:
        """Move the cursor to the first of ``keys`` found in a table (else to the section)."""
        for key in keys:
            for name, where in self.cells.items():
                if key in where:
                    self.action_tab(TABLE_TABS[name])
                    table = self.query_one(f"#table-{name}", DataTable)
                    row, col = where[key]
                    table.move_cursor(row=row, column=col, animate=False)
                    table.focus()
                    return True
        if section is not None:
            self.action_tab(TAB_TEXT)
            self.query_one("#text", VerticalScroll).scroll_to_widget(
                self.query_one(f"#sec-{section}"), animate=False, top=True)
            return True
        return False

    def go_to_text(self, query: str) -> None:
        """Open the stored text at the first match, selected."""
        r = self.report
        if r is None:
            return
        text = visible(r.text)
        m = pattern(terms_of(query)).search(text)
        self.action_tab(TAB_SOURCE)
        area = self.query_one("#source", TextArea)
        area.focus()
        if m:
            start = _location(text, m.start())
            end = _location(text, m.end())
            area.move_cursor(start, center=True)
            area.move_cursor(end, select=True)

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        pane = self.query_one(f"#{tab}", TabPane)
        target = pane.query("DataTable, TextArea, VerticalScroll").first()
        target.focus()

    # ---------------------------------------------------------------- events

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        f = self.finding_at(event.option_index)
        if f is not None and not self.go_to_keys(f.keys, f.section):
            self.notify(f"{f.rule}: no cell or section to show" +
                        (f" (read at {f.source})" if f.source else ""))

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        key = self.key_at(event.data_table, event.coordinate.row, event.coordinate.column)
        info = Text()
        if key and self.report:
            fig = self.report.figures.get(key)
            info.append(plain(f"{labels.label_of(key)} = {fig.raw.strip() if fig else '(none)'}"))
            if fig and fig.source:
                info.append(f"  [{fig.source}]", style="dim")
            if key in self.marked:
                f = self.marked[key]
                info.append("  ")
                info.append(severity_text(f.severity))
                info.append(plain(f" {f.rule}"))
        self.query_one("#cell", Static).update(info)

    def key_at(self, table: DataTable, row: int, col: int) -> str | None:
        name = (table.id or "").removeprefix("table-")
        return next((k for k, rc in self.cells.get(name, {}).items() if rc == (row, col)), None)

    def finding_at(self, index: int | None) -> Finding | None:
        r = self.report
        if r is None or index is None or not 0 <= index < len(r.findings):
            return None
        return r.findings[index]

    # ---------------------------------------------------------------- actions

    def action_figure(self) -> None:
        table = self.focused if isinstance(self.focused, DataTable) else None
        r = self.report
        if table is None or r is None:
            self.notify(_("move to a cell of a table first (keys 2 3 4)"))
            return
        key = self.key_at(table, table.cursor_row, table.cursor_column)
        fig = r.figures.get(key) if key else None
        if fig is None:
            self.notify(_("no figure in this cell"))
            return
        self.app.push_screen(FigureDialog(fig, [f for f in r.findings if fig.key in f.keys],
                                          r.source_path))

    def action_year(self, step: int) -> None:
        if self.loaded is None:
            return
        n = self.loaded.prev if step < 0 else self.loaded.next
        if n is None:
            self.notify(_("no earlier report of this agency") if step < 0
                        else _("no later report of this agency"))
            return
        self.goi.open_report(n[0], replace_top=True)

    def action_diff(self) -> None:
        r = self.report
        if r is None or r.agency_id is None or r.year is None:
            return
        prev = self.loaded.prev if self.loaded else None
        self.goi.open_diff(r.agency_id, prev[1] if prev else None, r.year)

    def action_review(self, state: str) -> None:
        f = self.finding_at(self.query_one("#findings", OptionList).highlighted)
        if f is None:
            self.notify(_("no finding highlighted"))
            return
        assert state in (ACK, DISMISS, "")
        review(self, self.report_id, f.fingerprint, state or None, self.refresh_report,
               f"{f.rule} {f.shown()}")


def _location(text: str, offset: int) -> tuple[int, int]:
    """(row, column) of a character offset, as TextArea counts them."""
    row = text.count("\n", 0, offset)
    return row, offset - (text.rfind("\n", 0, offset) + 1)

