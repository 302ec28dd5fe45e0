"""Synthetic annual reports whose every figure is known: the ground truth for parser tests.

``make_figures`` draws a value for every key of a template, distinct and non-zero so that a
cell read from the wrong row or column can never pass for the right one, and (by default)
with the template arithmetic holding exactly. ``render`` prints those figures in the text
layouts real reports come in (format-spec §7: one cell per line, `` |`` runs, tab rows,
markdown, pipe rows, PDF text); ``render_html`` and ``render_docx`` give the Word-pasted web
page and the Word file with real merged cells. ``write_corpus`` writes many reports of many
agencies over several years, for benchmarks that need history.

Every table is first built once as a grid of cells with rowspan/colspan, exactly as the
official template merges them; each layout is only a way of printing that grid.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from goitui import labels
from goitui.model import BLANK, NUMBER, PLACEHOLDER

Value = int | float | str | None
Figures = Mapping[str, Value]

# ---------------------------------------------------------------------------------------------
# layouts

CELLS = "cells"  # one cell per line, NBSP / full-width indents (seed 000)
TABCELLS = "tabcells"  # one cell per line after a tab, blank line between rows (seeds 002, 003)
PIPES = "pipes"  # one cell per line ending in " |", "||" runs, NFKC (seed 001)
TABS = "tabs"  # one row per line, tab-separated (seed 004)
MARKDOWN = "markdown"  # markdown tables and ## headings
PIPE_ROWS = "pipe_rows"  # one row per line, "a | b |" (format-spec §7c)
SPACED = "spaced"  # PDF text: label then space-separated values, stacked headers (§7f)
LAYOUTS = (CELLS, TABCELLS, PIPES, TABS, MARKDOWN, PIPE_ROWS, SPACED)
#: layouts printing every cell, empty ones included: a blank cell stays where it was
GRID_LAYOUTS = frozenset({TABS, MARKDOWN, PIPE_ROWS})

PLACEHOLDER_TEXTS = ("/", "-", "—", "无", "一")  # 一: a dash typed as the numeral one
DECIMAL_KEYS = frozenset({"proactive.fees.amount_wan", "proactive.procurement.amount"})
SIGNED_COLUMN = "change"

# ---------------------------------------------------------------------------------------------
# figures


def kind_of(value: Value) -> str:
    """The ``Figure.kind`` a parser should report for a generated value."""
    if value is None:
        return BLANK
    if isinstance(value, str):
        return PLACEHOLDER
    return NUMBER


def _result_keys(template: str) -> list[str]:
    """Rows summed into （七）总计 on ``template``."""
    return [r.key for r in labels.rows_for("applications", template) if r.key in labels.RESULT_ROWS]


def _applicant_cols() -> list[str]:
    return [c.key for c in labels.APPLICANT_COLUMNS if c.key != "total"]


@dataclass
class _Plan:
    """Free cells, fixed cells and derived cells (with the cells each is computed from)."""

    base: dict[str, int | float]
    free: set[str]
    derived: list[tuple[str, Callable[[dict], int | float], tuple[str, ...]]] = field(
        default_factory=list)

    def values(self) -> dict[str, int | float]:
        vals = dict(self.base)
        for key, fn, _deps in self.derived:
            vals[key] = fn(vals)
        return vals

    def free_sources(self, key: str) -> list[str]:
        """The free cells a derived cell depends on, directly or not."""
        deps = {k: d for k, _f, d in self.derived}
        out: list[str] = []
        todo = [key]
        while todo:
            k = todo.pop()
            if k in deps:
                todo.extend(deps[k])
            elif k in self.free and k not in out:
                out.append(k)
        return out


def _sum_of(keys: Sequence[str]) -> Callable[[dict], int | float]:
    ks = tuple(keys)
    return lambda v: sum(v[k] for k in ks)


def _balance(processed: str, forward: str, over: str) -> Callable[[dict], int | float]:
    """新收 = 办结 + 结转下年度 − 上年结转: the cell the balance leaves."""
    return lambda v: v[processed] + v[forward] - v[over]


def _in_force(last: int, made: str, repealed: str) -> Callable[[dict], int | float]:
    """现行有效件数: last year's, plus what was made, less what was repealed."""
    return lambda v: last + v[made] - v[repealed]


