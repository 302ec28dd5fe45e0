"""Placing the values of printed rows in the template's columns, as figures.

A row whose value count differs from its template row is kept as read and reported (S-CELLS);
nothing is shifted into a neighbouring row. Surplus empty cells at a grid row's edges are
dropped only when that is unambiguous. Every irregularity becomes a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from goitui import labels
from goitui.i18n import Phrase
from goitui.model import (
    BLANK,
    ERROR,
    INFO,
    NUMBER,
    PLACEHOLDER,
    UNPLACED,
    UNREADABLE,
    WARNING,
    Figure,
    Finding,
    Line,
)
from goitui.parse.classify import CATEGORY, ROW, UNKNOWN, template_markers
from goitui.parse.rows import Cell, RowRead
from goitui.text import CONVERTED, Value, column_unit, in_column, parse_value


@dataclass
class TableResult:
    figures: dict[str, Figure] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    rows_found: set[str] = field(default_factory=set)
    #: rows read by OCR whose label matched no template row: their values are no figures,
    #: and the rows of the table not found are named once the template is known
    unmatched: list[RowRead] = field(default_factory=list)


#: a label matched below this (rapidfuzz, not the same words) may be an OCR misreading of
#: another row's label (99: the same words but for numbering or a note in brackets)
OCR_LABEL_SURE = 99.0


def ocr_where(row: RowRead) -> str | None:
    """Where a row read by OCR is on the scan: its line and the box around its values (or
    its label, with no values); None for a row not read by OCR."""
    marks = [c.mark for c in row.values if c.mark is not None] or [
        m for m in row.line.marks or [] if m is not None]
    if not marks:
        return None
    corners = [[int(v) for v in m.box.split(",")] for m in marks if m.box.count(",") == 3]
    if not corners:
        return row.line.where()
    box = ",".join(str(f(c[i] for c in corners)) for i, f in enumerate((min, min, max, max)))
    return f"{row.line.where()}, box {box}"


def unmatched_ocr_findings(table: str, rows: list[RowRead],
                           missing: list[labels.Row]) -> list[Finding]:
    """S-OCR for each row read by OCR whose label matched no template row: OCR may have
    misread (or the scan shows only part of) the label of one of the rows not found, so those
    rows' figures are named as doubtful — the values stay unplaced, never put in a row a
    label does not name."""
    out = []
    for row in rows:
        where = ocr_where(row) or row.line.where()
        fits = [r for r in missing if len(r.keys()) == len(row.values)] or missing
        what = (Phrase("the label {label!r}", label=row.label) if row.label
                else Phrase("no row label"))
        rows_phrase = (Phrase("rows of the table not found: {rows}; OCR may have misread "
                              "the label of one of them",
                              rows="、".join(r.label for r in fits)) if fits
                       else Phrase("every row of the table was found"))
        out.append(Finding(
            "S-OCR", WARNING, Phrase("OCR read a row of {table} with {what} that matches no "
                                     "template row ({where}): its values {values} are not "
                                     "figures; {rows} — check it on the scan",
                                     table=labels.TABLE_TITLES[table], what=what, where=where,
                                     values=" ".join(c.text or "␣" for c in row.values),
                                     rows=rows_phrase),
            keys=[k for r in fits for k in r.keys()], section=labels.TABLE_SECTION[table],
            actual=[c.text for c in row.values], source=where, line=row.line.line))
    return out


def _columns_for(row: RowRead, section_template: str) -> tuple[labels.Row | None, str]:
    """The template row a proactive row is read against: its own header first."""
    has19, has21 = template_markers(row.header)
    order = []
    if has19 != has21:
        order.append(labels.T2019 if has19 else labels.T2021)
    if section_template in (labels.T2019, labels.T2021):
        order.append(section_template)
    if row.key is None:
        return None, section_template
    by_count = []
    for t in (labels.T2019, labels.T2021):
        tr = _PROACTIVE_ROWS[t].get(row.key)
        if tr is not None and len(tr.columns) == len(_trimmed(row, len(tr.columns))):
            by_count.append(t)
    order += by_count + [labels.T2021, labels.T2019]
    for t in order:
        tr = _PROACTIVE_ROWS[t].get(row.key)
        if tr is not None:
            return tr, t
    return None, section_template


_PROACTIVE_ROWS = {t: {r.key: r for r in labels.proactive_rows(t)} for t in (labels.T2019, labels.T2021)}


def _trimmed(row: RowRead, expected: int, pad: str = "") -> list[Cell]:
    """Surplus empty cells at the edges of a grid row are layout (a label spanning two
    columns, padding to the table's width), not blank values — when that is unambiguous.

    With blanks at both edges and fewer printed cells than the template row, which edge
    holds the blank values is read from how the table's complete rows are padded (``pad``:
    "end" or "start"); without that evidence the row is kept as read (S-CELLS).
    """
    vals = list(row.values)
    if len(vals) <= expected:
        return vals
    filled = [i for i, c in enumerate(vals) if not c.blank_ok]
    if not filled:
        return vals[:expected]  # all blank: nothing can shift
    first, last = filled[0], filled[-1]
    core = vals[first:last + 1]
    if len(core) >= expected:
        return core  # exactly the template's cells, or too many: S-CELLS says so
    if first == 0 or pad == "end":
        return vals[:expected] if last < expected else vals  # padding after the cells
    if last == len(vals) - 1 or pad == "start":
        return vals[-expected:] if len(vals) - first <= expected else vals
    return vals


_GROUP_HEAD, _GROUP = re.compile(r"^\d{1,3}$"), re.compile(r"^\d{3}$")


def _thousands(vals: list[Cell], expected: int) -> tuple[list[Cell], list[str]]:
    """Space-separated text where the template's cell count says a number was printed with
    a thousands space (``行政许可 2 008`` for one cell): the groups joined, when exactly one
    way of joining gives the template's count. Only for values split out of running text —
    a cell the reader knew (PDF, Word, HTML, tab) was read whole already. Returns the cells
    and the numbers joined (for the finding); unchanged when it is ambiguous (S-CELLS)."""
    excess = len(vals) - expected
    if excess <= 0 or any(c.line.grid for c in vals):
        return vals, []
    texts = [c.text.strip() for c in vals]
    joints = [i for i in range(1, len(texts))
              if _GROUP.match(texts[i]) and _GROUP_HEAD.match(texts[i - 1])]
    if len(joints) != excess:
        return vals, []  # more places to join than numbers too many: no way to tell which
    out: list[Cell] = []
    joined: list[str] = []
    for i, c in enumerate(vals):
        if i in joints:
            prev = out[-1]
            out[-1] = Cell(f"{prev.text} {c.text}", prev.line)
            if i - 1 not in joints:
                joined.append(out[-1].text)
            else:
                joined[-1] = out[-1].text
        else:
            out.append(c)
    return out, joined


def padding_side(rows: list[RowRead], expected: int) -> str:
    """Which edge a table's complete rows are padded on: "end", "start", or "" (unknown)."""
    ends = starts = 0
    for row in rows:
        if row.kind != ROW or len(row.values) <= expected:
            continue
        filled = [i for i, c in enumerate(row.values) if not c.blank_ok]
        if not filled or filled[-1] - filled[0] + 1 != expected:
            continue
        lead, trail = filled[0], len(row.values) - 1 - filled[-1]
        ends += trail > 0 and lead == 0
        starts += lead > 0 and trail == 0
    return "end" if ends and not starts else "start" if starts and not ends else ""


