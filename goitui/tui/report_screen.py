"""One report: its six sections as text, the three tables with the official labels, its findings.

Every cell a finding concerns carries the finding's mark (✗ ! i). Opening a finding goes to it:
one about the prose (with the words it stores: a spam term, the sentence whose number
disagrees, the copied sentences) scrolls the text to them and highlights them, one about
figures moves the cursor to its cell. l shows where a figure was read; [ and ] step through the
agency's years; d compares with the year before.

The text tab shows each section's paragraphs as the reader joined them (``Section.body``, made
by ``parse.report.paragraphs``: a PDF's wrapped lines are one paragraph there); the source tab
shows the stored text line by line, as printed. Both break lines with ``render.wrap``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from goitui import labels
from goitui.archive.queries import Target, neighbour
from goitui.archive.search import pattern, terms_of
from goitui.archive.store import Archive
from goitui.i18n import _
from goitui.model import Finding, Report, shown_place, template_name
from goitui.render.display import cell_text, fit, shown_path, table_rows
from goitui.text import visible
from goitui.tui.base import GoiScreen, key_footer
from goitui.tui.figure import FigureDialog
from goitui.tui.finding_detail import FindingDetail
from goitui.tui.render import (
    FOUND_STYLE,
    REVIEW_MARK,
    SEVERITY_RANK,
    SEVERITY_STYLE,
    highlight,
    plain,
    severity_text,
    status_text,
)
from goitui.tui.review import ACK, DISMISS, review
from goitui.tui.textview import Paragraph, TextView

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
TAB_TABLES = {tab: t for t, tab in TABLE_TABS.items()}
TAB_WIDTH = 4  # a tab in the source text: cells of a row, as the terminal would space them
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


def shown(s: str) -> str:
    """Report text as both text views show it: harmless, tabs spaced out. The words a
    finding stores go through the same, so they are found where they are shown."""
    return visible(s.expandtabs(TAB_WIDTH))


def text_paragraphs(report: Report, pat: re.Pattern[str] | None
                    ) -> tuple[list[Paragraph], dict[int | None, tuple[int, int]]]:
    """The text tab: the title, then each section's heading and paragraphs (search matches
    highlighted), and where each section's paragraphs are (None: the title)."""
    out: list[Paragraph] = []
    where: dict[int | None, tuple[int, int]] = {}
    if report.title.strip():
        where[None] = (0, 1)
        out += [Paragraph(highlight(plain(shown(report.title.strip()), style="bold"), pat)),
                Paragraph(Text())]
    for num, title in labels.SECTION_TITLES.items():
        sec = report.sections.get(num)
        first = len(out)
        heading = (plain(shown(sec.title), style="bold") if sec else
                   Text(_("{title}  (not found in the report)").format(title=title),
                        style="bold"))
        out.append(Paragraph(highlight(heading, pat)))
        if num in labels.TABLE_SECTION.values():
            out.append(Paragraph(Text(_("→ the table: key {key}").format(key=num),
                                      style="dim")))
        elif sec:
            out += [Paragraph(highlight(plain(shown(p.strip())), pat))
                    for p in sec.body.splitlines() if p.strip()]
        where[num] = (first, len(out))
        out.append(Paragraph(Text()))
    return out, where


def source_paragraphs(report: Report, pat: re.Pattern[str] | None) -> list[Paragraph]:
    """The source tab: the stored text line by line, numbered, search matches highlighted."""
    lines = report.text.split("\n")
    return [Paragraph(highlight(plain(shown(line)), pat), str(n))
            for n, line in enumerate(lines, 1)]


