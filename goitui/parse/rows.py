"""Reading the three statistical tables by their labels, never by counting numbers.

The cells of a section come as a stream (one per line, or grid rows). A cell whose text
matches a template row label (``parse/classify.py``) opens that row; the value cells after it
(numbers, placeholders, blanks) are its values, up to the next cell that is not one: a label,
header words, a caption or prose close the open row, and text that is none of these opens a
row of its own, reported with any values after it. Placing the values in columns is
``parse/place.py``'s.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from goitui import labels
from goitui.model import NUMBER, PLACEHOLDER, Line, Mark
from goitui.parse.classify import CAPTION, CATEGORY, HEADER, PROSE, ROW, UNKNOWN, classify
from goitui.text import (
    Value,
    clean,
    is_dash_numeral,
    is_value,
    label_key,
    parse_value,
    split_trailing_values,
    value_in_place,
)


@dataclass(slots=True)  # hundreds per report
class Cell:
    text: str
    line: Line
    blank_ok: bool = False  # an empty grid cell after a label: a blank value
    value: Value | None = None  # parse_value(text), when the reader had it already
    mark: Mark | None = None  # read by OCR: how sure, and where on the page
    glued: bool = False  # a number printed run into its row's label (``规章000``)


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
            current = RowRead(table, "reviews", "", 100.0, line, header="".join(header_buf))
        for raw, split_value, index, glued in _expand(table, line):
            text = clean(raw)
            mark = line.marks[index] if line.marks else None
            if not text:
                if line.grid and current is not None and label_in_line:
                    current.values.append(Cell("", line, blank_ok=True, mark=mark))
                continue
            # a number is a value; a placeholder too, but 无 and a dash typed as 一 only where
            # a value is expected: inside a row, in a run of numbers, or first under the
            # 行政复议 header (elsewhere 无 ends a sentence, 一 numbers a row)
            expected = (split_value or (current is not None and current.key is not None)
                        or (table == "reviews" and current is None and header_open))
            value = value_in_place(text) if expected else parse_value(text)
            if (value.kind == NUMBER or value.kind == PLACEHOLDER and (text != "无" or expected)
                    or split_value and (current is not None and current.kind == ROW
                                        and current.key is not None
                                        or table == "reviews" and current is None)):
                # ``二`` among a row's numbers: its cell
                if current is None:
                    if table == "reviews":
                        current = RowRead(table, "reviews", "", 100.0, line, header="".join(header_buf))
                    else:
                        current = RowRead(table, None, "", 0.0, line, kind=UNKNOWN)
                    label_in_line = True
                current.values.append(Cell(text, line, value=value, mark=mark, glued=glued))
                continue
            kind, key, score = classify(table, text)
            if kind == HEADER and len(label_key(text)) == 1 and line.grid and _labelled_here(
                    current, line):
                kind = UNKNOWN  # ``二`` or ``件`` after the row's label: its cell, not a header
            if (not line.grid and kind in (UNKNOWN, HEADER) and current is not None
                    and _lone_cell(table, current, text)):
                # one cell per line: ``〇`` or ``二`` after a row's label, or among its values
                # (not first under the 行政复议 header: its words are broken into characters)
                current.values.append(Cell(text, line, value=parse_value(text), mark=mark))
                continue
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
            if kind == UNKNOWN and line.grid and current is not None and _labelled_here(current, line):
                # a cell of a row this grid line labels, but not a number (约2, 2件左右):
                # it keeps its place among the row's cells, as an unreadable value
                current.values.append(Cell(text, line, value=parse_value(text), mark=mark))
                continue
            if (kind == UNKNOWN and current is not None and current.kind in (ROW, UNKNOWN)
                    and not current.values and not line.grid
                    and _continue_label(table, current, text)):
                continue  # a label wrapped onto the next line (also where no part matched alone)
            close()
            header_open = False
            current = RowRead(table, key, text, score, line, kind=kind,
                              header="".join(header_buf))
            label_in_line = True
    close()
    return rows


def _labelled_here(row: RowRead | None, line: Line) -> bool:  # noqa: D401
    """Whether ``row`` is a template row whose label this grid line printed: every later cell
    of the line is one of its values."""
    return row is not None and row.line is line and row.kind == ROW and row.key is not None


#: the most cells a template row has (either template), by (table, row key)
_CELLS: dict[tuple[str, str], int] = {("reviews", "reviews"): sum(len(r.columns) for r in labels.REVIEWS)}
for _row in labels.PROACTIVE_2019 + labels.PROACTIVE_2021 + labels.APPLICATIONS:
    _CELLS[_row.table, _row.key] = max(_CELLS.get((_row.table, _row.key), 0), len(_row.columns))


def _lone_cell(table: str, row: RowRead, text: str) -> bool:
    """Whether ``text``, alone on its line after ``row``'s label or values, is one of its cells:
    a single letter or numeral (``〇``, ``二``, ``件``) where a value is expected, unless it
    completes a wrapped label (``3.要求提供公开出版`` + ``物``). Matching ignores 〇 (no
    letter of a label), so without this it vanished into the label."""
    if len(text) != 1 or unicodedata.category(text)[0] not in "LN":
        return False  # punctuation (a wrapped label's ``）``) or more than one character
    if row.kind != ROW or row.key is None or len(row.values) >= _CELLS.get((row.table, row.key), 0):
        return False  # a full row: ``三`` ``、`` ``本`` … is a label printed top to bottom
    if row.values:
        return True
    kind, key, score = classify(table, f"{row.label}{text}")
    return not (kind == ROW and key == row.key and score > row.score)


def _continue_label(table: str, row: RowRead, more: str) -> bool:
    """``（二）部分公开（区分处理的，只计这一`` + ``情形，不计其他情形）``: one label, when the
    two together match a row at least as well as the first part did. Otherwise the text is a
    row of its own (a non-template row under a row whose cells were all blank)."""
    joined = f"{row.label}{more}"
    kind, key, score = classify(table, joined)
    if kind != ROW or key is None or score < row.score:
        return False
    row.label, row.key, row.score, row.kind = joined, key, score, ROW
    return True


def _blank_review_row(line: Line, current: RowRead | None, header_open: bool,
                      rows: list[RowRead]) -> bool:
    """The 行政复议/诉讼 row of a blank form: a grid row of empty cells under the header."""
    return (current is None and header_open and len(line.cells) >= 5
            and not any(clean(c) for c in line.cells)
            and not any(r.key == "reviews" for r in rows))


def _all_values(line: Line) -> bool:
    """A grid row of numbers, placeholders and blanks only, with at least one number (and
    maybe a character typed in a cell, ``〇``: that cell's unreadable value)."""
    texts = [clean(c) for c in line.cells]
    return any(parse_value(t).kind == NUMBER for t in texts) and all(
        not t or is_value(t) or is_dash_numeral(t) or len(t) == 1 for t in texts)


#: a label with a number run into it, no space between: ``行政规范性文件215`` (OCR read the
#: row as one box), ``规章0 0 0``
_GLUED = re.compile(r"^(?P<label>.*[^\d\s,，.．+\-−－])(?P<number>\d[\d,，]*(?:[.．]\d+)?)$")


def _glued(table: str, cell: str) -> tuple[str, str] | None:
    """(label, number) for a template row's label with the digits after it run into it; None
    for any other cell. The digits are one value as printed: whether ``215`` is one number or
    three cells (2, 1, 5) or two (21, 5) no reader can tell, so the row's count of cells
    decides whether they are placed (``place.py``), never a guess."""
    text = clean(cell)
    if not text or not text[-1].isdigit():
        return None
    m = _GLUED.match(text)
    if m is None or parse_value(text).kind == NUMBER:
        return None
    kind, _, score = classify(table, text)
    if kind == ROW and score >= 100.0:
        return None  # the label is printed so (none of the templates' is)
    if classify(table, m["label"])[0] != ROW:
        return None
    return m["label"], m["number"]


def _expand(table: str, line: Line) -> list[tuple[str, bool, int, bool]]:
    """The line's cells, with PDF-style ``label 1 2 3`` runs split into label and values
    (flagged as values), and ``（四）无法提供 1.本机关不掌握相关政府信息`` split into its
    category and its row; each with the position of the cell it came from, and whether it is
    a number that was run into its row's label (``行政规范性文件215``)."""
    out: list[tuple[str, bool, int, bool]] = []
    for i, cell in enumerate(line.cells):
        if " " not in cell and ":" not in cell and "：" not in cell:
            glued = _glued(table, cell)
            if glued is not None:
                out += [(glued[0], False, i, False), (glued[1], True, i, True)]
            else:
                out.append((cell, False, i, False))  # the common case: one word or one number
            continue
        if parse_value(cell).kind == NUMBER:
            out.append((cell, True, i, False))  # one number in one cell: ``2 008`` is 2008
            continue
        label, values = split_trailing_values(cell)
        if values and all(is_dash_numeral(v) for v in values) and classify(table, label)[0] != ROW:
            values = []  # ``表 一``: a dash is a value only after a row's label
            label = cell
        label, stray = _stray_cells(table, label, bool(values))
        values = stray + values
        if not values:
            out += [(c, False, i, False) for c in (
                _split_category(table, cell) if " " in clean(cell) else [cell])]
            continue
        glued = _glued(table, label)
        if glued is not None:
            label = glued[0]
        if clean(label):
            out += [(c, False, i, False) for c in (
                _split_category(table, label) if " " in clean(label) else [label])]
        if glued is not None:
            out.append((glued[1], True, i, True))
        out += [(v, True, i, False) for v in values]
    return out


def _stray_cells(table: str, label: str, more: bool) -> tuple[str, list[str]]:
    """``（一）予以公开 93 565 二`` + the numbers after it: a single character among a row's
    numbers (二, 〇, 件 typed in a cell) stopped the values there, and the label swallowed the
    numbers before it. When the words before them are a row's label, those cells are the
    row's values (the character an unreadable one, named by S-VALUE), not a row of no label.
    ``more``: values were split off after ``label`` (else a number must be among the cells)."""
    parts = clean(label).split(" ")

    def cell(part: str) -> bool:
        return is_value(part) or is_dash_numeral(part) or len(part) == 1

    if table == "reviews" and all(cell(p) for p in parts) and (more or any(
            parse_value(p).kind == NUMBER for p in parts)):
        return "", parts  # the label-less 行政复议/诉讼 row: ``390 237 〇 181 …``
    i = len(parts)
    while i > 1 and cell(parts[i - 1]):
        i -= 1
    if i == len(parts) or all(is_value(p) for p in parts[i:]):
        return label, []  # nothing swallowed (numbers alone were split off already)
    head = " ".join(parts[:i])
    if not more and not any(parse_value(p).kind == NUMBER for p in parts[i:]) and not (
            classify(table, head)[0] == ROW and classify(table, head)[2] >= 99.0):
        return label, []  # ``… 二`` with no number near it, after no row's label: not a value
    whole = classify(table, label)
    if whole[0] == ROW and whole[2] >= 99.0 and label_key(label) != label_key(head):
        return label, []  # the label's own last word
    if not any(classify(table, part)[0] == ROW for part in _split_category(table, head)):
        return label, []
    return head, parts[i:]


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