def make_figures(template: str, rng: random.Random, *, consistent: bool = True,
                 previous: Figures | None = None) -> dict[str, int | float]:
    """A value for every key of ``template``: non-zero, pairwise distinct, arithmetic exact.

    Guarantees: every value is non-zero; every integer is ≥ 1 except ``proactive.*.change``
    (signed); decimals (fee and procurement amounts) have a fractional part; all values of
    the report are pairwise distinct, also in absolute value (so ``-8`` and ``8`` never both
    occur), unless a ``previous`` report fixes two cells to the same number. With
    ``consistent`` every identity of rules.md holds exactly (A-ROWSUM, A-RESULTS, A-BALANCE,
    A-REVIEWS); without it every cell is drawn independently, totals included.

    ``previous`` (the same agency's figures of the year before) makes the history coherent:
    ``carried_over`` = last ``carried_forward`` (X-CARRY) and, on the same template,
    ``in_force`` = last ``in_force`` + ``made`` − ``repealed`` and ``prev_items`` = last
    ``prev_items`` + ``change``.
    """
    if template not in (labels.T2019, labels.T2021):
        raise ValueError(f"unknown template {template!r}")
    keys = labels.keys_for(template)
    plan = _plan(template, keys, consistent, previous, rng)
    span = 4 * len(keys)
    for _ in range(5000):
        vals = plan.values()
        # cells fixed by the previous year cannot change: redraw what they are computed from
        fixable = {k: [k] if k in plan.free else plan.free_sources(k)
                   for k in _bad_keys(keys, vals)}
        fixable = {k: s for k, s in fixable.items() if s}
        if not fixable:
            return {k: vals[k] for k in keys}
        src = rng.choice(fixable[rng.choice(sorted(fixable))])
        plan.base[src] = _draw(src, rng, span, vals, plan.base[src])
    raise RuntimeError("could not draw distinct figures")  # pragma: no cover


def _plan(template: str, keys: list[str], consistent: bool, previous: Figures | None,
          rng: random.Random) -> _Plan:
    base: dict[str, int | float] = {k: (0.5 if k in DECIMAL_KEYS else 0) for k in keys}
    free = set(keys)
    plan = _Plan(base, free)
    if not consistent:
        return _fill(plan, keys, rng)
    cols = _applicant_cols()
    results = _result_keys(template)
    app = "applications."
    for result in results + ["carried_over", "carried_forward"]:
        plan.derived.append((f"{app}{result}.total",
                             _sum_of([f"{app}{result}.{c}" for c in cols]),
                             tuple(f"{app}{result}.{c}" for c in cols)))
    for c in cols:
        parts = [f"{app}{r}.{c}" for r in results]
        plan.derived.append((f"{app}total_processed.{c}", _sum_of(parts), tuple(parts)))
    plan.derived.append((f"{app}total_processed.total",
                         _sum_of([f"{app}total_processed.{c}" for c in cols]),
                         tuple(f"{app}total_processed.{c}" for c in cols)))
    for c in cols:
        tp, cf, co = (f"{app}{r}.{c}" for r in ("total_processed", "carried_forward",
                                                "carried_over"))
        plan.derived.append((f"{app}new_received.{c}", _balance(tp, cf, co), (tp, cf, co)))
    plan.derived.append((f"{app}new_received.total",
                         _sum_of([f"{app}new_received.{c}" for c in cols]),
                         tuple(f"{app}new_received.{c}" for c in cols)))
    for row in labels.REVIEWS:
        parts = [f"reviews.{row.key}.{c.key}" for c in row.columns[:-1]]
        plan.derived.append((f"reviews.{row.key}.total", _sum_of(parts), tuple(parts)))
    derived = {k for k, _f, _d in plan.derived}
    for k in derived:
        base.pop(k, None)
        free.discard(k)
    if previous:
        _follow(plan, template, keys, previous)
    return _fill(plan, keys, rng, previous)


def _fill(plan: _Plan, keys: list[str], rng: random.Random,
          previous: Figures | None = None) -> _Plan:
    """First draw of every free cell, each distinct from those drawn before it; near last
    year's value when there is one (real reports move by a factor of two, not ten)."""
    for k in sorted(plan.free, key=keys.index):
        last = (previous or {}).get(k)
        near = last if isinstance(last, (int, float)) and not isinstance(last, bool) else 0
        plan.base[k] = _draw(k, rng, 4 * len(keys), plan.base, 0, near)
    return plan


def _follow(plan: _Plan, template: str, keys: list[str], previous: Figures) -> None:
    """Tie this year's figures to last year's (X-CARRY, X-IN-FORCE, X-PREV-ITEMS)."""
    def number(k: str) -> int | None:
        v = previous.get(k)
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    for c in _applicant_cols():
        last = number(f"applications.carried_forward.{c}")
        if last is not None and last > 0:
            k = f"applications.carried_over.{c}"
            plan.base[k] = last
            plan.free.discard(k)
    same = ("proactive.fees.change" in previous) == (template == labels.T2019)
    if not same:
        return
    for row in labels.proactive_rows(template):
        p = f"proactive.{row.key}."
        in_force = number(f"{p}in_force")
        if template == labels.T2021 and f"{p}in_force" in keys and in_force:
            made, repealed = f"{p}made", f"{p}repealed"
            plan.base.pop(f"{p}in_force", None)
            plan.free.discard(f"{p}in_force")
            plan.derived.append((f"{p}in_force", _in_force(in_force, made, repealed),
                                 (made, repealed)))
        prev_items, change = number(f"{p}prev_items"), number(f"{p}change")
        if template == labels.T2019 and prev_items and change:
            total = prev_items + change
            if total > 0:
                plan.base[f"{p}prev_items"] = total
                plan.free.discard(f"{p}prev_items")


def _bad_keys(keys: list[str], vals: Mapping[str, int | float]) -> list[str]:
    """Keys whose value is zero, negative where it must not be, or shared with another key."""
    count = Counter(abs(vals[k]) for k in keys)
    return [k for k in keys
            if vals[k] == 0 or count[abs(vals[k])] > 1
            or (vals[k] < 0 and not k.endswith("." + SIGNED_COLUMN))]


