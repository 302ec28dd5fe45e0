"""The validation engine: the rules of spec/rules.md run on a report.

``validate_report`` runs the A, X, T and C rules on one report (the parser already gave the
S findings); ``goitui.pipeline`` calls it on import and whenever a neighbouring year changes,
and the archive stores what it returns (``archive/findings.py`` reads it back). No SQL here.
"""

from __future__ import annotations

from goitui.model import Finding, Report
from goitui.validate import arithmetic as checks_arith
from goitui.validate import ocr as checks_ocr
from goitui.validate import prose as checks_text
from goitui.validate import years as checks_years


def validate_report(report: Report, previous: Report | None) -> list[Finding]:
    """Every finding of the validation rules for ``report`` (``previous``: the year before)."""
    return (checks_ocr.run(report) + checks_arith.run(report) + checks_years.run(report, previous)
            + checks_text.run(report))
