"""A ``Diff`` as terminal text (80 columns, Chinese measured as two cells) or as markdown.

Colour is optional and added last, so the plain text and the coloured text have the same
content; report text always goes through ``visible`` first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import groupby

from goitui import labels
from goitui.diff.compare import (
    BY_TEMPLATE,
    CHANGED,
    DROPPED,
    EDITED,
    NEW,
    ONLY_NEW,
    ONLY_OLD,
    REPEATED,
    Diff,
    FigureDiff,
    ProseDiff,
    Regrouped,
)
from goitui.i18n import N_, _, pgettext
from goitui.model import (
    BLANK,
    UNPLACED,
    Figure,
    review_name,
    severity_name,
    status_name,
    template_name,
)
from goitui.render.display import STATUS_MARK, cell_text, format_number, pad, plural, width
from goitui.render.wrap import wrap
from goitui.text import visible

Paint = Callable[..., str]


_ANSI_COLOURS = {"red": 31, "green": 32, "yellow": 33}


def painter(color: bool) -> Paint:
    """``paint(text, fg=…, bold=…, dim=…)``: ANSI styling when ``color``, the text unchanged
    else. The escape codes are those ``click.style`` writes; render/ stays free of the CLI's
    libraries, so that any face can use it."""
    def paint(s: str, fg: str | None = None, bold: bool = False, dim: bool = False) -> str:
        if not color or not s:
            return s
        codes = ([_ANSI_COLOURS[fg]] if fg else []) + ([1] if bold else []) + ([2] if dim else [])
        return "".join(f"\033[{c}m" for c in codes) + s + "\033[0m"
    return paint


def value_text(f: Figure | None) -> str:
    """A cell for the diff: blank and unplaced cells say so in words, never as 0."""
    if f is None:
        return _("absent")
    if f.kind == BLANK:
        return pgettext("cell", "blank")
    if f.kind == UNPLACED:
        return _("unplaced")
    return cell_text(f)


def delta_text(d: int | float | None) -> str:
    if d is None:
        return ""
    return ("+" if d > 0 else "−" if d < 0 else "±") + format_number(abs(d))


def _years(d: Diff) -> tuple[str, str]:
    return str(d.old.year), str(d.new.year)


def _prose_line(p: ProseDiff) -> str:
    c = p.counts
    reuse = (_("reuse {ratio:.0%}").format(ratio=p.reuse) if p.reuse is not None
             else _("only in the later year") if p.in_new else _("only in the earlier year"))
    return _("{reuse} ({new} new, {dropped} dropped, {edited} edited, {repeated} repeated)").format(
        reuse=reuse, new=c.get(NEW, 0), dropped=c.get(DROPPED, 0), edited=c.get(EDITED, 0),
        repeated=c.get(REPEATED, 0))


def summary_items(d: Diff) -> list[tuple[int, str, str | None]]:
    """The summary as (level, text, colour): years, templates, statuses, counts, findings."""
    yo, yn = _years(d)
    items: list[tuple[int, str, str | None]] = []
    for s in (d.old, d.new):
        c = s.counts
        items.append((0, _("{year}  {agency}  template {template}  {mark} {status} ({errors}, "
                           "{warnings})").format(
            year=s.year, agency=visible(s.printed_as or "?"), template=template_name(s.template),
            mark=STATUS_MARK.get(s.status, ""), status=status_name(s.status),
            errors=plural(c.get("error", 0), "error"),
            warnings=plural(c.get("warning", 0), "warning")), None))
    if d.template_changed:
        items.append((0, _("template changed: {old} ({old_year}) → {new} ({new_year})").format(
            old=template_name(d.old.template), old_year=yo, new=template_name(d.new.template), new_year=yn), "yellow"))
    else:
        items.append((0, _("template {template} in both years").format(template=template_name(d.new.template)),
                      None))
    c = d.counts()
    scope = "" if d.tables == labels.TABLES else " (" + ", ".join(d.tables) + ")"
    items.append((0, _("figures{scope}: {changed} changed, {unchanged} unchanged, {only_old} only "
                       "in {old_year}, {only_new} only in {new_year}").format(
        scope=scope, changed=c[CHANGED], unchanged=c["unchanged"], only_old=c[ONLY_OLD],
        old_year=yo, only_new=c[ONLY_NEW], new_year=yn), None))
    items += [(0, f"{labels.SECTION_TITLES[p.section][:1]} {_prose_line(p)}", None) for p in d.prose]
    if d.numbers:
        items.append((0, _("numbers stated in the prose: {count} changed").format(
            count=len(d.numbers)), None))
    head = (_("cross-year findings of {year}:") if d.cross_year
            else _("cross-year findings of {year}: none")).format(year=d.cross_year_year)
    items.append((0, head, None))
    for f in d.cross_year:
        tag = (f"{severity_name(f.severity)} {f.rule}"
               + (f" ({review_name(f.review)})" if f.review else ""))
        items.append((1, f"{tag}  {visible(f.shown())}",
                      {"error": "red", "warning": "yellow"}.get(f.severity)))
    return items


def summary_lines(d: Diff, paint: Paint) -> list[str]:
    yo, yn = _years(d)
    out = [paint(f"{visible(d.new.agency or d.old.agency or '?')}: {yo} → {yn}", bold=True)]
    for level, text, fg in summary_items(d):
        lead = "  " * (level + 1)
        out += [paint(ln, fg=fg) for ln in wrap(text, 78, indent=lead + "    ", first=lead)]
    return out


def _row_head(key: str, paint: Paint) -> str:
    table, rest = key.split(".", 1)
    row_key = rest.rsplit(".", 1)[0]
    tag = f"[{table}.{row_key}]"
    label = visible(labels.row_label_of(key))
    return "  " + pad(label, min(width(label), 76 - len(tag) - 2)) + "  " + paint(tag, dim=True)


def _parent_heading(key: str, before: str | None, indent: str, paint: Paint) -> list[str]:
    """The parent row (（三）不予公开…) of ``key``'s row as a heading line, where the rows
    listed so far were under another (``before``); none for a row under no parent."""
    parent = labels.category_of(key)
    return [indent + paint(parent, bold=True)] if parent and parent != before else []


def _change_line(f: FigureDiff, paint: Paint) -> str:
    column = f.key.rsplit(".", 1)[1]
    return ("    " + pad(labels.column_label_of(f.key), 14) + " " + paint(pad(column, 15), dim=True)
            + " " + paint(pad(value_text(f.old), 12, True), fg="red") + " → "
            + paint(pad(value_text(f.new), 12), fg="green")
            + pad(delta_text(f.delta), 10, True))


def _only_lines(figs: list[FigureDiff], year: str, paint: Paint) -> list[str]:
    why = figs[0].reason
    note = (_("not in the other year's template") if why == BY_TEMPLATE
            else _("not read in the other year"))
    out = [paint(_("  only in {year} ({note}):").format(year=year, note=note), fg="yellow")]
    parent = None
    for _row, group in groupby(figs, key=lambda f: f.key.rsplit(".", 1)[0]):
        items = list(group)
        out += _parent_heading(items[0].key, parent, "    ", paint)
        parent = labels.category_of(items[0].key)
        out.append("  " + _row_head(items[0].key, paint))
        cells = " · ".join(f"{labels.column_label_of(f.key)} {value_text(f.old or f.new)}"
                           for f in items)
        out += wrap(cells, 76, indent="        ", first="      ")
    return out


def _regroup_lines(rs: list[Regrouped], d: Diff, paint: Paint) -> list[str]:
    yo, yn = _years(d)
    r0 = rs[0]
    wy, py = (yo, yn) if r0.whole_is_old else (yn, yo)
    parts = "+".join(labels.row_label_of(k).split(".", 1)[0] for k in r0.part_keys)
    out = wrap(_("{row} ({whole_year}, one row) against the sum of its sub-rows {parts} "
                 "({parts_year})").format(row=labels.row_label_of(r0.whole_key), whole_year=wy,
                                          parts=parts, parts_year=py),
               76, indent="    ", first="  ")
    for r in rs:
        whole = value_text(r.whole)
        summed = "+".join(value_text(p) for p in r.parts) + " = " + (
            format_number(r.total) if r.total is not None else "?")
        old, new = (whole, summed) if r.whole_is_old else (summed, whole)
        out.append("    " + pad(labels.column_label_of(r.whole_key), 14) + " "
                   + paint(pad(r.column, 15), dim=True) + " " + paint(pad(old, 12, True), fg="red")
                   + " → " + paint(pad(new, 16), fg="green")
                   + pad(delta_text(r.delta), 6, True))
    return out


def table_lines(d: Diff, paint: Paint) -> list[str]:
    """Per table: changed figures row by row, rows in one year only, regrouped rows."""
    yo, yn = _years(d)
    out: list[str] = []
    for table in d.tables:
        figs = [f for f in d.figures if f.table == table]
        regs = [r for r in d.regrouped if r.whole_key.startswith(table + ".")]
        if not figs and not regs:
            continue
        out += ["", paint(f"{labels.TABLE_TITLES[table]}  [{table}]", bold=True)]
        changed = [f for f in figs if f.status == CHANGED]
        parent = None
        for _row, group in groupby(changed, key=lambda f: f.key.rsplit(".", 1)[0]):
            items = list(group)
            out += _parent_heading(items[0].key, parent, "  ", paint)
            parent = labels.category_of(items[0].key)
            out.append(_row_head(items[0].key, paint))
            out += [_change_line(f, paint) for f in items]
        for status, year in ((ONLY_OLD, yo), (ONLY_NEW, yn)):
            only = [f for f in figs if f.status == status]
            for _why, group in groupby(only, key=lambda f: f.reason):
                out += _only_lines(list(group), year, paint)
        for _whole, regrouped in groupby(regs, key=lambda r: r.whole_key.rsplit(".", 1)[0]):
            out += _regroup_lines(list(regrouped), d, paint)
    return out


_MARK = {NEW: ("+", "green"), DROPPED: ("-", "red"), EDITED: ("~", "yellow"),
         REPEATED: ("=", None)}


def prose_lines(d: Diff, paint: Paint) -> list[str]:
    """Each narrative section sentence by sentence; repeated sentences kept to one line."""
    out: list[str] = []
    for p in d.prose:
        out += ["", *[paint(ln, bold=True)
                      for ln in wrap(f"{visible(p.title)}  {_prose_line(p)}", 78, indent="    ")]]
        for s in p.sentences:
            mark, fg = _MARK[s.status]
            text = visible(s.text)
            if s.status == REPEATED:
                out.append(paint(pad(f"  {mark} {text}", 78), dim=True).rstrip())
                continue
            out += [paint(ln, fg=fg) for ln in wrap(text, 78, indent="    ", first=f"  {mark} ")]
            if s.status == EDITED and s.old_text:
                out += [paint(ln, dim=True) for ln in wrap(
                    visible(s.old_text), 78, indent="    ",
                    first=_("    was ({similarity:.0f}%): ").format(similarity=s.similarity))]
    if d.numbers:
        out += ["", paint(_("numbers stated in the prose"), bold=True)]
        for n in d.numbers:
            head = f"  {labels.SECTION_TITLES[n.new.section][:1]}  …{visible(n.new.context)} ({n.new.unit})"
            out.append(pad(head, 44) + paint(pad(format_number(n.old.value), 10, True), fg="red")
                       + " → " + paint(pad(format_number(n.new.value), 10), fg="green")
                       + pad(delta_text(n.delta), 10, True))
    return out


LEGEND = N_("values: blank = nothing printed, unplaced = a row with more or fewer values than "
            "the template, absent = not in that report; placeholders as printed, !x = not a "
            "number. prose: + new  - dropped  ~ edited  = repeated")


def diff_text(d: Diff, color: bool = False) -> str:
    """The whole diff for a terminal: summary first, then the tables, then the prose."""
    paint = painter(color)
    body = summary_lines(d, paint) + table_lines(d, paint) + prose_lines(d, paint)
    return "\n".join(body + ["", *[paint(ln, dim=True) for ln in wrap(_(LEGEND), 78, indent="  ")]])


# ------------------------------------------------------------------------------ markdown


def _md(s: str) -> str:
    return visible(s).replace("|", "\\|").replace("\n", " ")


def _md_table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    h = list(header)
    return (["| " + " | ".join(h) + " |", "|" + "---|" * len(h)]
            + ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows])


def diff_markdown(d: Diff) -> str:
    """The diff as markdown: a summary list, a table per template table, prose as lists."""
    yo, yn = _years(d)
    out = [f"## {_md(d.new.agency or d.old.agency or '?')}: {yo} → {yn}", ""]
    out += [("  " * level) + "- " + _md(text) for level, text, _fg in summary_items(d)]
    for table in d.tables:
        figs = [f for f in d.figures if f.table == table]
        regs = [r for r in d.regrouped if r.whole_key.startswith(table + ".")]
        if not figs and not regs:
            continue
        out += ["", f"### {labels.TABLE_TITLES[table]}", ""]
        rows: list[list[str]] = []
        before: str | None = None
        for f in figs:
            parent = labels.category_of(f.key)
            if parent and parent != before:
                rows.append(["", f"**{parent}**", "", "", "", ""])  # the parent row, a heading
            before = parent
            rows.append([f.key, labels.row_label_of(f.key), labels.column_label_of(f.key),
                         value_text(f.old), value_text(f.new), delta_text(f.delta) or
                         {ONLY_OLD: _("only in {year}").format(year=yo),
                          ONLY_NEW: _("only in {year}").format(year=yn)}.get(f.status, "")])
        out += _md_table(["key", _("row"), _("column"), yo, yn, "Δ"], rows)
        if regs:
            out += ["", _("{row} against the sum of its sub-rows:").format(
                row=labels.row_label_of(regs[0].whole_key)), ""]
            out += _md_table(["key", _("column"), _("one row"), _("sum of sub-rows"), "Δ"], [
                [r.whole_key, labels.column_label_of(r.whole_key), value_text(r.whole),
                 "+".join(value_text(p) for p in r.parts) + " = "
                 + (format_number(r.total) if r.total is not None else "?"),
                 delta_text(r.delta) if r.status == CHANGED else ""] for r in regs])
    for p in d.prose:
        out += ["", f"### {_md(p.title)}", "", _prose_line(p), ""]
        for s in p.sentences:
            mark = {NEW: "**" + _("new") + "**", DROPPED: "~~" + _("dropped") + "~~",
                    EDITED: "*" + _("edited") + "*", REPEATED: _("repeated")}[s.status]
            text = f"~~{_md(s.text)}~~" if s.status == DROPPED else _md(s.text)
            out.append(f"- {mark}: {text}")
            if s.status == EDITED and s.old_text:
                out.append(_("  - was ({similarity:.0f}%): {text}").format(
                    similarity=s.similarity, text=_md(s.old_text)))
    if d.numbers:
        out += ["", "### " + _("numbers stated in the prose"), ""]
        out += _md_table([_("section"), _("about"), yo, yn, "Δ"], [
            [labels.SECTION_TITLES[n.new.section][:1], f"…{n.new.context} ({n.new.unit})",
             format_number(n.old.value), format_number(n.new.value), delta_text(n.delta)]
            for n in d.numbers])
    return "\n".join(out) + "\n"