def _draw(key: str, rng: random.Random, span: int, vals: Mapping[str, int | float],
          old: int | float, near: int | float = 0) -> int | float:
    """A fresh value for a free cell, not among ``vals``; within a factor of two of ``near``
    when it is given and such a value is free."""
    taken = {abs(v) for v in vals.values()}
    if near and abs(near) >= 2:
        lo, hi = max(1, int(abs(near) / 2)), int(abs(near) * 2) + 1
        for _ in range(200):
            v: int | float = rng.randint(lo, hi)
            if key in DECIMAL_KEYS:
                v = round(v + rng.randint(1, 999) / 1000, 3)
            elif key.endswith("." + SIGNED_COLUMN) and near < 0:
                v = -v
            if abs(v) not in taken:
                return v
    for _ in range(1000):
        if key in DECIMAL_KEYS:
            digits = rng.randint(1, 4)
            frac = rng.randint(1, 10 ** digits - 1)
            while frac % 10 == 0:
                frac = rng.randint(1, 10 ** digits - 1)
            v = round(rng.randint(0, 9999) + frac / 10 ** digits, digits)
        elif ".carried_forward." in key and old:
            v = rng.randint(1, span) + (int(old) if rng.random() < 0.5 else 0)
        else:
            v = rng.randint(1, span)
            if key.endswith("." + SIGNED_COLUMN) and rng.random() < 0.4:
                v = -v
        if abs(v) not in taken and v != 0:
            return v
    return rng.randint(span, 100 * span)  # pragma: no cover


def punch(figures: Figures, rng: random.Random, *, blanks: int = 0,
          placeholders: int = 0) -> dict[str, Value]:
    """A copy of ``figures`` with some cells left blank (None) and some as ``/ - — 无 一``."""
    out: dict[str, Value] = dict(figures)
    picked = rng.sample(sorted(out), blanks + placeholders)
    for k in picked[:blanks]:
        out[k] = None
    for k in picked[blanks:]:
        out[k] = rng.choice(PLACEHOLDER_TEXTS)
    return out


# ---------------------------------------------------------------------------------------------
# the tables as grids of merged cells (the official template's merges)

CAPTION, HEADER, LABEL, VALUE, FILLER = "caption", "header", "label", "value", "filler"

CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"
ORGANIZATIONS = "法人或其他组织"
CONTENT = "信息内容"
#: 第二十条 item of every proactive row: one sub-table per item
_ITEM = {"regulations": "一", "normative_docs": "一", "licensing": "五", "other_services": "五",
         "penalty": "六", "coercion": "六", "fees": "八", "procurement": "九"}
#: header cells printed over two lines in Word (the blank 2021 template, seed 000)
TWO_LINE = {"本年新制作数量": "本年新\n制作数量", "本年新公开数量": "本年新\n公开数量",
            "商业企业": "商业\n企业", "科研机构": "科研\n机构"}


@dataclass
class Cell:
    """One cell of a table as Word holds it; covered positions of a span are not repeated."""

    text: str
    kind: str
    rowspan: int = 1
    colspan: int = 1
    key: str | None = None


@dataclass
class Grid:
    table: str
    width: int
    rows: list[list[Cell]]


def _v(key: str, figures: Figures, fmt: Callable[[str, Value], str], colspan: int = 1) -> Cell:
    return Cell(fmt(key, figures.get(key)), VALUE, colspan=colspan, key=key)


def build_grids(figures: Figures, template: str,
                fmt: Callable[[str, Value], str] | None = None) -> list[Grid]:
    """The three tables of ``template`` holding ``figures``, merged as in the template."""
    fmt = fmt or (lambda k, v: format_value(k, v))
    return [_proactive_grid(figures, template, fmt), _applications_grid(figures, template, fmt),
            _reviews_grid(figures, fmt)]


def _proactive_grid(figures: Figures, template: str, fmt) -> Grid:
    rows: list[list[Cell]] = []
    item = None
    for row in labels.proactive_rows(template):
        cols = row.columns
        if _ITEM[row.key] != item:
            item = _ITEM[row.key]
            rows.append([Cell(f"第二十条第（{item}）项", CAPTION, colspan=4)])
            head = [Cell(CONTENT, HEADER)]
            if len(cols) == 1:
                head.append(Cell(cols[0].label, HEADER, colspan=3))
            else:
                head += [Cell(c.label, HEADER) for c in cols]
                head += [Cell("", FILLER)] * (3 - len(cols))
            rows.append(head)
        line = [Cell(row.label, LABEL)]
        keys = row.keys()
        if len(keys) == 1:
            line.append(_v(keys[0], figures, fmt, colspan=3))
        else:
            line += [_v(k, figures, fmt) for k in keys]
            line += [Cell("", FILLER)] * (3 - len(keys))
        rows.append(line)
    return Grid("proactive", 4, rows)


