"""Two years of one agency: the summary first, then each difference as old → new.

n / N jump to the next / previous difference; o and p pick the old and the new year among the
agency's years; enter on a figure opens the newer report at that cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from goitui.archive.queries import Target, report_years
from goitui.archive.store import Archive
from goitui.diff import compare as diffs
from goitui.errors import NotFound
from goitui.i18n import N_, _, listing
from goitui.labels import SECTION_TITLES, label_of
from goitui.model import template_name
from goitui.render.display import cell_text
from goitui.tui.base import GoiScreen, key_footer
from goitui.tui.render import plain, status_text

#: why a figure is in one year only, as ``goi diff`` says it (``render.diff``)
REASONS = {diffs.BY_TEMPLATE: N_("not in the other year's template"),
           diffs.NOT_READ: N_("not read in the other year")}
PROSE_MARK = {diffs.NEW: "+", diffs.DROPPED: "-", diffs.EDITED: "~"}
FIGURE_MARK = {diffs.CHANGED: "~", diffs.ONLY_OLD: "-", diffs.ONLY_NEW: "+"}


@dataclass
class Loaded:
    years: list[tuple[int, int]]  # (year, report id)
    old_year: int | None
    new_year: int
    diff: diffs.Diff | None
    #: why these two years and not the ones asked (the first year compared with the next),
    #: or why there is no diff (a single year): said above the summary
    note: str = ""


def load(arch: Archive, agency_id: int, old_year: int | None, new_year: int) -> Loaded:
    """The diff of the years chosen as ``goi diff`` chooses them (``choose_years``): the old
    year stepped to, else the archived year before the new one. The agency's first year has
    none before it: the browser then compares it with the next year (this year → next) and
    says so, where ``goi diff`` refuses: a person who pressed d on the first year wants to see
    what changed after it. Only an agency with a single year has nothing to compare."""
    years = report_years(arch, agency_id)
    ids = dict(years)
    have = [year for year, _report_id in years]
    asked = [old_year, new_year] if old_year in ids and old_year != new_year else [new_year]
    note = ""
    try:
        old_year, new_year = diffs.choose_years("", have, asked)
    except NotFound:
        later = [year for year in have if year > new_year]
        if new_year not in ids or not later:
            return Loaded(years, None, new_year, None, only_year_note(have, new_year))
        old_year, new_year = new_year, later[0]
        note = _("{year} is the first year archived: compared with the next, {next}").format(
            year=old_year, next=new_year)
    return Loaded(years, old_year, new_year,
                  diffs.diff_reports(arch.load(ids[old_year]), arch.load(ids[new_year])), note)


def only_year_note(have: list[int], year: int) -> str:
    """Why there is no diff: the agency's one year, or no report for the year asked."""
    if year in have:
        return _("only {year} is archived for this agency: there is nothing to compare it "
                 "with").format(year=year)
    return _("no report for {year} to compare (years: {years})").format(
        year=year, years=listing(have) or _("none"))


def summary(d: diffs.Diff) -> Text:
    c = d.counts()
    t = plain(f"{d.new.agency}  {d.old.year} → {d.new.year}", style="bold")
    t.append("   ")
    t.append(status_text(d.old.status))
    t.append(" → ")
    t.append(status_text(d.new.status))
    # shorter than the words of goi diff: the summary keeps to two lines at 80 columns
    t.append("\n" + _("figures: {changed} changed, {only_old} only {old_year}, {only_new} only "
                       "{new_year}, {unchanged} unchanged").format(
        changed=c[diffs.CHANGED], only_old=c[diffs.ONLY_OLD], old_year=d.old.year,
        only_new=c[diffs.ONLY_NEW], new_year=d.new.year, unchanged=c[diffs.UNCHANGED]))
    if d.template_changed:
        t.append(" · " + _("template {old} → {new}").format(
            old=template_name(d.old.template), new=template_name(d.new.template)), style="bold")
    prose = sum(p.counts.get(st, 0) for p in d.prose for st in PROSE_MARK)
    t.append(" · " + _("prose: {count} sentences differ").format(count=prose) + " · "
             + _("{count} stated numbers changed").format(count=len(d.numbers)))
    if d.cross_year:
        t.append(" · " + _("{count} cross-year findings").format(count=len(d.cross_year)),
                 style="yellow")
    return t


