"""Plain-text rendering for the terminal: widths measured (Chinese is two cells), text made safe.

Shared by the CLI and the browser, so that a report reads the same everywhere.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wcwidth import wcswidth

from goitui import labels
from goitui.i18n import _, ngettext
from goitui.model import (
    BLANK,
    MISSING,
    NUMBER,
    PLACEHOLDER,
    STATUS_MARK,
    UNPLACED,
    Figure,
    Report,
    decided,
    review_name,
    severity_name,
    shown_place,
    status_name,
    template_name,
)
from goitui.text import format_number, visible

if TYPE_CHECKING:
    from goitui.archive.roster import Coverage

BLANK_MARK = "·"
UNPLACED_MARK = "?"
#: a coverage cell (``archive.roster.coverage``): the report's status mark, or — where none is
COVERAGE_MARK = {**STATUS_MARK, MISSING: "—"}


def coverage_name(status: str) -> str:
    """A coverage cell in words: the report's status, or that no report was submitted."""
    return _("not submitted") if status == MISSING else status_name(status)


def coverage_summary(coverage: Coverage) -> str:
    """The line under a coverage matrix, in the CLI and the browser alike."""
    return _("{agencies} agencies × {years} years; {missing} reports missing").format(
        agencies=len(coverage.rows), years=len(coverage.years), missing=coverage.missing_count())


def shown_path(path: str, archive: Path | None = None) -> str:
    """A source path as short as it can be and still found: relative to the working
    directory, else to the archive's folder, else as stored (absolute)."""
    return path_shower(archive)(path)


def path_shower(archive: Path | None = None) -> Callable[[str], str]:
    """``shown_path`` for many paths (a listing): the working directory and the archive's
    folder resolved once, not for every path (each a few system calls).

    On POSIX a path written plainly (no ``//``, no ``/./``) is placed by its text alone: its
    parts are then its ``/``-separated pieces, so it is under a folder exactly when it starts
    with the folder's name and a ``/``; any other path is asked of ``pathlib`` as one by one."""
    bases = [base.resolve() for base in (Path.cwd(), archive.parent if archive is not None else None)
             if base is not None]
    plain = os.sep == "/" and os.altsep is None
    folders = [str(base) for base in bases]

    def shown(path: str) -> str:
        if not plain or "//" in path or "/./" in path or path.endswith("/.") or "/" in folders:
            return placed(path, bases)
        if not path.startswith("/"):
            return path
        for folder in folders:
            if path.startswith(folder) and path[len(folder):len(folder) + 1] in ("", "/"):
                return path[len(folder) + 1:].rstrip("/") or "."
        return path
    return shown


def placed(path: str, bases: list[Path]) -> str:
    """``path`` relative to the first of ``bases`` (resolved folders) it is under, by its
    parts as ``pathlib`` reads them; as given when relative or under none."""
    p = Path(path)
    if not p.is_absolute():
        return path
    for base in bases:
        try:
            return str(p.relative_to(base))
        except ValueError:
            pass
    return path


def plural(n: int, word: str) -> str:
    """``1 error``, ``2 errors``, ``3 info`` (a mass noun), ``1 report``; 3 个错误 in Chinese."""
    if word == "error":
        text = ngettext("{count} error", "{count} errors", n)
    elif word == "warning":
        text = ngettext("{count} warning", "{count} warnings", n)
    elif word == "info":
        text = ngettext("{count} info", "{count} info", n)
    elif word == "report":
        text = ngettext("{count} report", "{count} reports", n)
    else:
        return f"{n} {word}" + ("" if n == 1 else "s")
    return text.format(count=n)


def width(s: str) -> int:
    w = wcswidth(s)
    return w if w >= 0 else len(s)


def fit(s: str, w: int) -> str:
    """Cut ``s`` to at most ``w`` terminal cells, marking the cut with …."""
    if width(s) <= w:
        return s
    out, used = "", 0
    for ch in s:
        cw = max(width(ch), 0)
        if used + cw > w - 1:
            break
        out += ch
        used += cw
    return out + "…"


def pad(s: str, w: int, right: bool = False) -> str:
    s = fit(s, w)
    gap = " " * (w - width(s))
    return gap + s if right else s + gap


def cell_text(f: Figure | None) -> str:
    """How a figure shows in a table: blank is never shown as 0."""
    if f is None:
        return ""
    if f.kind == NUMBER:
        return format_number(f.value) + (f.unit if f.unit and f.unit != "件" else "")
    if f.kind == BLANK:
        return BLANK_MARK
    if f.kind == UNPLACED:
        return UNPLACED_MARK
    return visible(f.raw.strip()) if f.kind == PLACEHOLDER else "!" + visible(f.raw.strip())


