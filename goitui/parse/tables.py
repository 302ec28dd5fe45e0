"""Reading the three statistical tables by their labels, never by counting numbers.

The cells of a section come as a stream (one per line, or grid rows). A cell whose text
matches a template row label (exactly, or by rapidfuzz with its score kept) opens that row;
the value cells after it (numbers, placeholders, blanks) are its values, up to the next cell
that is not one: a label, header words, a caption or prose close the open row, and text that
is none of these opens a row of its own, reported with any values after it. A row whose value
count differs from its template row is kept as read and reported; nothing is shifted into a
neighbouring row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from goitui import labels
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
from goitui.text import (
    Value,
    clean,
    core_key,
    fold,
    is_value,
    label_key,
    label_key_uncached,
    parse_value,
    split_trailing_values,
)

FUZZY_CUTOFF = 80.0

ROW, CATEGORY, HEADER, CAPTION, PROSE, UNKNOWN = "row", "category", "header", "caption", "prose", "unknown"


@dataclass(slots=True)  # hundreds per report
class Cell:
    text: str
    line: Line
    blank_ok: bool = False  # an empty grid cell after a label: a blank value
    value: Value | None = None  # parse_value(text), when the reader had it already


@dataclass(slots=True)  # hundreds per report
class RowRead:
    """One printed row: its label, how it matched, and its value cells as read."""

    table: str
    key: str | None
    label: str
    score: float
    line: Line
    kind: str = ROW
    values: list[Cell] = field(default_factory=list)
    header: str = ""  # the column header words printed above it (proactive sub-tables)


# ---------------------------------------------------------------- label index


def _header_keys() -> tuple[str, ...]:
    return tuple(dict.fromkeys(label_key(w) for w in labels.HEADER_WORDS))


HEADER_KEYS = _header_keys()
_HEADER_SET = frozenset(HEADER_KEYS)


class LabelIndex:
    """Exact and fuzzy lookup of one table's row and category labels."""

    def __init__(self, entries: list[tuple[str, str, str]]):
        # entries: (printed label, kind, row key or category key)
        self.exact: dict[str, tuple[str, str]] = {}
        self.fuzzy: dict[str, tuple[str, str]] = {}
        for label, kind, key in entries:
            self.exact.setdefault(label_key(label), (kind, key))
            core = core_key(label)
            if len(core) >= 2 and core not in _HEADER_SET:
                self.fuzzy.setdefault(core, (kind, key))
        self._choices = list(self.fuzzy)

    def match(self, text: str) -> tuple[str, str, float] | None:
        """(kind, key, score) for a label cell, or None."""
        k = label_key(text)
        if k in self.exact:
            return (*self.exact[k], 100.0)
        core = core_key(text)
        if core in self.fuzzy:
            return (*self.fuzzy[core], 100.0 if core == k else 99.0)
        if len(core) < 3:
            return None
        best = process.extractOne(core, self._choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            return None
        return (*self.fuzzy[best[0]], round(float(best[1]), 1))


def _proactive_entries() -> list[tuple[str, str, str]]:
    out = []
    for r in labels.PROACTIVE_2021 + labels.PROACTIVE_2019:
        for label in (r.label, *r.aliases):
            out.append((label, ROW, r.key))
    return out


def _application_entries() -> list[tuple[str, str, str]]:
    out = [(r.label, ROW, r.key) for r in labels.APPLICATIONS]
    for label in labels.CATEGORY_LABELS:
        out.append((label, CATEGORY, labels.CATEGORY_KEYS.get(label, "results")))
    return out


INDEX = {"proactive": LabelIndex(_proactive_entries()),
         "applications": LabelIndex(_application_entries()),
         "reviews": LabelIndex([])}

_CAPTION = re.compile(r"第二十条|条例")


def is_header(text: str) -> bool:
    """Column header words, whole or broken (``本年新``/``制作数量``, ``结 结 其 尚``)."""
    parts = [label_key(p) for p in clean(text).split(" ")]
    parts = [p for p in parts if p]
    if not parts:
        return False
    return all(p in _HEADER_SET or any(p in h for h in HEADER_KEYS) for p in parts)


@lru_cache(maxsize=32768)
def classify(table: str, text: str) -> tuple[str, str | None, float]:
    """What a non-value cell is within ``table``'s section."""
    f = fold(text)
    if "勾稽关系" in f:
        return HEADER, None, 0.0
    if _CAPTION.search(f) and len(label_key(text)) < 30:
        return CAPTION, None, 0.0
    k = label_key(text)
    idx = INDEX[table]
    if k in idx.exact:
        kind, key = idx.exact[k]
        return kind, key, 100.0
    if is_header(text):
        return HEADER, None, 0.0
    m = idx.match(text)
    if m is not None:
        return m
    if "。" in text or len(k) > 60:
        return PROSE, None, 0.0
    return UNKNOWN, None, 0.0


# ---------------------------------------------------------------- the reader


def read_rows(table: str, lines: list[Line]) -> list[RowRead]:
    """Every printed row of ``table`` in ``lines`` (a section), with its value cells."""
    rows: list[RowRead] = []
    current: RowRead | None = None
    header_buf: list[str] = []
    header_open = False

    def close() -> None:
        nonlocal current
        if current is not None:
            rows.append(current)
        current = None

    for line in lines:
        # a grid row of nothing but numbers and blanks (the 行政复议/诉讼 row): every cell counts
        label_in_line = table == "reviews" and line.grid and (
            _all_values(line) or _blank_review_row(line, current, header_open, rows))
        if label_in_line and (current is None or current.key is None):
            close()  # a caption above it (单位：件) is not the row the numbers belong to
            current = RowRead(table, "reviews", "", 100.0, line)
        for raw, split_value in _expand(table, line):
            text = clean(raw)
            if not text:
                if line.grid and current is not None and label_in_line:
                    current.values.append(Cell("", line, blank_ok=True))
                continue
            # a number is a value; a placeholder too, but 无 only inside a row, in a run of
            # numbers, or first under the 行政复议 header
            value = parse_value(text)
            if value.kind == NUMBER or value.kind == PLACEHOLDER and (
                    text != "无" or split_value or (current is not None and current.key is not None)
                    or (table == "reviews" and current is None and header_open)):
                if current is None:
                    if table == "reviews":
                        current = RowRead(table, "reviews", "", 100.0, line)
                    else:
                        current = RowRead(table, None, "", 0.0, line, kind=UNKNOWN)
                    label_in_line = True
                current.values.append(Cell(text, line, value=value))
                continue
            kind, key, score = classify(table, text)
            if kind == HEADER:
                close()
                if not header_open:
                    header_buf.clear()
                header_open = True
                header_buf.append(text)
                continue
            if kind == CAPTION:
                close()
                header_buf.clear()
                header_open = False
                continue
            if kind in (PROSE,):
                close()
                continue
            if (kind == UNKNOWN and line.grid and current is not None and current.line is line
                    and current.kind == ROW and current.key is not None):
                # a cell of a row this grid line labels, but not a number (约2, 2件左右):
                # it keeps its place among the row's cells, as an unreadable value
                current.values.append(Cell(text, line, value=parse_value(text)))
                continue
            if (kind == UNKNOWN and current is not None and current.kind == ROW
                    and not current.values and not line.grid
                    and _continue_label(table, current, text)):
                continue  # a label wrapped onto the next line
            close()
            header_open = False
            current = RowRead(table, key, text, score, line, kind=kind,
                              header="".join(header_buf))
            label_in_line = True
    close()
    return rows


def _continue_label(table: str, row: RowRead, more: str) -> bool:
    """``（二）部分公开（区分处理的，只计这一`` + ``情形，不计其他情形）``: one label, when the
    two together match a row at least as well as the first part did. Otherwise the text is a
    row of its own (a non-template row under a row whose cells were all blank)."""
    joined = f"{row.label}{more}"
    kind, key, score = classify(table, joined)
    if kind != ROW or key is None or score < row.score:
        return False
    row.label, row.key, row.score = joined, key, score
    return True


def _blank_review_row(line: Line, current: RowRead | None, header_open: bool,
                      rows: list[RowRead]) -> bool:
    """The 行政复议/诉讼 row of a blank form: a grid row of empty cells under the header."""
    return (current is None and header_open and len(line.cells) >= 5
            and not any(clean(c) for c in line.cells)
            and not any(r.key == "reviews" for r in rows))


def _all_values(line: Line) -> bool:
    """A grid row of numbers, placeholders and blanks only, with at least one number."""
    texts = [clean(c) for c in line.cells]
    return any(parse_value(t).kind == NUMBER for t in texts) and all(
        not t or is_value(t) for t in texts)


def _expand(table: str, line: Line) -> list[tuple[str, bool]]:
    """The line's cells, with PDF-style ``label 1 2 3`` runs split into label and values
    (flagged as values), and ``（四）无法提供 1.本机关不掌握相关政府信息`` split into its
    category and its row."""
    out: list[tuple[str, bool]] = []
    for cell in line.cells:
        if " " not in cell and ":" not in cell and "：" not in cell:
            out.append((cell, False))  # the common case: one word or one number
            continue
        label, values = split_trailing_values(cell)
        if not values:
            out += [(c, False) for c in (_split_category(table, cell) if " " in clean(cell)
                                         else [cell])]
            continue
        if clean(label):
            out += [(c, False) for c in (_split_category(table, label) if " " in clean(label)
                                         else [label])]
        out += [(v, True) for v in values]
    return out


def _split_category(table: str, label: str) -> list[str]:
    """A category and a row label printed in one cell, when the whole is no label itself."""
    kind, _, score = classify(table, label)
    if kind in (ROW, CATEGORY) and score >= 99.0:
        return [label]
    parts = clean(label).split(" ")
    for i in range(1, len(parts)):
        left, right = " ".join(parts[:i]), " ".join(parts[i:])
        if classify(table, left)[0] == CATEGORY and classify(table, right)[0] == ROW:
            return [left, right]
    return [label]


# ---------------------------------------------------------------- rows to figures


@dataclass
class TableResult:
    figures: dict[str, Figure] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    rows_found: set[str] = field(default_factory=set)


def template_markers(text: str) -> tuple[bool, bool]:
    """(has 2019 markers, has 2021 markers) in some text (format-spec §0).

    Header words recur from report to report and are cached; a whole section's text does
    not, and is not kept in the caches of label_key."""
    if len(text) <= 200:
        return _short_markers(text)
    k = label_key_uncached(text)
    return any(m in k for m in labels.MARKERS_2019), any(m in k for m in labels.MARKERS_2021)


@lru_cache(maxsize=1024)
def _short_markers(text: str) -> tuple[bool, bool]:
    k = label_key(text)
    return any(m in k for m in labels.MARKERS_2019), any(m in k for m in labels.MARKERS_2021)


def _columns_for(row: RowRead, section_template: str) -> tuple[labels.Row | None, str]:
    """The template row a proactive row is read against: its own header first."""
    has19, has21 = template_markers(row.header)
    order = []
    if has19 != has21:
        order.append(labels.T2019 if has19 else labels.T2021)
    if section_template in (labels.T2019, labels.T2021):
        order.append(section_template)
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
    rows = _resolve_other(rows)
    pad = padding_side(rows, len(labels.APPLICANT_COLUMNS)) if table == "applications" else ""
    empty: set[str] = set()  # rows placed from a label with no numbers after it
    for row in rows:
        if row.kind == CATEGORY:
            if row.values:
                res.findings.append(Finding(
                    "S-LABEL", INFO, f"category row {row.label} carries its own numbers "
                    f"({' '.join(c.text for c in row.values)}); kept out of the figures as a subtotal",
                    section=section, actual=[c.text for c in row.values], source=row.line.where(),
                    line=row.line.line))
            continue
        if row.kind == UNKNOWN or row.key is None:
            if row.values:
                what = f"the label {row.label!r}" if row.label else "no row label"
                res.findings.append(Finding(
                    "S-LABEL", WARNING, f"a row in table {labels.TABLE_TITLES[table]} with {what} matched "
                    f"no template row; its values {' '.join(c.text for c in row.values)} are not "
                    "figures", section=section, expected=None, actual=[c.text for c in row.values],
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
                "S-LABEL", INFO, f"row {trow.label} is printed twice, first without numbers; "
                "the numbers are read from the second", keys=trow.keys(), section=section,
                source=row.line.where(), line=row.line.line))
            empty.discard(row.key)
            _place(row, trow, trow.keys(), res, section, pad)
            continue
        if row.key in res.rows_found:
            if row.values:
                res.findings.append(Finding(
                    "S-LABEL", WARNING, f"row {trow.label} is printed twice; the second time "
                    f"({' '.join(c.text for c in row.values)}) is not used",
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


def _reviews_row(row: RowRead, res: TableResult) -> None:
    keys = [k for r in labels.REVIEWS for k in r.keys()]
    if "reviews" in res.rows_found:
        if row.values:
            res.findings.append(Finding(
                "S-LABEL", WARNING, "more numbers after the 行政复议/行政诉讼 row: "
                + " ".join(c.text for c in row.values), section=4, source=row.line.where(),
                line=row.line.line))
        return
    res.rows_found.add("reviews")
    fake = labels.Row("reviews", "reviews", "行政复议、行政诉讼", labels.REVIEW_COLUMNS * 3, labels.BOTH)
    _place(row, fake, keys, res, 4)


def _place(row: RowRead, trow: labels.Row, keys: list[str], res: TableResult, section: int,
           pad: str = "") -> None:
    vals = _trimmed(row, len(keys), pad)
    label = row.label or trow.label
    if not vals:
        for k in keys:
            res.figures[k] = Figure(k, None, BLANK, "", None, row.line.line, row.line.where(),
                                    label, row.score)
        return
    if len(vals) != len(keys):
        raw = " | ".join(c.text for c in vals)
        res.findings.append(Finding(
            "S-CELLS", ERROR,
            f"{trow.label}: {len(vals)} values printed where the template has {len(keys)} cells "
            f"({raw}); kept as read, not placed in columns", keys=keys, section=section,
            expected=len(keys), actual=len(vals), source=row.line.where(), line=row.line.line))
        for k in keys:
            res.figures[k] = Figure(k, None, UNPLACED, raw, None, row.line.line,
                                    row.line.where(), label, row.score)
        return
    if row.score < 100.0:
        res.findings.append(Finding(
            "S-LABEL", INFO, f"row label {label!r} read as {trow.label} (match {row.score:.0f}/100)",
            keys=keys, section=section, expected=trow.label, actual=label,
            source=row.line.where(), line=row.line.line))
    score, figures = row.score, res.figures
    for k, cell in zip(keys, vals):
        v = cell.value or parse_value(cell.text)
        line = cell.line
        figures[k] = Figure(k, v.value, v.kind, cell.text, v.unit, line.line, line.where(),
                            label, score)
        if v.kind in (PLACEHOLDER, UNREADABLE):
            severity, what = ((INFO, "the placeholder") if v.kind == PLACEHOLDER else
                              (WARNING, "the text"))
            res.findings.append(Finding(
                "S-VALUE", severity, f"{labels.label_of(k)} holds {what} {cell.text!r}, not a number",
                keys=[k], section=section, actual=cell.text, source=line.where(),
                line=line.line))
