"""Shared helpers of the validation tests: generated and seed reports, parsed and archived."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from goitui import labels
from goitui.archive.store import Archive
from goitui.model import Finding, Report
from goitui.parse.report import parse_document
from goitui.pipeline import store_report
from goitui.readers.layout import text_to_document
from goitui.testing import generate
from goitui.validate.report import validate_report

SEEDS = Path(__file__).resolve().parents[1] / "sample_reports"
AGENCY = "青石镇人民政府"
YEAR = {labels.T2019: 2019, labels.T2021: 2022}


def figures(template: str, seed: int = 1, previous: dict | None = None) -> dict:
    return generate.make_figures(template, random.Random(seed), previous=previous)


def parsed(figs: dict, template: str, layout: str = generate.TABS, *, agency: str = AGENCY,
           year: int | None = None, prose: dict[int, str] | None = None) -> Report:
    """A generated report printed in ``layout`` and read back by the parser."""
    text = generate.render(figs, template, layout, agency=agency, year=year or YEAR[template],
                    prose=prose)
    return parse_document(text_to_document(text, name="report.txt"))


def seed(n: int) -> Report:
    path = next(SEEDS.glob(f"{n:03d}_*.txt"))
    return parse_document(text_to_document(path.read_text(encoding="utf-8"), name=path.name))


def of(findings: list[Finding], rule: str, severity: str | None = None) -> list[Finding]:
    return [f for f in findings if f.rule == rule and (severity is None or f.severity == severity)]


def rules_of(report: Report, previous: Report | None = None) -> set[str]:
    return {f.rule for f in validate_report(report, previous)}


def store(arch: Archive, report: Report, name: str = "r.txt") -> int:
    """Archive a parsed report as ``goi import`` would; returns its id."""
    sha = hashlib.sha256((report.text + name).encode()).hexdigest()
    return store_report(arch, report, path=name, sha=sha, size=len(report.text)).report_id
