"""Digits printed run into a row's label (``行政规范性文件215``) are never shown as blank.

OCR reads a row of a scan as one box when the label and its numbers stand close, and some
text copies lose the space: the label then ended in digits, matched its row only loosely (or
not at all: ``规章000``), and the row's printed figures showed as blank. The digits are now
taken off the label: placed where the row's count of cells leaves no doubt (a one-cell row,
or the other values spaced apart), else kept as read with an S-CELLS error naming them —
``215`` may be 2, 1, 5 or 21, 5, and goi never guesses which.
"""

from __future__ import annotations

import random

from goitui import labels
from goitui.model import BLANK, NUMBER, UNPLACED, Document, Mark, Report
from goitui.parse import rows
from goitui.parse.report import parse_document
from goitui.readers.layout import text_to_document
from goitui.testing import generate

DOCS = ("made", "repealed", "in_force")


def _figures(seed: int, template: str = labels.T2021, **rows: tuple[int, ...]) -> dict:
    figures = generate.make_figures(template, random.Random(seed))
    for row, values in rows.items():
        keys = [k for k in figures if k.startswith(f"proactive.{row}.")]
        figures.update(zip(keys, values, strict=True))
    return figures


def _scan(figures: dict, printed: dict[str, str], layout: str = generate.SPACED,
          template: str = labels.T2021) -> Document:
    """The report as OCR lines (each with a confidence and a box on page 4), with the lines
    that start with a label in ``printed`` replaced as OCR read them."""
    text = generate.render(figures, template, layout, agency="柳河乡人民政府", year=2021)
    lines = text.splitlines()
    for n, line in enumerate(lines):
        for label, read in printed.items():
            at = max(line.find(label + " "), line.find(label + "\t"))
            if at >= 0 and (at == 0 or not line[:at].strip()):  # after category tabs
                lines[n] = line[:at] + read
    doc = text_to_document("\n".join(lines) + "\n", name="scan.pdf")
    for n, line in enumerate(doc.lines):
        line.source = f"page 4, row {n}"
        line.marks = [Mark(0.96, f"{60 + 90 * i},{38 * n},{140 + 90 * i},{38 * n + 28}")
                      for i in range(len(line.cells))]
    return doc


def _row(report: Report, row: str) -> list[tuple]:
    return [(f.kind, f.value, f.raw) for k, f in report.figures.items()
            if k.startswith(f"proactive.{row}.")]


def test_digits_run_into_the_label_are_kept_and_named_never_blank() -> None:
    figures = _figures(31, regulations=(0, 0, 0), normative_docs=(3, 0, 7))
    report = parse_document(_scan(figures, {"规章": "规章000", "行政规范性文件": "行政规范性文件307"}))
    assert _row(report, "normative_docs") == [(UNPLACED, None, "307")] * 3
    assert _row(report, "regulations") == [(UNPLACED, None, "000")] * 3
    found = {f.keys[0]: f for f in report.findings if f.rule == "S-CELLS"}
    for row, digits in (("regulations", "000"), ("normative_docs", "307")):
        finding = found[f"proactive.{row}.made"]
        assert finding.severity == "error" and digits in finding.message
        assert "run into the row label" in finding.message
        assert "page 4" in finding.source and "box " in finding.source
    assert not any("rows not found" in f.message for f in report.findings)
    assert all(f.kind != BLANK for k, f in report.figures.items() if k.startswith("proactive."))
    # the other rows as printed
    assert report.figures["proactive.licensing.decisions"].value == figures[
        "proactive.licensing.decisions"]


def test_a_first_value_run_into_the_label_is_placed_when_the_rest_are_spaced() -> None:
    figures = _figures(32, normative_docs=(6, 2, 41))
    report = parse_document(_scan(figures, {"行政规范性文件": "行政规范性文件6 2 41"}))
    assert _row(report, "normative_docs") == [(NUMBER, 6, "6"), (NUMBER, 2, "2"),
                                              (NUMBER, 41, "41")]
    assert not [f for f in report.findings if f.severity == "error"]


def test_a_one_cell_row_run_into_its_label_is_placed() -> None:
    figures = _figures(33)
    value = figures["proactive.penalty.decisions"]
    report = parse_document(_scan(figures, {"行政处罚": f"行政处罚{value}"}))
    assert _row(report, "penalty") == [(NUMBER, value, str(value))]


def test_a_grid_row_whose_label_cell_holds_its_first_value() -> None:
    """``| 2.没有现成信息需要另行制作12 | 4 | …``: seven values, seven cells, placed; with one
    cell fewer the glued digits are named, not placed."""
    figures = generate.make_figures(labels.T2021, random.Random(34))
    keys = [f"applications.unavailable.needs_creation.{c.key}" for c in labels.APPLICANT_COLUMNS]
    values = [str(figures[k]) for k in keys]
    label = "2.没有现成信息需要另行制作"
    whole = "\t".join([label + values[0], *values[1:]])
    report = parse_document(_scan(figures, {label: whole}, generate.TABS))
    assert [report.figures[k].value for k in keys] == [figures[k] for k in keys]
    short = "\t".join([label + values[0] + values[1], *values[2:]])
    report = parse_document(_scan(figures, {label: short}, generate.TABS))
    assert {report.figures[k].kind for k in keys} == {UNPLACED}
    (finding,) = [f for f in report.findings if f.rule == "S-CELLS" and f.keys == keys]
    assert values[0] + values[1] in finding.message


def test_only_a_template_row_s_label_gives_up_its_digits() -> None:
    """A caption, a year or a number with its unit keeps its digits; a row's label gives
    them up whole (one value, never split into digits)."""
    assert rows._glued("proactive", "规章000") == ("规章", "000")
    assert rows._glued("proactive", "行政事业性收费0.25") == ("行政事业性收费", "0.25")
    assert rows._glued("applications", "（七）总计1,204") == ("（七）总计", "1,204")
    for cell in ("第二十条第（一）项2", "表2", "2023", "3200元", "规章", "截至2023"):
        assert rows._glued("proactive", cell) is None, cell