def grid(header: list[str], rows: list[list[str]], label_width: int, cell_width: int) -> list[str]:
    """A table in columns; a row of a label alone is a heading line (a parent row)."""
    out = [pad(header[0], label_width) + "".join(pad(h, cell_width, True) for h in header[1:])]
    for r in rows:
        out.append(pad(r[0], label_width) + "".join(pad(c, cell_width, True) for c in r[1:])
                   if len(r) > 1 else r[0])
    return out


def with_parents(rows: list[tuple[labels.Row, list[Figure | None]]]) -> list[list[str]]:
    """Table rows as text, each parent row (（三）不予公开…, no values of its own) a heading
    line above its numbered rows, which are indented under it (as the browser shows them)."""
    out: list[list[str]] = []
    parent: str | None = None
    for r, figs in rows:
        if r.category and r.category != parent:
            out.append([r.category])
        parent = r.category
        out.append([f"  {r.label}" if r.category else r.label, *[cell_text(f) for f in figs]])
    return out


def table_rows(report: Report, table: str) -> list[tuple[labels.Row, list[Figure | None]]]:
    """The template rows of ``table`` that this report has figures for, in template order."""
    if table == "proactive":
        # a row is shown with the columns (2019 or 2021) it has the most figures in
        best: dict[str, tuple[int, labels.Row]] = {}
        for r in labels.PROACTIVE_2021 + labels.PROACTIVE_2019:
            n = sum(k in report.figures for k in r.keys())
            if n and n > best.get(r.key, (0, r))[0]:
                best[r.key] = (n, r)
        order = [r.key for r in labels.PROACTIVE_2019 + labels.PROACTIVE_2021]
        candidates = tuple(best[k][1] for k in dict.fromkeys(order) if k in best)
    else:
        candidates = labels.rows_for(table, labels.HYBRID)
    out = []
    for r in candidates:
        figs = [report.figures.get(k) for k in r.keys()]
        if any(figs):
            out.append((r, figs))
    return out


def table_text(report: Report, table: str, total_width: int = 80) -> list[str]:
    rows = table_rows(report, table)
    if not rows:
        return [_("  (no table read)")]
    lines: list[str] = []
    if table == "reviews":
        header = ["", *[c.label for c in labels.REVIEW_COLUMNS]]
        body = [[r.label, *[cell_text(f) for f in figs]] for r, figs in rows]
        return grid(header, body, 26, 9)
    if table == "applications":
        header = ["", *[c.label[:2] for c in labels.APPLICANT_COLUMNS]]
        return grid(header, with_parents(rows), max(20, total_width - 7 * 7), 7)
    by_cols: dict[tuple[str, ...], list[list[str]]] = {}
    for r, figs in rows:
        cols = tuple(c.label for c in r.columns)
        by_cols.setdefault(cols, []).append([r.label, *[cell_text(f) for f in figs]])
    for cols, body in by_cols.items():
        lines += grid(["", *cols], body, 22, 16)
    return lines


def report_text(report: Report, width_: int = 80, archive: Path | None = None) -> str:
    """The whole report: title, status, sections with tables, findings."""
    c = report.counts()
    head = [
        f"{visible(report.agency_canonical or report.agency or '?')} {report.year}  "
        + _("({mark} {status}: {counts})").format(
            mark=STATUS_MARK.get(report.status, ""), status=status_name(report.status) or "?",
            counts=_(", ").join(plural(c[s], s) for s in ("error", "warning", "info"))),
        _("template {template} · printed as {agency} · source {source}").format(
            template=template_name(report.template), agency=visible(report.agency or ""),
            source=visible(shown_path(report.source_path, archive)))
        + (_(" (report {part} of {parts})").format(part=report.part, parts=report.parts)
           if report.parts > 1 else "") + _(" · version {version}").format(version=report.version),
        decided(report.agency_from, report.year_from),
        "",
    ]
    body: list[str] = []
    for num, title in labels.SECTION_TITLES.items():
        sec = report.sections.get(num)
        body.append(visible(sec.title) if sec else _("{title}  (missing)").format(title=title))
        table = next((t for t, s in labels.TABLE_SECTION.items() if s == num), None)
        if table:
            body += table_text(report, table, width_)
        elif sec:
            body += [visible(p) for p in sec.body.splitlines() if p.strip()]
        body.append("")
    legend = [_("{blank} blank (not printed)   {unplaced} not placed (see S-CELLS)   "
                "!x not a number").format(blank=BLANK_MARK, unplaced=UNPLACED_MARK)]
    fl = [_("findings:")] + [
        f"  {pad(severity_name(f.severity), 7)} {f.rule:<14} {visible(f.shown())}"
        + (f"  [{shown_place(f.source)}]" if f.source else "")
        + (f"  ({review_name(f.review)}{': ' + visible(f.note) if f.note else ''})"
           if f.review else "")
        for f in report.findings] if report.findings else [_("no findings")]
    return "\n".join(head + body + legend + [""] + fl)