_TEMPLATE_ROWS = {(r.table, r.key): r for r in labels.APPLICATIONS + labels.REVIEWS}


def _template_row(table: str, key: str) -> labels.Row | None:
    return _TEMPLATE_ROWS.get((table, key))


def rows_to_figures(table: str, rows: list[RowRead], section_template: str) -> TableResult:
    """Figures from printed rows; every irregularity becomes a finding."""
    res = TableResult()
    section = labels.TABLE_SECTION[table]
    rows = _resolve_other(rows) if table != "reviews" else _join_review_parts(rows)
    pad = padding_side(rows, len(labels.APPLICANT_COLUMNS)) if table == "applications" else ""
    empty: set[str] = set()  # rows placed from a label with no numbers after it
    for row in rows:
        if row.kind == CATEGORY:
            if row.values:
                res.findings.append(Finding(
                    "S-LABEL", INFO, Phrase("category row {label} carries its own numbers "
                                            "({values}); kept out of the figures as a subtotal",
                                            label=row.label,
                                            values=" ".join(c.text for c in row.values)),
                    section=section, actual=[c.text for c in row.values], source=row.line.where(),
                    line=row.line.line))
            continue
        if row.kind == UNKNOWN or row.key is None:
            if row.values and ocr_where(row) is not None:
                res.unmatched.append(row)
            if row.values:
                what = (Phrase("the label {label!r}", label=row.label) if row.label
                        else Phrase("no row label"))
                res.findings.append(Finding(
                    "S-LABEL", WARNING, Phrase("a row in table {table} with {what} matched no "
                                               "template row; its values {values} are not figures",
                                               table=labels.TABLE_TITLES[table], what=what,
                                               values=" ".join(c.text for c in row.values)),
                    section=section, expected=None, actual=[c.text for c in row.values],
                    source=row.line.where(), line=row.line.line))
            continue
        if table == "reviews":
            _reviews_row(row, res)
            continue
        if table == "proactive":
            trow, _ = _columns_for(row, section_template)
        else:
            trow = _template_row(table, row.key)
        if trow is None:
            continue
        if row.key in res.rows_found and row.values and row.key in empty:
            # printed first without numbers (a label in a header row): the numbers are here
            res.findings.append(Finding(
                "S-LABEL", INFO, Phrase("row {label} is printed twice, first without numbers; "
                                        "the numbers are read from the second", label=trow.label),
                keys=trow.keys(), section=section,
                source=row.line.where(), line=row.line.line))
            empty.discard(row.key)
            _place(row, trow, trow.keys(), res, section, pad)
            continue
        if row.key in res.rows_found:
            if row.values:
                res.findings.append(Finding(
                    "S-LABEL", WARNING, Phrase("row {label} is printed twice; the second time "
                                               "({values}) is not used", label=trow.label,
                                               values=" ".join(c.text for c in row.values)),
                    keys=trow.keys(), section=section, source=row.line.where(), line=row.line.line))
            continue
        res.rows_found.add(row.key)
        if not row.values:
            empty.add(row.key)
        _place(row, trow, trow.keys(), res, section, pad)
    return res


