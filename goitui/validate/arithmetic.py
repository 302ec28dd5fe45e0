"""A rules: the identities the template implies (format-spec §5), checked with blanks kept apart.

Each identity is ``sum(left) = sum(right)``. With every term printed as a number it holds or
fails (error). With exactly one unknown term the finding says what that cell would have to
hold (info; an error when that would be negative). With more unknowns the identity cannot be
assessed: one info per rule lists them, so a rule never passes silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from goitui import labels
from goitui.i18n import Phrase, joined
from goitui.model import ERROR, INFO, NUMBER, Finding, Report
from goitui.validate.common import (
    ALL_COLS,
    AMOUNT_COLUMNS,
    APPLICANT_COLS,
    REVIEW_PARTS,
    SIGNED_COLUMNS,
    STATES_TEXT,
    cell,
    col_name,
    figure_name,
    join_names,
    num,
    place,
    row_name,
    rows_present,
    split_key,
    state_text,
    table_read,
)

APP, REV = "applications", "reviews"
SECTION = labels.TABLE_SECTION


@dataclass
class Identity:
    """``left = right`` for one column or row; names are what the reader sees in the table."""

    rule: str
    scope: Phrase  # "for the 自然人 column", "for row 一、本年新收"
    left: list[tuple[str, str]]  # (name, key)
    right: list[tuple[str, str]]

    @property
    def keys(self) -> list[str]:
        return [k for _n, k in self.left + self.right]

    def formula(self) -> Phrase:
        return Phrase("{left} = {right}", left=join_names([n for n, _k in self.left]),
                      right=join_names([n for n, _k in self.right]))


@dataclass
class _Unassessed:
    scopes: list[Phrase] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def _values(report: Report, terms: list[tuple[str, str]]) -> str:
    vals = [cell(report, k) for _n, k in terms]
    if len(vals) <= 6:
        return " + ".join(num(c.value) for c in vals)
    nonzero = [f"{n} {num(c.value)}" for (n, _k), c in zip(terms, vals) if c.value != 0]
    total = sum(c.value for c in vals if c.value is not None)
    if 0 < len(nonzero) <= 4:
        return Phrase("{total} ({parts})", total=num(total), parts=joined(nonzero, Phrase("; ")))
    return num(total)


def _holds(figures: dict, ident: Identity) -> bool:
    """True when every figure of the identity is a number and both sides are equal."""
    sides = []
    for terms in (ident.left, ident.right):
        total = 0
        for _n, k in terms:
            f = figures.get(k)
            if f is None or f.kind != NUMBER:
                return False
            total += f.value
        sides.append(total)
    return sides[0] == sides[1]


def assess(report: Report, ident: Identity, pending: dict[str, _Unassessed]) -> Finding | None:
    """Assess one identity: a finding when it fails or needs a value; unknowns set aside."""
    if _holds(report.figures, ident):
        return None  # the usual case, checked without building anything
    cells = {k: cell(report, k) for k in ident.keys}
    unknown = [k for k, c in cells.items() if not c.known]
    if len(unknown) > 1:
        u = pending.setdefault(ident.rule, _Unassessed())
        u.scopes.append(ident.scope)
        u.keys += [k for k in unknown if k not in u.keys]
        return None
    left = sum(cells[k].value or 0 for _n, k in ident.left)
    right = sum(cells[k].value or 0 for _n, k in ident.right)
    if not unknown and left == right:
        return None  # the usual case: nothing to say, nothing more to compute
    where, line = place(report, ident.keys)
    section = SECTION[split_key(ident.keys[0])[0]]
    if not unknown:
        return Finding(ident.rule, ERROR,
                       Phrase("{formula} {scope}: {left} ≠ {right} (off by {difference})",
                              formula=ident.formula(), scope=ident.scope,
                              left=_values(report, ident.left), right=_values(report, ident.right),
                              difference=num(abs(left - right))),
                       keys=ident.keys, section=section, expected=left, actual=right,
                       source=where, line=line, origin="validate")
    k = unknown[0]
    on_left = k in (key for _n, key in ident.left)
    need = right - left if on_left else left - right
    state = state_text(cells[k].state)
    if need < 0:
        return Finding(ident.rule, ERROR,
                       Phrase("{formula} {scope} cannot hold: {figure} is {state} and would have "
                              "to be {need}", formula=ident.formula(), scope=ident.scope,
                              figure=figure_name(k), state=state, need=num(need)),
                       keys=ident.keys,
                       section=section, expected=need, actual=None, source=where, line=line,
                       origin="validate")
    return Finding(ident.rule, INFO,
                   Phrase("{formula} {scope}: {figure} is {state}; for the identity to hold it "
                          "would have to be {need}", formula=ident.formula(), scope=ident.scope,
                          figure=figure_name(k), state=state, need=num(need)), keys=[k],
                   section=section, expected=need, actual=None, source=where, line=line,
                   origin="validate")


def _flush(report: Report, pending: dict[str, _Unassessed]) -> list[Finding]:
    out = []
    for rule, u in pending.items():
        states = sorted({cell(report, k).state for k in u.keys}, key=STATES_TEXT.__getitem__)
        shown = "、".join(figure_name(k) for k in u.keys[:3]) + ("…" if len(u.keys) > 3 else "")
        where, line = place(report, u.keys)
        out.append(Finding(
            rule, INFO, Phrase("not assessed {scopes}: {count} cells are {states} ({cells}); "
                               "none is taken as 0", scopes=_scopes(u.scopes), count=len(u.keys),
                               states=joined([state_text(s, several=True) for s in states],
                                             Phrase(" or ")), cells=shown),
            keys=u.keys, section=SECTION[split_key(u.keys[0])[0]], source=where, line=line,
            origin="validate"))
    return out


def _scopes(scopes: list[Phrase]) -> Phrase:
    if len(scopes) == 1:
        return scopes[0]
    return Phrase("{first} and {count} more", first=scopes[0], count=len(scopes) - 1)


def _app(row: str, col: str) -> tuple[str, str]:
    return row_name(APP, row), f"{APP}.{row}.{col}"


def result_rows(report: Report) -> tuple[list[str], str | None]:
    """The 办理结果 rows summed into （七）总计, from the rows printed, else the template.

    Returns the rows and, when a report prints both the 2019 （六）其他处理 row and the 2021
    sub-rows, the subtotal row that must equal the sub-rows.
    """
    return _result_rows(frozenset(rows_present(report, APP)), report.template)


def _result_rows(present: frozenset[str], template: str) -> tuple[list[str], str | None]:
    has21 = any(r.startswith("other.") for r in present)
    has19 = "other" in present
    variant = (labels.T2021 if has21 else labels.T2019 if has19 else
               template if template in (labels.T2019, labels.T2021) else labels.T2019)
    rows = [r.key for r in labels.rows_for(APP, variant) if r.key in labels.RESULT_ROWS]
    return rows, ("other" if has21 and has19 else None)


def identities(report: Report) -> list[Identity]:
    """Every A-BALANCE, A-RESULTS, A-ROWSUM and A-REVIEWS identity of this report."""
    app_rows = rows_present(report, APP)
    return _identities(frozenset(app_rows), report.template, table_read(report, REV))


@lru_cache(maxsize=256)
def _identities(app_rows: frozenset[str], template: str, reviews_read: bool) -> list[Identity]:
    """The identities depend only on the rows printed: most reports share them."""
    out: list[Identity] = []
    if app_rows:
        results, subtotal = _result_rows(app_rows, template)
        for c in ALL_COLS:
            scope = Phrase("for the {column} column", column=col_name(APP, c))
            out.append(Identity("A-BALANCE", scope,
                                [_app("new_received", c), _app("carried_over", c)],
                                [_app("total_processed", c), _app("carried_forward", c)]))
            out.append(Identity("A-RESULTS", scope, [_app("total_processed", c)],
                                [_app(r, c) for r in results]))
            if subtotal:
                subs = [r for r in results if r.startswith("other.")]
                out.append(Identity("A-RESULTS", scope, [_app(subtotal, c)],
                                    [_app(r, c) for r in subs]))
        for r in (x.key for x in labels.APPLICATIONS if x.key in app_rows):
            out.append(Identity("A-ROWSUM", Phrase("for row {row}", row=row_name(APP, r, True)),
                                [(col_name(APP, "total"), f"{APP}.{r}.total")],
                                [(col_name(APP, c), f"{APP}.{r}.{c}") for c in APPLICANT_COLS]))
    if reviews_read:
        for row in labels.REVIEWS:
            out.append(Identity("A-REVIEWS", Phrase("for {row}", row=row.label),
                                [(col_name(REV, "total"), f"{REV}.{row.key}.total")],
                                [(col_name(REV, c), f"{REV}.{row.key}.{c}")
                                 for c in REVIEW_PARTS]))
    return out


def check_identities(report: Report) -> list[Finding]:
    pending: dict[str, _Unassessed] = {}
    found = [f for i in identities(report) if (f := assess(report, i, pending)) is not None]
    for table, rules in ((APP, ("A-BALANCE", "A-RESULTS", "A-ROWSUM")), (REV, ("A-REVIEWS",))):
        if not table_read(report, table):
            found += [Finding(r, INFO, Phrase("not assessed: table {table} was not read (see "
                                              "S-CELLS / S-SECTIONS)",
                                              table=labels.TABLE_TITLES[table]),
                              section=SECTION[table],
                              origin="validate") for r in rules]
    return found + _flush(report, pending)


def check_domain(report: Report) -> list[Finding]:
    """A-DOMAIN: whole counts ≥ 0; only 本年增/减 signed; amounts any value ≥ 0."""
    out = []
    for key, f in report.figures.items():
        v = f.value
        if f.kind != NUMBER or v is None or (type(v) is int and v >= 0):
            continue  # a whole number ≥ 0 is right in every column
        col = split_key(key)[2]
        whole = float(v).is_integer()
        if col in AMOUNT_COLUMNS:
            ok, want = v >= 0, Phrase("an amount ≥ 0")
        elif col in SIGNED_COLUMNS:
            ok, want = whole, Phrase("a whole number (may be negative)")
        else:
            ok, want = whole and v >= 0, Phrase("a whole number ≥ 0")
        if not ok:
            where, line = place(report, [key])
            name = figure_name(key)
            out.append(Finding("A-DOMAIN", ERROR, Phrase("{figure} is {value}; a count here must "
                                                         "be {wanted}", figure=name,
                                                         value=f.raw.strip() or num(v), wanted=want),
                               keys=[key], section=SECTION[split_key(key)[0]],
                               expected=str.__str__(want), actual=v,
                               source=where, line=line, origin="validate"))
    return out


def run(report: Report) -> list[Finding]:
    """Every A finding of ``report``."""
    return check_identities(report) + check_domain(report)