def _applications_grid(figures: Figures, template: str, fmt) -> Grid:
    cols = labels.APPLICANT_COLUMNS
    rows: list[list[Cell]] = [
        [Cell(CORNER, HEADER, rowspan=3, colspan=3), Cell(APPLICANTS, HEADER, colspan=7)],
        [Cell(cols[0].label, HEADER, rowspan=2), Cell(ORGANIZATIONS, HEADER, colspan=5),
         Cell(cols[-1].label, HEADER, rowspan=2)],
        [Cell(c.label, HEADER) for c in cols[1:-1]],
    ]
    data = labels.rows_for("applications", template)
    in_results = [r for r in data if r.key in labels.RESULT_ROWS or r.key == "total_processed"]
    seen: set[str] = set()
    for row in data:
        line: list[Cell] = []
        if row in in_results:
            if not seen:
                line.append(Cell(labels.CATEGORY_LABELS[0], LABEL, rowspan=len(in_results)))
                seen.add(labels.CATEGORY_LABELS[0])
            if row.category:
                if row.category not in seen:
                    seen.add(row.category)
                    span = sum(1 for r in data if r.category == row.category)
                    line.append(Cell(row.category, LABEL, rowspan=span))
                line.append(Cell(row.label, LABEL))
            else:
                line.append(Cell(row.label, LABEL, colspan=2))
        else:
            line.append(Cell(row.label, LABEL, colspan=3))
        line += [_v(k, figures, fmt) for k in row.keys()]
        rows.append(line)
    return Grid("applications", 10, rows)


def _reviews_grid(figures: Figures, fmt) -> Grid:
    review, direct, after = labels.REVIEWS
    litigation, direct_label = direct.label.split("·")
    after_label = after.label.split("·")[1]
    cols = labels.REVIEW_COLUMNS
    rows = [
        [Cell(review.label, HEADER, colspan=5), Cell(litigation, HEADER, colspan=10)],
        [Cell(c.label, HEADER, rowspan=2) for c in cols]
        + [Cell(direct_label, HEADER, colspan=5), Cell(after_label, HEADER, colspan=5)],
        [Cell(c.label, HEADER) for c in cols] * 2,
        [_v(k, figures, fmt) for r in labels.REVIEWS for k in r.keys()],
    ]
    return Grid("reviews", 15, rows)


def expand(grid: Grid) -> list[list[tuple[Cell, str]]]:
    """Every grid position as (cell, role): "origin" where the cell is written, "down" under
    it (first column of a rowspan), "right" anywhere else the cell's spans cover."""
    out: list[list[tuple[Cell, str] | None]] = [[None] * grid.width for _ in grid.rows]
    for r, row in enumerate(grid.rows):
        c = 0
        for cell in row:
            while c < grid.width and out[r][c] is not None:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if r + dr < len(out) and c + dc < grid.width:
                        role = "origin" if not dr and not dc else ("down" if not dc else "right")
                        out[r + dr][c + dc] = (cell, role)
            c += cell.colspan
    return [[p or (Cell("", FILLER), "origin") for p in row] for row in out]


# ---------------------------------------------------------------------------------------------
# values as printed


def number_text(value: int | float) -> str:
    """A number as reports print it: ints plain, decimals as written (no exponent)."""
    if isinstance(value, float):
        s = repr(value)
        if "e" in s or "E" in s:
            s = f"{value:.6f}".rstrip("0").rstrip(".")
        return s
    return str(value)