def _resolve_other(rows: list[RowRead]) -> list[RowRead]:
    """（六）其他处理 is a data row in 2019 and a category above three sub-rows in 2021."""
    out = []
    for i, row in enumerate(rows):
        if row.key == "other" and not row.values:
            nxt = next((r for r in rows[i + 1:] if r.kind == ROW), None)
            if nxt is not None and nxt.key and nxt.key.startswith("other."):
                row.kind = CATEGORY
        out.append(row)
    return out


_REVIEW_PARTS = (("复议后",), ("未经复议", "直接起诉"), ("行政复议",))  # tested in this order


def _review_part(header: str) -> int | None:
    """Which third of the 行政复议/行政诉讼 row a five-column table holds, from its header."""
    for found, words in zip((2, 1, 0), _REVIEW_PARTS, strict=True):
        if any(w in header for w in words):
            return found
    return None


def _join_review_parts(rows: list[RowRead]) -> list[RowRead]:
    """Table 四 printed as three tables of five columns (复议, 直接起诉, 复议后起诉): one row.

    The parts are put in the template's order by their headers; where no header names them
    they are taken as printed, and where only some do the rows stay apart (and are reported).
    """
    width = len(labels.REVIEW_COLUMNS)
    parts = [r for r in rows if r.key == "reviews" and r.values]
    if len(parts) != 3 or any(len(r.values) != width for r in parts):
        return rows
    # the header words above a part, without those above the parts before it
    heads = [b.header[len(a.header):] if b.header.startswith(a.header) else b.header
             for a, b in zip([RowRead("", None, "", 0.0, parts[0].line), *parts], parts, strict=False)]
    found = [_review_part(h) for h in heads]
    order = [o for o in found if o is not None]
    if not order:
        order = [0, 1, 2]
    elif sorted(order) != [0, 1, 2]:
        return rows
    ordered = [r for _, r in sorted(zip(order, parts, strict=True), key=lambda p: p[0])]
    first = parts[0]
    joined = RowRead(first.table, first.key, first.label, first.score, first.line,
                     values=[c for r in ordered for c in r.values], header=first.header)
    return [joined if r is first else r for r in rows if all(r is not p or r is first for p in parts)]