def differences(d: diffs.Diff, changed_only: bool = False) -> list[Option]:
    """Headings (disabled) and one option per difference; ids say what enter opens.

    Changed values come first (n steps through them before rows of one year only);
    ``changed_only`` leaves out everything but figures whose value changed."""
    out: list[Option] = []

    def heading(title: str) -> None:
        out.append(Option(Text(title, style="bold underline"), disabled=True))

    figures = sorted(d.figures, key=lambda f: f.status != diffs.CHANGED)  # stable: table order
    if changed_only:
        figures = [f for f in figures if f.status == diffs.CHANGED]
    if figures:
        heading(_("figures (old → new)"))
        for f in figures:
            t = Text(f"{FIGURE_MARK[f.status]} ")
            t.append(plain(label_of(f.key)))
            t.append(f"  {cell_text(f.old) or '—'} → {cell_text(f.new) or '—'}", style="bold")
            if f.delta is not None:
                t.append(f"  ({f.delta:+g})", style="dim")
            if f.reason:
                t.append(f"  [{_(REASONS[f.reason]) if f.reason in REASONS else f.reason}]",
                         style="dim")
            out.append(Option(t, id=f"key:{f.key}"))
    if changed_only:
        return out
    changed = [r for r in d.regrouped if r.status != diffs.UNCHANGED]
    if changed:
        heading(_("rows regrouped between templates"))
        for r in changed:
            t = plain(_("~ {row} vs the sum of {count} rows: delta {delta}").format(
                row=label_of(r.whole_key), count=len(r.part_keys),
                delta=r.delta if r.delta is not None else _("unknown")))
            out.append(Option(t, id=f"key:{r.whole_key}"))
    if d.numbers:
        heading(_("numbers stated in the text"))
        for i, n in enumerate(d.numbers):
            t = plain(_("~ {section} {context}: {old} → {new}{unit} ({delta})").format(
                section=SECTION_TITLES.get(n.new.section, ""), context=n.new.context,
                old=f"{n.old.value:g}", new=f"{n.new.value:g}", unit=n.new.unit,
                delta=f"{n.delta:+g}"))
            out.append(Option(t, id=f"num:{i}"))
    for p in d.prose:
        shown = [s for s in p.sentences if s.status in PROSE_MARK]
        if not shown:
            continue
        reuse = _(", {ratio:.0%} repeated").format(ratio=p.reuse) if p.reuse is not None else ""
        heading(f"{p.title}{reuse}")
        for i, s in enumerate(shown):
            t = Text(f"{PROSE_MARK[s.status]} ", style="bold")
            if s.status == diffs.EDITED and s.old_text:
                t.append(plain(s.old_text, style="dim"))
                t.append("\n  → ")
            t.append(plain(s.text, style="strike" if s.status == diffs.DROPPED else ""))
            out.append(Option(t, id=f"prose:{p.section}:{i}"))
    return out