def format_value(key: str, value: Value, rng: random.Random | None = None) -> str:
    """One cell's text: blank is empty, placeholders as given; with ``rng`` some decoration
    reports show (``+12`` for a positive change, ``44.7336万元`` for the procurement amount)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    s = number_text(value)
    if rng is not None:
        if key.endswith("." + SIGNED_COLUMN) and value > 0 and rng.random() < 0.25:
            s = "+" + s
        if key == "proactive.procurement.amount" and rng.random() < 0.5:
            s += "万元"
    return s


# ---------------------------------------------------------------------------------------------
# prose


def default_prose(figures: Figures, agency: str, year: int, rng: random.Random) -> dict[int, str]:
    """Section bodies for 一, 五 and 六 that name the agency and the year (lines by \\n).

    Section 一 restates the application counts, as real reports do, so T-APPLICATIONS holds.
    """
    def n(key: str) -> Value:
        return figures.get(f"applications.{key}.total")

    published = rng.randint(20, 400)
    counts = [n(k) for k in ("new_received", "carried_over", "total_processed", "carried_forward")]
    if all(isinstance(c, int) for c in counts):
        applied = (f"{year}年，共收到政府信息公开申请{counts[0]}件，上年结转{counts[1]}件，"
                   f"办结{counts[2]}件，结转下年度继续办理{counts[3]}件。")
    else:
        applied = f"{year}年，{agency}依法办理政府信息公开申请，按时答复。"
    one = [
        f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、"
        "不公开为例外，扎实推进政府信息公开工作。现将本年度政府信息公开工作情况报告如下。",
        "（一）主动公开",
        f"{year}年，通过政府门户网站、政务公开栏等渠道主动公开政府信息{published}条。",
        "（二）依申请公开",
        applied,
        "（三）政府信息管理",
        "严格落实信息发布审核制度，做到先审后发。",
        "（四）平台建设",
        "及时更新政府信息公开专栏，确保信息准确。",
        "（五）监督保障",
        "成立政务公开工作领导小组，明确专人负责。",
    ]
    five = [
        "（一）主要问题",
        f"{year}年，{agency}政府信息公开工作取得一定成效，但公开内容不够全面，更新不够及时。",
        "（二）改进措施",
        f"{year + 1}年，{agency}将进一步完善工作机制，加强业务培训，提升公开质量。",
    ]
    six = [f"{year}年度，{agency}未收取信息处理费，无其他需要报告的事项。"]
    return {1: "\n".join(one), 5: "\n".join(five), 6: "\n".join(six)}


_SUBHEAD = re.compile(r"^（[一二三四五六七八九十]）\S{2,8}$")


# ---------------------------------------------------------------------------------------------
# text layouts


def render(figures: Figures, template: str, layout: str, *, agency: str, year: int,
           rng: random.Random | None = None, prose: dict[int, str] | None = None) -> str:
    """A complete report in ``layout``: title, the six sections, the three tables.

    ``figures`` values may be None (printed as an empty cell; absent in layouts that print
    one cell per line) or a placeholder string (printed as given).
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; one of {', '.join(LAYOUTS)}")
    rng = rng or random.Random(f"{agency}{year}{layout}")
    bodies = default_prose(figures, agency, year, rng)
    bodies.update(prose or {})
    grids = build_grids(figures, template, lambda k, v: format_value(k, v, rng))
    printer = _PRINTERS[layout]
    out: list[str] = [_TITLES[layout].format(agency=agency, year=year)]
    for num, title in labels.SECTION_TITLES.items():
        out.append(_heading(layout, num, title))
        if num in labels.TABLE_SECTION.values():
            grid = next(g for g in grids if labels.TABLE_SECTION[g.table] == num)
            table = printer(grid, rng)
            out.extend(_nfkc(table) if layout == PIPE_ROWS else table)
        for para in bodies.get(num, "").split("\n"):
            if para:
                out.append(_para(layout, para))
    text = "\n".join(out) + "\n"
    return _nfkc(text) if layout == PIPES else text


_TITLES = {
    CELLS: "\t{agency}{year}年政府信息公开工作年度报告",
    TABCELLS: "{agency}{year}年度\n政府信息公开工作年度报告\n",
    PIPES: "{agency}{year}年政府信息公开工作年度报告",
    TABS: "\n\n# {agency} {year} 年政府信息公开工作年度报告\n",
    MARKDOWN: "# {agency}{year}年度政府信息公开工作年度报告\n",
    PIPE_ROWS: "{year}年{agency}政府信息公开工作年度报告",
    SPACED: "{agency} {year} 年政府信息公开工作年度报告",
}
#: seed 004's mixture of heading levels and bold
_TABS_HEADINGS = {1: "## {}", 2: "## **{}**", 3: "### {}", 4: "#### {}", 5: "#### {}",
                  6: "## **{}**"}


def _heading(layout: str, num: int, title: str) -> str:
    if layout == MARKDOWN:
        return f"\n## {title}\n"
    if layout == TABS:
        return "\n" + _TABS_HEADINGS[num].format(title) + "\n"
    if layout == TABCELLS and num in (3, 4, 5):
        return "\n" + title
    return title


def _para(layout: str, para: str) -> str:
    if layout in (MARKDOWN, TABS):
        return f"### {para}\n" if _SUBHEAD.match(para) else para + "\n"
    return para


def _nfkc(lines):
    if isinstance(lines, str):
        return unicodedata.normalize("NFKC", lines)
    return [unicodedata.normalize("NFKC", s) for s in lines]


_PADS = ("\u3000\u3000{}", "\u00a0{}", "{}\u00a0", "\u3000{}", "\u3000      {}", "          {}",
         "{}")


def _cells(grid: Grid, rng: random.Random) -> list[str]:
    """Seed 000: every cell on its own line in HTML order; blanks and spans simply absent."""
    out = []
    for row in grid.rows:
        for cell in row:
            if cell.kind == VALUE:
                if cell.text:
                    out.append(rng.choice(_PADS).format(cell.text))
            elif cell.text:
                out.append(TWO_LINE.get(cell.text, cell.text) if cell.kind == HEADER
                           else cell.text)
    return out


def _tabcells(grid: Grid, rng: random.Random) -> list[str]:
    """Seeds 002/003: a tab before every cell, an empty ``\\t`` cell under a rowspan,
    values followed by NBSP, a blank line after every row."""
    out = []
    for row in expand(grid):
        for cell, role in row:
            if role == "right" or cell.kind == FILLER:
                continue
            if role == "down" or not cell.text:
                out.append("\t")
            elif cell.kind == VALUE:
                out.append("\t" + rng.choice(("{}", "{}\u00a0", "\u00a0{}\u00a0",
                                              "{}\u00a0\u00a0")).format(cell.text))
            else:
                out.append("\t" + (TWO_LINE.get(cell.text, cell.text) if cell.kind == HEADER
                                    else cell.text))
        out.append("")
    return out


