"""The validation engine: the rules of spec/rules.md run on a report.

``validate_report`` runs the A, X, T and C rules on one report (the parser already gave the
S findings); ``goitui.pipeline`` calls it on import and whenever a neighbouring year changes,
and the archive stores what it returns (``archive/findings.py`` reads it back). No SQL here.

Only the X rules need the year before, which only the archive knows: ``check_alone`` runs the
others by themselves, so that ``goi import --jobs N`` runs them in the worker that parsed the
report, and ``validate_report`` adds the X rules when the report is stored, in the same order.
"""

from __future__ import annotations

from goitui.model import Finding, Report
from goitui.validate import arithmetic as checks_arith
from goitui.validate import ocr as checks_ocr
from goitui.validate import prose as checks_text
from goitui.validate import years as checks_years

#: the findings of the rules that need only the report: those listed before the X rules' and after
Alone = tuple[list[Finding], list[Finding]]


def check_alone(report: Report) -> Alone:
    """The rules that need no other year (all but X), split where the X rules' findings go."""
    return checks_ocr.run(report) + checks_arith.run(report), checks_text.run(report)


def validate_report(report: Report, previous: Report | None,
                    alone: Alone | None = None) -> list[Finding]:
    """Every finding of the validation rules for ``report`` (``previous``: the year before);
    ``alone``: what ``check_alone`` found already (in a worker process), not run again."""
    before, after = alone if alone is not None else check_alone(report)
    return before + checks_years.run(report, previous) + after
