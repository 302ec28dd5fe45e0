"""What every check needs: a figure's value or why it has none, short labels, source places.

A figure is known only when it was printed as a number. Blank, placeholder, unreadable,
unplaced and missing (the row was not printed) are all *unknown*: never summed as 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import repeat
from typing import NamedTuple

from goitui import labels
from goitui.i18n import N_, Phrase
from goitui.model import BLANK, NUMBER, PLACEHOLDER, UNPLACED, UNREADABLE, Report
from goitui.text import format_number

MISSING = "missing"

APPLICANT_COLS = tuple(c.key for c in labels.APPLICANT_COLUMNS if c.key != "total")
ALL_COLS = tuple(c.key for c in labels.APPLICANT_COLUMNS)
REVIEW_PARTS = tuple(c.key for c in labels.REVIEW_COLUMNS if c.key != "total")
AMOUNT_COLUMNS = frozenset({"amount_wan", "amount"})
SIGNED_COLUMNS = frozenset({"change"})

_ROWS = {f"{r.table}.{r.key}": r for r in
         labels.PROACTIVE_2019 + labels.PROACTIVE_2021 + labels.APPLICATIONS + labels.REVIEWS}


class Cell(NamedTuple):
    """A figure as the rules see it: a number, or the reason it is none (cheap: many per report)."""

    key: str
    value: int | float | None
    state: str  # number, or why not: blank, placeholder, unreadable, unplaced, missing

    @property
    def known(self) -> bool:
        return self.state == NUMBER


def cell(report: Report, key: str) -> Cell:
    f = report.figures.get(key)
    if f is None:
        return Cell(key, None, MISSING)
    if f.kind == NUMBER and f.value is not None:
        return Cell(key, f.value, NUMBER)
    return Cell(key, None, f.kind)


@lru_cache(maxsize=4096)
def split_key(key: str) -> tuple[str, str, str]:
    """``applications.withheld.state_secret.total`` → (table, row, column)."""
    table, rest = key.split(".", 1)
    row, col = rest.rsplit(".", 1)
    return table, row, col


def table_read(report: Report, table: str) -> bool:
    return any(map(str.startswith, report.figures, repeat(table + ".")))  # a loop in C


def rows_present(report: Report, table: str) -> set[str]:
    """The template rows of ``table`` with figures: every figure's key is a catalogue key, so
    asking each row (a few dozen) is cheaper than reading every key (a few hundred)."""
    figures = report.figures
    return {row for row, keys in _TABLE_ROWS[table] if any(k in figures for k in keys)}


def _table_rows() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Per table, each row key with every key of its cells in either template."""
    keys: dict[str, dict[str, dict[str, None]]] = {t: {} for t in labels.TABLES}
    for r in labels.PROACTIVE_2019 + labels.PROACTIVE_2021 + labels.APPLICATIONS + labels.REVIEWS:
        keys[r.table].setdefault(r.key, {}).update(dict.fromkeys(r.keys()))
    return {t: tuple((row, tuple(ks)) for row, ks in rows.items()) for t, rows in keys.items()}


_TABLE_ROWS = _table_rows()


_NOTE = re.compile(r"（[^）]{4,}）|\([^)]{4,}\)")


@lru_cache(maxsize=4096)
def row_name(table: str, row: str, with_category: bool = False) -> str:
    """The official row label, cut to what a reader recognizes: ``一、本年新收``."""
    r = _ROWS.get(f"{table}.{row}")
    if r is None:
        return row
    label = _NOTE.sub("", r.label).replace("政府信息公开申请数量", "").replace("继续办理", "")
    if with_category and r.category:
        label = f"{r.category} {label}"
    return label


@lru_cache(maxsize=4096)
def col_name(table: str, col: str) -> str:
    return next((c.label for r in _ROWS.values() if r.table == table for c in r.columns
                 if c.key == col), col)


@lru_cache(maxsize=4096)
def figure_name(key: str) -> str:
    """``一、本年新收 · 自然人``: a figure as a reader finds it in the printed table."""
    table, row, col = split_key(key)
    # the column's label for this very key: a proactive column key is printed differently in
    # the 2019 and 2021 tables (处理决定数量 / 本年处理决定数量)
    return f"{row_name(table, row, with_category=True)} · " \
           f"{labels.column_label_of(key) or col_name(table, col)}"


STATE_TEXT = {BLANK: N_("blank"), PLACEHOLDER: N_("a placeholder, not a number"),
              UNREADABLE: N_("not a number"), UNPLACED: N_("not placed (see S-CELLS)"),
              MISSING: N_("not printed")}
#: the same, said of several cells at once
STATES_TEXT = {BLANK: N_("blank"), PLACEHOLDER: N_("placeholders"), UNREADABLE: N_("not numbers"),
               UNPLACED: N_("not placed (see S-CELLS)"), MISSING: N_("not printed")}


def state_text(state: str, several: bool = False) -> Phrase:
    """Why a cell has no number (``blank``, ``not printed``…), in the language it is shown in."""
    return Phrase((STATES_TEXT if several else STATE_TEXT)[state])


def num(v: int | float | None) -> str:
    return format_number(v) if v is not None else "?"


def place(report: Report, keys: Iterable[str]) -> tuple[str, int | None]:
    """Where the figures are in the source: ``lines 88–140`` (or the reader's own place)."""
    figs = [report.figures[k] for k in keys if k in report.figures]
    lines = sorted({f.line for f in figs if f.line is not None})
    other = next((f.source for f in figs if f.source and not f.source.startswith("line ")), "")
    if other:
        return other, lines[0] if lines else None
    if not lines:
        return "", None
    if len(lines) == 1:
        return f"line {lines[0]}", lines[0]
    return f"lines {lines[0]}–{lines[-1]}", lines[0]


def join_names(names: list[str], limit: int = 6) -> str:
    """Names of an identity's terms, shortened when there are many."""
    if len(names) <= limit:
        return " + ".join(names)
    return Phrase("{first} + {second} + … + {last} ({count} rows)", first=names[0],
                  second=names[1], last=names[-1], count=len(names))