def _pipes(grid: Grid, rng: random.Random) -> list[str]:
    """Seed 001: ``cell |`` per line; empty cells and spans pile up in a ``||`` run after the
    row (so blank cells vanish, as in format-spec §7b)."""
    out = []
    for r, row in enumerate(expand(grid)):
        empties = 0
        for cell, role in row:
            if role == "origin" and cell.text:
                out.append(f"{cell.text} |")
            elif role != "right":
                empties += 1
        if r + 1 < len(grid.rows):
            out.append("|" * (1 + empties))
    return out


def _halfwidth_spaced(text: str) -> str:
    """Seed 004's table-3 labels: ``(一) 予以公开``, ``(区分处理的, 只计这一情形, …)``."""
    if not text.startswith("（"):
        return text
    text = re.sub(r"^（([一二三四五六七八九十])）", r"(\1) ", text)
    return text.replace("（", "(").replace("）", ")").replace("，", ", ")


def _tabs(grid: Grid, rng: random.Random) -> list[str]:
    """Seed 004: a row per line; empty cells under rowspans and header colspans, label and
    value colspans not expanded, rows padded to the table's width at the end."""
    out = []
    for row in expand(grid):
        cells: list[str] = []
        for cell, role in row:
            text = _halfwidth_spaced(cell.text) if grid.table == "applications" else cell.text
            if role == "down" or cell.kind == FILLER:
                cells.append("")
            elif role == "origin":
                cells.append(text)
            elif cell.kind in (HEADER, CAPTION):
                cells.append("")
        cells += [""] * (grid.width - len(cells))
        out.append("\t".join(cells))
    return out


def _html_order(grid: Grid, *, expand_headers: bool) -> list[list[str]]:
    """Each row's cells as HTML lists them; fillers dropped, header colspans optionally
    padded with empty cells."""
    rows = []
    for row in grid.rows:
        cells = []
        for cell in row:
            if cell.kind == FILLER:
                continue
            cells.append(cell.text)
            if expand_headers and cell.kind in (HEADER, CAPTION):
                cells += [""] * (cell.colspan - 1)
        rows.append(cells)
    return rows


def _markdown(grid: Grid, rng: random.Random) -> list[str]:
    """A markdown table per template table: ``| a | b |`` rows, ``|---|`` after the first."""
    rows = _html_order(grid, expand_headers=True)
    out = [""]
    for i, cells in enumerate(rows):
        out.append("| " + " | ".join(c.replace("\n", "") for c in cells) + " |")
        if i == 0:
            out.append("|" + "---|" * len(cells))
    out.append("")
    return out


def _pipe_rows(grid: Grid, rng: random.Random) -> list[str]:
    """Format-spec §7c: ``行政规范性文件 | 5 | 1 | 25 |``; rowspan labels on the first row
    only; header words broken by a space (``商业 企业``)."""
    out = []
    for row in grid.rows:
        if row[0].kind == CAPTION:
            out.append(f"{row[0].text} | " + "|" * (grid.width - 1))
            continue
        cells = [TWO_LINE.get(c.text, c.text).replace("\n", " ") if c.kind == HEADER else c.text
                 for c in row if c.kind != FILLER]
        out.append(" | ".join(cells) + " |")
    return out


def _stacked(words: Sequence[str]) -> list[str]:
    """Vertical header text as a PDF extractor reads it: one line per character rank."""
    depth = max(len(w) for w in words)
    return [" ".join(w[i] for w in words if len(w) > i) for i in range(depth)]


_NARROW = frozenset(c.label for c in labels.APPLICANT_COLUMNS + labels.REVIEW_COLUMNS)


def _spaced(grid: Grid, rng: random.Random) -> list[str]:
    """PDF text (§7f): ``label v1 v2 …`` per row, blanks absent; the narrow header cells
    of tables 三 and 四 stacked (their characters were printed vertically)."""
    out = []
    for row in grid.rows:
        if {c.kind for c in row} == {HEADER} and grid.table != "proactive":
            words = [c.text for c in row]
            if words[0] == CORNER:
                out += [CORNER[:22], CORNER[22:]] + words[1:]
                continue
            wide = [w for w in words if w not in _NARROW]
            narrow = [w for w in words if w in _NARROW]
            if wide and len(narrow) > 3:
                out.append(" ".join(wide))
            out += _stacked(narrow) if len(narrow) > 3 else [" ".join(words)]
            continue
        out.append(" ".join(c.text for c in row if c.text and c.kind != FILLER))
    return out


_PRINTERS: dict[str, Callable[[Grid, random.Random], list[str]]] = {
    CELLS: _cells, TABCELLS: _tabcells, PIPES: _pipes, TABS: _tabs, MARKDOWN: _markdown,
    PIPE_ROWS: _pipe_rows, SPACED: _spaced,
}


# ---------------------------------------------------------------------------------------------
# a saved web page and a Word file


def _spans_html(text: str, rng: random.Random, *, split: bool = True) -> str:
    """A label broken over ``<span>`` runs as Word pastes it (``（``+``一``+``）予以公开``)."""
    if not split or len(text) < 3 or rng.random() < 0.4:
        parts = [text]
    else:
        cuts = sorted(rng.sample(range(1, len(text)), min(2, len(text) - 1)))
        parts = [text[i:j] for i, j in zip([0] + cuts, cuts + [len(text)], strict=True)]
    style = 'style="font-size:10.5pt;font-family:宋体"'
    return "".join(f"<span {style}>{html.escape(p)}</span>" for p in parts)