class DiffScreen(GoiScreen):
    TITLE = _("Diff")
    HELP = (_("Two years of one agency: a summary, then every figure that changed (old → new, "
            "+ only in the newer year, - only in the older), rows regrouped between the 2019 "
            "and 2021 templates, numbers stated in the text, and the sentences of the prose "
            "that are new (+), dropped (-) or edited (~). n / N jump to the next / previous "
            "difference; o and p step the old and the new year; enter on a figure opens the "
            "newer report at that cell."))
    MAIN = "#diff"
    BINDINGS = [
        Binding("n", "jump(1)", _("Next diff")),
        # in the help and the palette, not the footer: it fits 80 columns in Chinese
        Binding("N", "jump(-1)", _("Prev diff"), show=False),
        Binding("o", "year('old')", _("Old year"), show=False),
        Binding("p", "year('new')", _("New year"), show=False),
        Binding("c", "changed_only", _("Changed only")),
    ]

    def __init__(self, agency_id: int, old_year: int | None, new_year: int):
        super().__init__()
        self.agency_id, self.old_year, self.new_year = agency_id, old_year, new_year
        self.loaded: Loaded | None = None
        self.changed_only = False

    def compose(self) -> ComposeResult:
        yield Static(Text(_("comparing…"), style="dim"), id="dhead")
        yield OptionList(id="diff")
        yield key_footer()

    def on_mount(self) -> None:
        self.query_one("#diff").focus()
        self.reload()

    def reload(self) -> None:
        a, o, n = self.agency_id, self.old_year, self.new_year
        self.db(lambda arch: load(arch, a, o, n), self.show)

    def show(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.old_year, self.new_year = loaded.old_year, loaded.new_year
        years = Text(_("years: "), style="dim")
        for y, _report_id in loaded.years:
            style = "reverse" if y in (loaded.old_year, loaded.new_year) else ""
            years.append(f" {y} ", style=style)
        if loaded.diff:  # the note after the years: the head keeps to its four lines
            head = summary(loaded.diff)
            head.append("\n")
            head.append(years)
            if loaded.note:
                head.append("  " + loaded.note, style="bold")
        else:
            head = Text(loaded.note, style="bold")
            head.append("\n")
            head.append(years)
        self.query_one("#dhead", Static).update(head)
        options = self.query_one("#diff", OptionList)
        options.clear_options()
        if loaded.diff:
            opts = differences(loaded.diff, self.changed_only)
            options.add_options(opts or [Option(Text(_("no differences")), disabled=True)])
            self.action_jump(1, quiet=True)
        else:
            options.add_option(Option(Text(loaded.note), disabled=True))

    def compared(self) -> bool:
        """Whether there is a diff to act on; if not, a key pressed says why (never nothing)."""
        if self.loaded is None:
            self.notify(_("comparing…"))
            return False
        if self.loaded.diff is None:
            self.notify(self.loaded.note)
            return False
        return True

    # ---------------------------------------------------------------- actions

    def action_jump(self, step: int, quiet: bool = False) -> None:
        """To the next (or previous) difference, skipping headings; wraps around."""
        if not quiet and not self.compared():
            return
        options = self.query_one("#diff", OptionList)
        n = options.option_count
        at = options.highlighted if options.highlighted is not None else (-1 if step > 0 else n)
        for i in range(1, n + 1):
            j = (at + step * i) % n
            if not options.get_option_at_index(j).disabled:
                options.highlighted = j
                return
        if not quiet:
            self.notify(_("no differences between {old} and {new}").format(
                old=self.old_year, new=self.new_year))

    def action_changed_only(self) -> None:
        """c: only the figures whose value changed, or everything again."""
        if not self.compared():
            return
        self.changed_only = not self.changed_only
        if self.loaded is not None:
            self.show(self.loaded)
        self.notify(_("changed values only") if self.changed_only else _("every difference"))

    def action_year(self, which: str) -> None:
        """Step the old (or new) year to the agency's next choice, wrapping around; a year
        with no other choice says so."""
        if not self.compared() or self.loaded is None:
            return
        years = [y for y, _ in self.loaded.years]
        if which == "new":
            choices = [y for y in years if y > (self.old_year or 0)]
            now = self.new_year
        else:
            choices = [y for y in years if y < self.new_year][::-1]
            now = self.old_year or 0
        chosen = choices[(choices.index(now) + 1) % len(choices)
                         if now in choices else 0] if choices else now
        if chosen == now:
            self.notify((_("no other newer year to compare {old} with") if which == "new"
                         else _("no other older year to compare {new} with")).format(
                old=self.old_year, new=self.new_year))
            return
        if which == "new":
            self.new_year = chosen
        else:
            self.old_year = chosen
        self.reload()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        oid = event.option.id or ""
        if oid.startswith("key:") and self.loaded:
            rid = dict(self.loaded.years)[self.loaded.new_year]
            self.goi.open_report(rid, Target(keys=[oid[4:]]))