def mark_words(paragraphs: list[Paragraph], span: tuple[int, int] | None,
               words: list[str]) -> tuple[int, int] | None:
    """Highlight every place of ``words`` in the paragraphs of ``span`` (a section; a word not
    there is looked for everywhere); returns the first place, (paragraph, offset).

    Only a style is added to the text: report text is never read as markup.
    """
    found: list[tuple[int, int]] = []
    pieces = [p.strip() for w in words for p in shown(w).split("\n") if p.strip()]
    for piece in dict.fromkeys(pieces):
        places = _places(paragraphs, range(*span) if span else range(0), piece) \
            or _places(paragraphs, range(len(paragraphs)), piece)
        for index, at in places:
            paragraphs[index].text.stylize(FOUND_STYLE, at, at + len(piece))
        found += places
    return min(found) if found else None


def _places(paragraphs: list[Paragraph], indexes: range, piece: str) -> list[tuple[int, int]]:
    out = []
    for index in indexes:
        plain_text = paragraphs[index].text.plain
        at = plain_text.find(piece)
        while at >= 0:
            out.append((index, at))
            at = plain_text.find(piece, at + len(piece))
    return out


class ReportScreen(GoiScreen):
    TITLE = _("Report")
    HELP = (_("One report. 1 shows the sections as text, 2 3 4 the three tables with the official "
            "labels, 5 the text as stored. Cells a finding concerns carry its mark "
            "(✗ error, ! warning, i info). Tab moves to the findings: enter on one goes to it "
            "(a finding about the prose highlights its words in the text, one about figures "
            "moves to their cells), i shows it in full; a / x acknowledge / dismiss it with a "
            "note, u reopens it. On a cell, l shows the figure: the cell as printed and the "
            "source line it was read from. [ and ] open the agency's previous / next year; "
            "d compares with the year before."))
    MAIN = "#findings"
    BINDINGS = [
        Binding("1", "tab('tab-text')", _("Text"), show=False),
        Binding("2", "tab('tab-proactive')", _("主动公开"), show=False),
        Binding("3", "tab('tab-applications')", _("依申请"), show=False),
        Binding("4", "tab('tab-reviews')", _("复议诉讼"), show=False),
        Binding("5", "tab('tab-source')", _("Source text"), show=False),
        Binding("l", "figure", _("Source line")),
        Binding("i", "detail", _("Detail"), show=False),
        # in the help and the palette, not the footer: it fits 80 columns in Chinese
        Binding("left_square_bracket", "year(-1)", _("Prev year"), show=False),
        Binding("right_square_bracket", "year(1)", _("Next year"), show=False),
        Binding("d", "diff", _("Diff")),
        Binding("a", "review('acknowledged')", _("Ack"), show=False),
        Binding("x", "review('dismissed')", _("Dismiss"), show=False),
        Binding("u", "review('')", _("Reopen"), show=False),
    ]

    def __init__(self, report_id: int, target: Target | None = None,
                 loaded: Loaded | None = None):
        super().__init__()
        self.report_id = report_id
        self.target = target
        self.loaded: Loaded | None = None
        #: the report read before the screen was built (``GoiApp.open_report``): shown in
        #: its first frame
        self.ready = loaded
        self.cells: dict[str, dict[str, tuple[int, int]]] = {}
        self.marked: dict[str, Finding] = {}
        #: where each section's paragraphs are in the text tab (None: the title)
        self.ranges: dict[int | None, tuple[int, int]] = {}
        #: the search's words, highlighted in both text tabs
        self.pattern: re.Pattern[str] | None = None
        #: the finding whose words the text tab highlights
        self.found: Finding | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(_("loading…"), style="dim"), id="head")
        with TabbedContent(initial=TAB_TEXT, id="tabs"):
            with TabPane(_("1 Text"), id=TAB_TEXT):
                yield TextView(id="text")
            for name in labels.TABLES:
                with TabPane(TAB_TITLES[name], id=TABLE_TABS[name]):
                    yield DataTable(id=f"table-{name}", cursor_type="cell")
            with TabPane(_("5 Source"), id=TAB_SOURCE):
                yield TextView(id="source")
        yield Static(id="cell")
        yield OptionList(id="findings")
        yield key_footer()

    def on_mount(self) -> None:
        if self.ready is not None:
            ready, self.ready = self.ready, None
            self.show(ready)
        else:
            self.refresh_report()

    def open(self, report_id: int, target: Target | None = None,
             loaded: Loaded | None = None) -> None:
        """Show another report on this screen, kept rather than built again (``reusable``):
        ``loaded`` at once (nothing of the report before is drawn), else once it is read."""
        self.report_id, self.target = report_id, target
        self.loaded = self.found = None
        self.cells, self.marked, self.ranges = {}, {}, {}
        if not self.is_mounted:
            self.ready = loaded
            return  # on_mount shows it
        self.query_one("#cell", Static).update(Text())
        self.query_one(TabbedContent).active = TAB_TEXT
        if loaded is not None:
            self.show(loaded)  # fills every view anew
            return
        self.query_one("#head", Static).update(Text(_("loading…"), style="dim"))
        self.query_one("#findings", OptionList).clear_options()
        for name in labels.TABLES:
            self.query_one(f"#table-{name}", DataTable).clear(columns=True)
        for view in self.query(TextView):
            view.show([])
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
                          .format(template=template_name(r.template), version=r.version, agency=r.agency,
                                  source=shown_path(r.source_path, self.goi.db_path)),
                          style="dim"))
        steps = [f"{key} {n[1]}" for key, n in (("[", loaded.prev), ("]", loaded.next)) if n]
        if steps:
            head.append("   " + "  ".join(steps), style="dim")
        self.query_one("#head", Static).update(head)
        terms = terms_of(self.target.text) if self.target and self.target.text else []
        self.pattern = pattern(terms) if terms else None
        if self.found is not None:  # after a review: the same finding, reloaded
            self.found = next((f for f in r.findings
                               if f.fingerprint == self.found.fingerprint), None)
        self.show_text(top=first)
        for name in labels.TABLES:
            self.cells[name] = fill_table(self.query_one(f"#table-{name}", DataTable), r, name,
                                          self.marked)
        self.query_one("#source", TextView).show(source_paragraphs(r, self.pattern), top=first)
        findings = self.query_one("#findings", OptionList)
        keep = None if first else findings.highlighted
        findings.clear_options()
        findings.add_options([Option(finding_option(f), id=str(i))
                              for i, f in enumerate(r.findings)])
        if r.findings:
            findings.highlighted = min(keep or 0, len(r.findings) - 1)
        if first:
            self.go_to_target()

    def show_text(self, *, top: bool = True) -> tuple[int, int] | None:
        """Fill the text tab, the words of ``self.found`` highlighted; returns where the first
        of them is (paragraph, offset), None when not found."""
        r = self.report
        if r is None:
            return None
        paragraphs, self.ranges = text_paragraphs(r, self.pattern)
        place = None
        if self.found is not None:
            place = mark_words(paragraphs, self.ranges.get(self.found.section),
                               self.found.words)
        self.query_one("#text", TextView).show(paragraphs, top=top)
        return place

    # ---------------------------------------------------------------- moving around

    def go_to_target(self) -> None:
        t = self.target
        if t is None:
            self.query_one("#findings").focus()
            return
        f = next((f for f in self.report.findings if f.fingerprint == t.fingerprint),
                 None) if t.fingerprint and self.report else None
        if f is not None:
            self.go_to_finding(f)
        elif t.keys or t.section is not None:
            self.go_to_keys(t.keys, t.section)
        elif t.text:
            self.go_to_text(t.text)

    def go_to_finding(self, f: Finding) -> bool:
        """The view that shows where ``f`` is, focused: its words highlighted in the text,
        else its cells, else its section."""
        self.found = f if f.words else None
        place = self.show_text()
        if place is not None:
            self.action_tab(TAB_TEXT)
            self.query_one("#text", TextView).go_to(*place)
            return True
        return self.go_to_keys(f.keys, f.section)

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
        if section is not None and section in self.ranges:
            self.action_tab(TAB_TEXT)
            self.query_one("#text", TextView).go_to(self.ranges[section][0])
            return True
        return False

    def go_to_text(self, query: str) -> None:
        """Open the stored text at the first match, marked (every match is highlighted)."""
        view = self.query_one("#source", TextView)
        self.action_tab(TAB_SOURCE)
        pat = pattern(terms_of(query))
        for index, paragraph in enumerate(view.paragraphs):
            m = pat.search(paragraph.text.plain)
            if m:
                paragraph.text.stylize(FOUND_STYLE, m.start(), m.end())
                view.show(view.paragraphs, top=False)
                view.go_to(index, m.start())
                return

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        pane = self.query_one(f"#{tab}", TabPane)
        target = pane.query("DataTable, TextView").first()
        target.focus()

    # ---------------------------------------------------------------- events

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        f = self.finding_at(event.option_index)
        if f is not None and not self.go_to_finding(f):
            self.notify(_("{rule}: no words, cell or section to show").format(rule=f.rule) +
                        (f" ({shown_place(f.source)})" if f.source else ""))

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """The figure line speaks of the table shown, or of nothing: never of a table gone."""
        name = TAB_TABLES.get(event.pane.id or "")
        if name is None:
            self.query_one("#cell", Static).update(Text())
            return
        table = self.query_one(f"#table-{name}", DataTable)
        self.describe_cell(table, table.cursor_row, table.cursor_column)

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        table = event.data_table
        if self.query_one(TabbedContent).active == f"tab-{(table.id or '').removeprefix('table-')}":
            self.describe_cell(table, event.coordinate.row, event.coordinate.column)

    def describe_cell(self, table: DataTable, row: int, col: int) -> None:
        """The figure line under the tables: the cell's label, as printed, where it was read."""
        key = self.key_at(table, row, col)
        info = Text()
        if key and self.report:
            fig = self.report.figures.get(key)
            info.append(plain(f"{labels.label_of(key)} = {fig.raw.strip() if fig else _('(none)')}"))
            if fig and fig.source:
                info.append(f"  [{shown_place(fig.source)}]", style="dim")
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

    def action_detail(self) -> None:
        """i: the highlighted finding in full; enter there goes to it."""
        f = self.finding_at(self.query_one("#findings", OptionList).highlighted)
        r = self.report
        if f is None or r is None:
            self.notify(_("no finding highlighted"))
            return
        row = {**f.to_dict(), "agency": r.agency_canonical or r.agency, "year": r.year}

        def opened(go: bool | None) -> None:
            if go:
                self.go_to_finding(f)

        self.app.push_screen(FindingDetail(row), opened)

    def action_year(self, step: int) -> None:
        if self.loaded is None:
            return
        n = self.loaded.prev if step < 0 else self.loaded.next
        if n is None:
            self.notify(_("no earlier report of this agency") if step < 0
                        else _("no later report of this agency"))
            return
        # in place: the screen is the same, only the report changes, once it is read
        self.db(lambda arch: load(arch, n[0]), lambda loaded: self.open(n[0], None, loaded),
                group="year")

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


#: the name the kept report screen is installed under (``reusable``)
KEPT = "goi-report"


def reusable(app: App, report_id: int, target: Target | None = None,
             loaded: Loaded | None = None) -> ReportScreen:
    """A report screen showing ``report_id`` (``loaded``, read already, or to be read): the
    one the app keeps when it is not on the stack already, else a new one.

    Building a screen's widgets (tabs, tables, text views, footer) is most of the time of
    opening a report; the kept screen is built once and only loads the next report.
    """
    if not app.is_screen_installed(KEPT):
        screen = ReportScreen(report_id, target, loaded)
        app.install_screen(screen, KEPT)
        return screen
    kept = app.get_screen(KEPT)
    assert isinstance(kept, ReportScreen)
    if kept in app.screen_stack:
        return ReportScreen(report_id, target, loaded)
    kept.open(report_id, target, loaded)
    return kept