def _td(cell: Cell, rng: random.Random) -> str:
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    text = TWO_LINE.get(cell.text, cell.text) if cell.kind == HEADER else cell.text
    if not text:
        body = rng.choice(('<p class="MsoNormal"><span>&nbsp;</span></p>',
                           '<p class="MsoNormal" align="center"><o:p>&nbsp;</o:p></p>'))
    else:
        split = cell.kind != VALUE  # Word splits label runs, rarely a number
        body = "".join(f'<p class="MsoNormal" align="center" style="text-align:center">'
                       f"{_spans_html(part, rng, split=split)}</p>"
                       for part in text.split("\n"))
    return (f'<td{attrs} valign="center" style="border:solid windowtext 1.0pt;'
            f'padding:0cm 5.4pt">{body}</td>')


def _html_table(grid: Grid, rng: random.Random) -> str:
    rows = "\n".join("<tr>" + "".join(_td(c, rng) for c in row) + "</tr>" for row in grid.rows)
    return ('<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
            f'style="border-collapse:collapse">\n<tbody>\n{rows}\n</tbody>\n</table>')


def render_html(figures: Figures, template: str, *, agency: str, year: int,
                encoding: str = "utf-8", rng: random.Random | None = None,
                prose: dict[int, str] | None = None) -> bytes:
    """A saved government web page: site navigation, the report as Word-pasted HTML
    (real rowspan/colspan, ``&nbsp;`` cells, labels split over spans), footer."""
    rng = rng or random.Random(f"{agency}{year}html")
    bodies = default_prose(figures, agency, year, rng)
    bodies.update(prose or {})
    grids = build_grids(figures, template, lambda k, v: format_value(k, v, rng))
    title = f"{agency}{year}年政府信息公开工作年度报告"
    charset = "gb2312" if encoding.lower() in ("gbk", "gb2312", "gb18030") else encoding
    parts = [
        "<!DOCTYPE html>",
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        f"<title>{html.escape(title)}_政府信息公开年报</title></head><body>",
        '<div class="top"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | '
        '<a href="/hdjl/">互动交流</a> | <a href="/bsfw/">办事服务</a></div>',
        '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a>'
        ' &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a></div>',
        '<div class="article">',
        f'<h1 class="title">{html.escape(title)}</h1>',
        f'<div class="info">发布时间：{year + 1}-01-{rng.randint(10, 28)}　来源：{html.escape(agency)}'
        f"　浏览次数：{rng.randint(50, 900)}</div>",
        '<div class="content">',
    ]
    for num, heading in labels.SECTION_TITLES.items():
        parts.append(f'<p class="MsoNormal"><b><span style="font-family:黑体">{heading}'
                     "</span></b></p>")
        if num in labels.TABLE_SECTION.values():
            grid = next(g for g in grids if labels.TABLE_SECTION[g.table] == num)
            parts.append(_html_table(grid, rng))
        for para in bodies.get(num, "").split("\n"):
            if para:
                parts.append('<p class="MsoNormal" style="text-indent:2em"><span>'
                             f"{html.escape(para)}</span></p>")
    parts += [
        "</div></div>",
        '<div class="prevnext">上一篇：<a href="/zwgk/tzgg/">关于做好政务公开工作的通知</a></div>',
        f'<div class="footer">主办：{html.escape(agency)}　技术支持：信息中心</div>',
        "</body></html>",
    ]
    return "\n".join(parts).encode(encoding, errors="xmlcharrefreplace")


def render_docx(figures: Figures, template: str, *, agency: str, year: int, path: str | Path,
                prose: dict[int, str] | None = None, rng: random.Random | None = None) -> Path:
    """A Word file like the blank 2021 template: paragraphs, and tables with merged cells."""
    import docx  # python-docx: only needed here
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    rng = rng or random.Random(f"{agency}{year}docx")
    bodies = default_prose(figures, agency, year, rng)
    bodies.update(prose or {})
    doc = docx.Document()
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.add_run(f"{agency}{year}年政府信息公开工作年度报告").bold = True
    for num, heading in labels.SECTION_TITLES.items():
        doc.add_paragraph().add_run(heading).bold = True
        if num in labels.TABLE_SECTION.values():
            grid = next(g for g in build_grids(figures, template,
                                               lambda k, v: format_value(k, v, rng))
                        if labels.TABLE_SECTION[g.table] == num)
            _docx_table(doc, grid)
        for para in bodies.get(num, "").split("\n"):
            if para:
                doc.add_paragraph(para)
    path = Path(path)
    doc.save(str(path))
    return path


