"""Rows read by OCR whose label or cell count is in doubt: S-OCR names the figures, with the
page and the box, and no value is put in a row its label does not name.

No OCR runs here: a generated report is laid out as text and each cell given the ``Mark`` the
OCR reader gives (a confidence and a box), then one row's label or cells are "misread".
"""

from __future__ import annotations

import random

from goitui import labels
from goitui.model import NUMBER, Document, Mark, Report
from goitui.parse.report import parse_document
from goitui.readers.layout import text_to_document
from goitui.testing import generate

AGENCY, YEAR = "石门坎镇人民政府", 2023
ROW = "withheld.third_party"  # （三）不予公开 4.保护第三方合法权益
LABEL = "4.保护第三方合法权益"


def scanned_document(figs: dict, template: str, misread: dict[str, str] | None = None,
                     drop_cell: str | None = None, marks: bool = True) -> Document:
    """The generated report as lines, each cell marked as read by OCR on page 3; ``misread``:
    label cells replaced as OCR read them; ``drop_cell``: a row label whose last value cell
    OCR missed."""
    text = generate.render(figs, template, generate.TABS, agency=AGENCY, year=YEAR)
    doc = text_to_document(text, name="scan.pdf")
    for n, line in enumerate(doc.lines):
        for printed, read in (misread or {}).items():
            line.cells = [read if c == printed else c for c in line.cells]
        if drop_cell is not None and drop_cell in line.cells:
            line.cells = line.cells[:-1]
        if marks:
            line.source = f"page 3, table 2, row {n}"
            line.marks = [Mark(0.98, f"{100 + 80 * i},{40 * n},{160 + 80 * i},{40 * n + 30}")
                          for i in range(len(line.cells))]
    return doc


def s_ocr(report: Report) -> list:
    return [f for f in report.findings if f.rule == "S-OCR"]


def truth(seed: int, template: str = labels.T2021) -> dict:
    return generate.make_figures(template, random.Random(seed))


def keys_of(row: str) -> list[str]:
    return [f"applications.{row}.{c.key}" for c in labels.APPLICANT_COLUMNS]


def test_a_label_ocr_misread_beyond_matching_names_the_rows_not_found() -> None:
    figs = truth(71)
    report = parse_document(scanned_document(figs, labels.T2021, {LABEL: "4.保口第三"}))
    (finding,) = s_ocr(report)
    assert finding.keys == keys_of(ROW)
    assert "matches no template row" in finding.message and "'4.保口第三'" in finding.message
    assert "4.保护第三方合法权益" in finding.message  # the row it may be
    assert "page 3, table 2, row" in finding.source and ", box " in finding.source
    # its values are in no figure: not in the row it may be, not in the row above or below
    assert not any(k in report.figures for k in keys_of(ROW))
    others = {k: v for k, v in figs.items() if k.startswith("applications.")
              and k not in keys_of(ROW)}
    assert all(report.figures[k].value == v for k, v in others.items())


def test_an_approximate_label_is_doubted_where_its_values_are_placed() -> None:
    figs = truth(72)
    report = parse_document(scanned_document(figs, labels.T2021,
                                             {LABEL: "4.保护第三方合法权"}))
    found = [f for f in s_ocr(report) if "only approximately" in f.message]
    assert len(found) == 1 and found[0].keys == keys_of(ROW)
    assert "'4.保护第三方合法权'" in found[0].message and "box " in found[0].source
    assert all(report.figures[k].value == figs[k] for k in keys_of(ROW))


def test_a_label_that_differs_only_in_numbering_is_no_doubt() -> None:
    report = parse_document(scanned_document(truth(73), labels.T2021,
                                             {LABEL: "保护第三方合法权益"}))
    assert s_ocr(report) == []


def test_a_row_with_a_cell_too_few_is_doubted_by_ocr() -> None:
    figs = truth(74, labels.T2019)
    report = parse_document(scanned_document(figs, labels.T2019, drop_cell=LABEL))
    (finding,) = s_ocr(report)
    assert finding.keys == keys_of(ROW) and "6 values" in finding.message
    assert "box " in finding.source
    assert all(report.figures[k].kind != NUMBER for k in keys_of(ROW))  # nothing shifted


def test_a_report_not_read_by_ocr_has_no_s_ocr_for_its_labels() -> None:
    report = parse_document(scanned_document(truth(75), labels.T2021, {LABEL: "4.保口第三"},
                                             marks=False))
    assert s_ocr(report) == []
    assert any(f.rule == "S-LABEL" and "matched no template row" in f.message
               for f in report.findings)