def _reviews_row(row: RowRead, res: TableResult) -> None:
    keys = [k for r in labels.REVIEWS for k in r.keys()]
    if "reviews" in res.rows_found:
        if row.values:
            res.findings.append(Finding(
                "S-LABEL", WARNING, Phrase("more numbers after the 行政复议/行政诉讼 row: {values}",
                                           values=" ".join(c.text for c in row.values)),
                section=4, source=row.line.where(),
                line=row.line.line))
        return
    res.rows_found.add("reviews")
    fake = labels.Row("reviews", "reviews", "行政复议、行政诉讼", labels.REVIEW_COLUMNS * 3, labels.BOTH)
    _place(row, fake, keys, res, 4)


def _unit_finding(key: str, value: Value, done: str, section: int, line: Line) -> Finding:
    """S-UNIT (info) for a cell converted to its column's unit; S-VALUE (warning) for a unit
    that cannot be: the cell is then kept as text, never stored as a number in another unit."""
    label = labels.label_of(key)
    if done == CONVERTED:
        return Finding("S-UNIT", INFO, Phrase(
            "{label} is printed as {raw} in a column in {unit}: stored as {value} {unit}, "
            "the printed text kept", label=label, raw=value.raw, unit=value.unit,
            value=format(value.value, "g")), keys=[key], section=section, expected=column_unit(key),
            actual=value.raw, source=line.where(), line=line.line)
    return Finding("S-VALUE", WARNING, Phrase(
        "{label} is printed as {raw}, in {unit}, which is not the unit of its column ({column}) "
        "and cannot be converted: not stored as a number", label=label, raw=value.raw,
        unit=value.unit, column=column_unit(key)), keys=[key], section=section,
        expected=column_unit(key), actual=value.raw, source=line.where(), line=line.line)


def _page_number(vals: list[Cell], expected: int) -> Cell | None:
    """A page number left between two rows of a text copied out of a page layout: one number
    more than the template row has, alone on a line of its own after a line that held all the
    row's cells together. A value wrapped onto the next line would complete the row, never
    exceed it; nor are rows printed one cell per line ever read this way."""
    if len(vals) != expected + 1 or expected < 2:
        return None
    last, rest = vals[-1], vals[:-1]
    lines = {id(c.line) for c in rest}
    if (len(lines) != 1 or last.line is rest[-1].line or len(last.line.cells) != 1
            or len(rest[-1].line.cells) < expected):
        return None
    value = last.value or parse_value(last.text)
    if value.kind != NUMBER or value.unit is not None or not re.fullmatch(r"\d{1,3}", last.text.strip()):
        return None
    return last