def _docx_table(doc, grid: Grid) -> None:
    table = doc.add_table(rows=len(grid.rows), cols=grid.width)
    table.style = "Table Grid"
    cells = table._cells  # one walk of the table: table.cell() walks it on every call
    merges = []
    for r, row in enumerate(expand(grid)):
        for c, (cell, role) in enumerate(row):
            if role != "origin" or cell.kind == FILLER:
                continue
            text = TWO_LINE.get(cell.text, cell.text) if cell.kind == HEADER else cell.text
            first, *more = text.split("\n")
            target = cells[r * grid.width + c]
            target.text = first
            for extra in more:
                target.add_paragraph(extra)
            if cell.rowspan > 1 or cell.colspan > 1:
                merges.append((target, cells[(r + cell.rowspan - 1) * grid.width
                                             + c + cell.colspan - 1]))
    for top_left, bottom_right in merges:
        top_left.merge(bottom_right)


# ---------------------------------------------------------------------------------------------
# a corpus with history

_PLACE = "青石龙白清安平新东西南北金柳桃永兴和宁长河山花桥湾岭坪溪沟口红黄松杨梅竹云"
_TOWN_SUFFIX = ("镇人民政府", "镇人民政府", "乡人民政府", "街道办事处")
_COUNTY = "江阳临泉丰华庆德兴宁泰昌"


@dataclass(frozen=True)
class CorpusEntry:
    """One report of a corpus: who, which year, which template, how printed, what figures."""

    name: str
    agency: str
    year: int
    template: str
    layout: str
    fmt: str  # text, html, docx
    figures: dict[str, Value]


def agency_names(n: int, rng: random.Random) -> list[str]:
    """``n`` distinct generated agencies (``青石县龙溪镇人民政府``, ``白河乡人民政府`` …)."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        town = rng.choice(_PLACE) + rng.choice(_PLACE)
        if town[0] == town[1]:
            continue
        name = town + rng.choice(_TOWN_SUFFIX)
        if rng.random() < 0.4:
            name = rng.choice(_COUNTY) + rng.choice(_PLACE) + "县" + name
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def corpus_plan(n: int, *, seed: int = 0, formats: Sequence[str] = ("text",),
                region: str = "") -> list[CorpusEntry]:
    """What ``write_corpus`` writes, without writing it (benchmarks compare against it).

    Agencies report 2–4 consecutive years between 2019 and 2024, carried-over figures
    following the year before; the 2019 template is used up to 2020 and the 2021 template
    after, except that every fifth agency keeps the 2019 layout for its 2024 report. Formats
    cycle over the reports; text layouts cycle separately within each template, so both
    templates meet every layout (``layout`` is the format's name for html and docx).
    ``region`` (青山市, say) is printed before every agency's name: corpora with other regions
    share no agency, however many reports they hold (without it, names repeat from a few
    thousand agencies on).
    """
    rng = random.Random(seed)
    history: list[tuple[int, int, str]] = []  # (agency index, year, template)
    agency = 0
    while len(history) < n:
        length = rng.randint(2, 4)
        # every other agency starts in 2019, so that both templates are well represented
        start = 2019 if agency % 2 == 0 else rng.choice(range(2020, 2026 - length))
        for year in range(start, start + length):
            template = labels.T2019 if year <= 2020 or (year == 2024 and agency % 5 == 4) else labels.T2021
            history.append((agency, year, template))
        agency += 1
    history = history[:n]
    names = [region + name for name in agency_names(agency, rng)]
    count = {labels.T2019: 0, labels.T2021: 0}
    entries: list[CorpusEntry] = []
    last: dict[int, dict[str, Value]] = {}
    for i, (a, year, template) in enumerate(history):
        fmt = formats[i % len(formats)]
        layout = fmt
        if fmt == "text":
            layout = LAYOUTS[count[template] % len(LAYOUTS)]
            count[template] += 1
        previous = last.get(a) if a in last and last[a].get("_year") == year - 1 else None
        figs = make_figures(template, rng, previous={k2: v for k2, v in previous.items()
                                                     if k2 != "_year"} if previous else None)
        last[a] = {**figs, "_year": year}
        ext = {"text": "txt", "html": "html", "docx": "docx"}[fmt]
        name = f"{i:04d}_{_slug(names[a], year)}.{ext}"
        entries.append(CorpusEntry(name, names[a], year, template, layout, fmt, dict(figs)))
    return entries


def _slug(agency: str, year: int) -> str:
    """A name like the seeds' (``000_6daaf83df1efb7d7.txt``): it gives no agency or year."""
    return hashlib.sha1(f"{agency}{year}".encode()).hexdigest()[:16]


def write_corpus(directory: str | Path, n: int, *, seed: int = 0,
                 formats: Sequence[str] = ("text",), region: str = "") -> list[Path]:
    """Write ``n`` reports (see ``corpus_plan``) into ``directory``; returns their paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, e in enumerate(corpus_plan(n, seed=seed, formats=formats, region=region)):
        path = directory / e.name
        rng = random.Random(seed * 1_000_003 + i)
        if e.fmt == "html":
            path.write_bytes(render_html(e.figures, e.template, agency=e.agency, year=e.year,
                                         rng=rng, encoding="gbk" if i % 2 else "utf-8"))
        elif e.fmt == "docx":
            render_docx(e.figures, e.template, agency=e.agency, year=e.year, path=path, rng=rng)
        else:
            path.write_text(render(e.figures, e.template, e.layout, agency=e.agency,
                                   year=e.year, rng=rng), encoding="utf-8")
        paths.append(path)
    return paths
