"""X rules: this year's report against the same agency's report of the year before.

Only what both reports define is compared: rows 二、上年结转 / 四、结转下年度 exist in both
templates, but the section 二 columns of 2019 and 2021 mean different things, so across a
template change only X-CARRY, X-JUMP (outside section 二) and X-REUSE apply.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from goitui import labels
from goitui.i18n import Phrase, joined
from goitui.model import INFO, WARNING, Finding, Report
from goitui.validate.common import (
    ALL_COLS,
    SIGNED_COLUMNS,
    cell,
    col_name,
    figure_name,
    num,
    place,
    split_key,
    state_text,
)

REUSE_RATIO = 90.0  # % of section text shared with last year, digits and agency names aside
REUSE_MIN_CHARS = 60  # shorter sections (无, one sentence) are alike by nature
JUMP_FACTOR, JUMP_MIN = 10, 20


def _f(rule: str, severity: str, message: str, report: Report, keys: list[str],
       **kw: object) -> Finding:
    where, line = place(report, keys)
    section = labels.TABLE_SECTION[split_key(keys[0])[0]] if keys else None
    return Finding(rule, severity, message, keys=keys, section=section, source=where, line=line,
                   origin="validate", **kw)  # type: ignore[arg-type]


_KEYS19 = tuple(k for r in labels.PROACTIVE_2019 for k in r.keys()
                if k.endswith((".prev_items", ".new_made", ".total_published")))
_KEYS21 = tuple(k for r in labels.PROACTIVE_2021 for k in r.keys()
                if k.endswith((".in_force", ".made", ".amount_wan")))


def _proactive_template(report: Report) -> str | None:
    """The section 二 columns a report printed: 2019 (上一年项目数量…) or 2021 (现行有效件数…)."""
    if any(k in report.figures for k in _KEYS19):
        return labels.T2019
    if any(k in report.figures for k in _KEYS21):
        return labels.T2021
    return None


def carry(report: Report, prev: Report) -> list[Finding]:
    """X-CARRY: 二、上年结转 this year = 四、结转下年度 last year, every column."""
    out, unknown = [], []
    for c in ALL_COLS:
        k_now, k_prev = f"applications.carried_over.{c}", f"applications.carried_forward.{c}"
        now, before = cell(report, k_now), cell(prev, k_prev)
        if not (now.known and before.known):
            if now.state != "missing" or before.state != "missing":
                unknown.append((k_now, now, before))
            continue
        if now.value != before.value:
            out.append(_f("X-CARRY", WARNING,
                          Phrase("二、上年结转 {year} ≠ 四、结转下年度 {previous} for the {column} "
                                 "column: {now} ≠ {before} (restated, or a figure is wrong)",
                                 year=report.year, previous=prev.year,
                                 column=col_name("applications", c), now=num(now.value),
                                 before=num(before.value)),
                          report, [k_now], expected=before.value, actual=now.value))
    if unknown:
        parts = [Phrase("{column} ({states})", column=col_name("applications", k.rsplit(".", 1)[1]),
                        states=joined(
                            ([Phrase("this year {state}", state=state_text(n.state))]
                             if not n.known else [])
                            + ([Phrase("last year {state}", state=state_text(b.state))]
                               if not b.known else []), Phrase(", ")))
                 for k, n, b in unknown]
        out.append(_f("X-CARRY", INFO, Phrase("not assessed for {count} columns: {columns}",
                                              count=len(unknown), columns=joined(parts, "、")),
                      report, [k for k, _n, _b in unknown]))
    return out


def proactive(report: Report, prev: Report) -> list[Finding]:
    """X-IN-FORCE (2021) and X-PREV-ITEMS (2019), only when both years use the same columns."""
    t = _proactive_template(report)
    if t is None or t != _proactive_template(prev):
        return []
    out = []
    for row in labels.proactive_rows(t):
        p = f"proactive.{row.key}."
        if t == labels.T2021 and f"{p}in_force" in report.figures:
            rule, key = "X-IN-FORCE", f"{p}in_force"
            terms = [(prev, f"{p}in_force", 1), (report, f"{p}made", 1),
                     (report, f"{p}repealed", -1)]
            formula = Phrase("现行有效件数 ≈ last year's 现行有效件数 + 本年制发件数 − 本年废止件数 "
                             "for {row}", row=row.label)
        elif t == labels.T2019 and f"{p}prev_items" in report.figures:
            rule, key = "X-PREV-ITEMS", f"{p}prev_items"
            terms = [(prev, f"{p}prev_items", 1), (prev, f"{p}change", 1)]
            formula = Phrase("上一年项目数量 = last year's 上一年项目数量 + 本年增/减 for {row}",
                             row=row.label)
        else:
            continue
        cells = [(cell(r, k), sign) for r, k, sign in terms]
        target = cell(report, key)
        if not target.known or not all(c.known for c, _s in cells):
            continue  # soft rules: nothing to say without every figure
        want = sum((c.value or 0) * s for c, s in cells)
        if want != target.value:
            terms_shown = " ".join(f"{'+' if s > 0 else '−'} {num(c.value)}"
                                   for c, s in cells).lstrip("+ ")
            out.append(_f(rule, INFO, Phrase("{formula}: {value} ≠ {terms} = {wanted}",
                                             formula=formula, value=num(target.value),
                                             terms=terms_shown, wanted=num(want)),
                          report, [key], expected=want, actual=target.value))
    return out


def jumps(report: Report, prev: Report) -> list[Finding]:
    """X-JUMP: a figure more than tenfold up or down, and by more than 20."""
    same2 = _proactive_template(report) == _proactive_template(prev)
    out = []
    for key, fig in report.figures.items():
        old = prev.figures.get(key)
        if fig.value is None or old is None or old.value is None:
            continue  # only numbers have a value: blanks and placeholders are never compared
        a, b = abs(old.value), abs(fig.value)
        lo, hi = (a, b) if a < b else (b, a)
        if not (hi - lo > JUMP_MIN and hi > JUMP_FACTOR * lo):
            continue
        table, _row, col = split_key(key)
        if col in SIGNED_COLUMNS or (table == "proactive" and not same2):
            continue
        now, before = cell(report, key), cell(prev, key)
        if now.known and before.known:
            name = figure_name(key)
            out.append(_f("X-JUMP", INFO, Phrase(
                "{figure}: {before} in {previous}, {now} in {year} (more than tenfold; a unit or "
                "column mistake?)", figure=name, before=num(before.value), previous=prev.year,
                now=num(now.value), year=report.year), report, [key], expected=before.value,
                          actual=now.value))
    return out


_DIGITS = re.compile(r"[0-9０-９一二三四五六七八九十〇零百千万]+")
_SPACE = re.compile(r"\s+")


def _comparable(text: str, report: Report) -> str:
    for name in {report.agency or "", report.agency_canonical or ""} - {""}:
        text = text.replace(name, "")
    return _SPACE.sub("", _DIGITS.sub("#", text))


_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
COPIED_MIN_CHARS = 8  # 一、总体情况 alone is no copy


def copied(report: Report, prev: Report, section: int) -> list[str]:
    """The sentences of ``section`` that last year's section had too, numbers and names
    aside: the words an X-REUSE finding points at."""
    a, b = report.sections.get(section), prev.sections.get(section)
    if a is None or b is None:
        return []
    before = {_comparable(m.group(), prev) for m in _SENTENCE.finditer(b.body)}
    out = []
    for m in _SENTENCE.finditer(a.body):
        sentence = m.group().strip()
        same = _comparable(sentence, report)
        if len(same) >= COPIED_MIN_CHARS and same in before and sentence not in out:
            out.append(sentence)
    return out


def reuse(report: Report, prev: Report) -> list[Finding]:
    """X-REUSE: section 一 or 五 is last year's text, numbers and names aside."""
    out = []
    for num_ in (1, 5):
        a, b = report.sections.get(num_), prev.sections.get(num_)
        if a is None or b is None:
            continue
        now, before = _comparable(a.body, report), _comparable(b.body, prev)
        if min(len(now), len(before)) < REUSE_MIN_CHARS:
            continue
        ratio = round(fuzz.ratio(now, before), 1)
        if ratio >= REUSE_RATIO:
            out.append(Finding(
                "X-REUSE", WARNING, Phrase(
                    "section {title} repeats the {previous} report's text: {ratio:g}% the same, "
                    "numbers and the agency's name aside", title=labels.SECTION_TITLES[num_],
                    previous=prev.year, ratio=ratio),
                # the band, not the ratio: a review of "copied from last year" survives an edit
                section=num_, expected=f"< {REUSE_RATIO:g}%", actual=f"≥ {REUSE_RATIO:g}%",
                source=f"lines {a.line_start}–{a.line_end}" if a.line_start else "",
                line=a.line_start, origin="validate", words=copied(report, prev, num_)))
    return out


def run(report: Report, prev: Report | None) -> list[Finding]:
    """Every X finding; without last year's report, one info that says so."""
    if prev is None:
        y = f"{report.year - 1}" if report.year else Phrase("the year before")
        return [Finding("X-CARRY", INFO, Phrase("X rules not assessed: no report of this agency "
                                                "for {year} in the archive", year=y), expected=report.year - 1 if report.year else None,
                        origin="validate")]
    return carry(report, prev) + proactive(report, prev) + jumps(report, prev) + reuse(report, prev)