def _place(row: RowRead, trow: labels.Row, keys: list[str], res: TableResult, section: int,
           pad: str = "") -> None:
    vals, joined = _thousands(_trimmed(row, len(keys), pad), len(keys))
    label = row.label or trow.label
    stray = _page_number(vals, len(keys))
    if stray is not None:
        vals = vals[:-1]
        res.findings.append(Finding(
            "S-VALUE", INFO, Phrase("{label}: the number {number} alone on the line after the "
                                    "row (a page number between rows) is not one of its values",
                                    label=trow.label, number=stray.text.strip()),
            keys=keys, section=section, actual=stray.text, source=stray.line.where(),
            line=stray.line.line))
    if joined:
        res.findings.append(Finding(
            "S-VALUE", INFO, Phrase("{label}: {numbers} read as one number each (a thousands "
                                    "space), as the template row has {cells} cells",
                                    label=trow.label, numbers="、".join(joined), cells=len(keys)),
            keys=keys, section=section, actual=joined, source=row.line.where(),
            line=row.line.line))
    if not vals:
        for k in keys:
            res.figures[k] = Figure(k, None, BLANK, "", None, row.line.line, row.line.where(),
                                    label, row.score)
        return
    where = ocr_where(row)
    if len(vals) != len(keys):
        raw = " | ".join(c.text for c in vals)
        glued = [c.text for c in vals if c.glued]
        if glued:
            res.findings.append(Finding(
                "S-CELLS", ERROR,
                Phrase("{label}: the digits {digits} are printed run into the row label, with "
                       "no space to tell them apart ({printed} values where the template has "
                       "{cells} cells: {raw}); kept as read, not placed in columns — check the "
                       "row in the file", label=trow.label, digits="、".join(glued),
                       printed=len(vals), cells=len(keys), raw=raw),
                keys=keys, section=section, expected=len(keys), actual=len(vals),
                source=where or row.line.where(), line=row.line.line))
        elif where is not None:
            res.findings.append(Finding(
                "S-OCR", WARNING, Phrase("OCR read {printed} values in {label} where the template "
                                         "has {cells} ({where}): a digit missed, or a speck or "
                                         "a rule read as one — check the row on the scan",
                                         label=trow.label, printed=len(vals), cells=len(keys),
                                         where=where),
                keys=keys, section=section, expected=len(keys), actual=len(vals), source=where,
                line=row.line.line))
        if not glued:
            res.findings.append(Finding(
                "S-CELLS", ERROR,
                Phrase("{label}: {printed} values printed where the template has {cells} cells "
                       "({raw}); kept as read, not placed in columns", label=trow.label,
                       printed=len(vals), cells=len(keys), raw=raw), keys=keys, section=section,
                expected=len(keys), actual=len(vals), source=row.line.where(),
                line=row.line.line))
        for k in keys:
            res.figures[k] = Figure(k, None, UNPLACED, raw, None, row.line.line,
                                    row.line.where(), label, row.score)
        return
    if where is not None and row.score < OCR_LABEL_SURE:
        res.findings.append(Finding(
            "S-OCR", WARNING, Phrase("OCR read the row label {printed!r} ({where}), which is "
                                     "{label} only approximately (match {score:.0f}/100): its "
                                     "values are placed there — check the label on the scan",
                                     printed=label, where=where, label=trow.label,
                                     score=row.score),
            keys=keys, section=section, expected=trow.label, actual=label, source=where,
            line=row.line.line))
    if row.score < 100.0:
        res.findings.append(Finding(
            "S-LABEL", INFO, Phrase("row label {printed!r} read as {label} (match {score:.0f}/100)",
                                    printed=label, label=trow.label, score=row.score),
            keys=keys, section=section, expected=trow.label, actual=label,
            source=row.line.where(), line=row.line.line))
    score, figures = row.score, res.figures
    for k, cell in zip(keys, vals):
        v, done = in_column(cell.value or parse_value(cell.text), k)
        line = cell.line
        if done is not None:
            res.findings.append(_unit_finding(k, v, done, section, line))
        figures[k] = Figure(k, v.value, v.kind, cell.text, v.unit, line.line, line.where(),
                            label, score, *((cell.mark.confidence, cell.mark.box) if cell.mark
                                            else ()))
        if v.kind in (PLACEHOLDER, UNREADABLE) and done is None:
            severity, what = ((INFO, Phrase("the placeholder")) if v.kind == PLACEHOLDER else
                              (WARNING, Phrase("the text")))
            res.findings.append(Finding(
                "S-VALUE", severity, Phrase("{label} holds {what} {text!r}, not a number",
                                            label=labels.label_of(k), what=what, text=cell.text),
                keys=[k], section=section, actual=cell.text, source=line.where(),
                line=line.line))
