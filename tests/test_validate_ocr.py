"""S-OCR: a doubtful OCR reading is shown, never corrected; the identities name the likely digit."""

from __future__ import annotations

import pytest
from test_validate_support import figures, parsed

from goitui import labels
from goitui.model import Report
from goitui.validate.ocr import THRESHOLD, confusions
from goitui.validate.ocr import run as s_ocr
from goitui.validate.report import validate_report

APP = "applications"


def as_ocr(report: Report, confidence: float = 0.99) -> Report:
    """Every figure as if OCR had read it, sure of it, on page 4."""
    for key, f in report.figures.items():
        f.confidence, f.box = confidence, f"10,{len(key)},40,{len(key) + 20}"
    return report


def misread(report: Report, key: str, raw: str, confidence: float) -> None:
    f = report.figures[key]
    f.raw, f.value, f.confidence = raw, int(raw), confidence


def test_confusions_are_the_usual_ones() -> None:
    found = set(confusions("18"))
    assert {"10", "16", "19", "13", "78", "118", "180", "148"} <= found
    assert "17" not in found and "018" not in found  # 8→7 is no usual confusion; no leading 0


def test_report_not_read_by_ocr_has_no_s_ocr() -> None:
    report = parsed(figures(labels.T2021, seed=31), labels.T2021)
    assert s_ocr(report) == []


def test_a_clean_ocr_reading_raises_nothing() -> None:
    report = as_ocr(parsed(figures(labels.T2019, seed=32), labels.T2019))
    assert s_ocr(report) == []


def test_low_confidence_is_shown_with_page_and_box() -> None:
    report = as_ocr(parsed(figures(labels.T2021, seed=33), labels.T2021))
    key = "proactive.licensing.decisions"
    report.figures[key].confidence = THRESHOLD - 0.2
    (finding,) = s_ocr(report)
    assert finding.rule == "S-OCR" and finding.severity == "warning" and finding.keys == [key]
    assert "confidence 0.70" in finding.message and "box 10," in finding.source


@pytest.mark.parametrize("template", [labels.T2019, labels.T2021])
def test_one_misread_digit_is_named_and_kept_as_read(template: str) -> None:
    figs = figures(template, seed=34)
    report = as_ocr(parsed(figs, template))
    key = f"{APP}.carried_over.natural_person"
    true = figs[key]
    raw = str(true).replace(str(true)[-1], "8" if str(true)[-1] in "069" else "7", 1)
    if str(true)[-1] not in "0691":
        raw = str(true)[:-1]  # a dropped digit instead
    misread(report, key, raw, 0.72)
    found = [f for f in validate_report(report, None) if f.rule == "S-OCR"]
    assert len(found) == 1
    (finding,) = found
    assert finding.keys == [key] and finding.expected == true
    assert f"OCR read {raw} in 二、上年结转 · 自然人" in finding.message
    assert f"{true} would make" in finding.message and "hold" in finding.message
    assert report.figures[key].value == int(raw)  # the stored figure stays as read
    # the identity's own finding still says it fails
    assert any(f.rule == "A-BALANCE" and key in f.keys for f in validate_report(report, None))


def test_a_confident_misreading_an_identity_doubts_is_named_too() -> None:
    figs = figures(labels.T2021, seed=35)
    report = as_ocr(parsed(figs, labels.T2021))
    key = f"{APP}.granted.total"
    true = str(figs[key])
    misread(report, key, true + "1", 0.99)  # an added digit: usual, named
    (finding,) = s_ocr(report)
    assert finding.expected == int(true) and f"OCR read {true}1 in" in finding.message
    misread(report, key, str(int(true) + 3), 0.99)  # no usual confusion: every failing
    found = s_ocr(report)                           # identity says so, with the cell in it
    assert found and all("no single usual misreading explains it" in f.message and key in f.keys
                         for f in found)


def test_unreadable_reading_names_the_number_without_its_specks() -> None:
    report = as_ocr(parsed(figures(labels.T2021, seed=36), labels.T2021))
    key = f"{APP}.new_received.research"
    f = report.figures[key]
    f.raw, f.kind, f.value = f"{f.value}.", "unreadable", None
    finding = next(x for x in s_ocr(report) if key in x.keys)
    assert "not a number" in finding.message and "specks" in finding.message


def blank_as_ocr_read_it(report: Report, key: str) -> None:
    """OCR read nothing in the cell: blank, no confidence, the cell's box kept."""
    f = report.figures[key]
    f.kind, f.value, f.raw, f.confidence, f.box = "blank", None, "", None, "601,1088,613,1104"


def test_a_blank_a_sum_needs_a_number_in_is_shown_with_that_number() -> None:
    figs = figures(labels.T2021, seed=37)
    key = next(k for k in (f"{APP}.{row}.research" for row in ("granted", "partially_granted",
                                                                 "new_received"))
               if figs[k] > 0)
    report = as_ocr(parsed(figs, labels.T2021))
    blank_as_ocr_read_it(report, key)
    (finding,) = [f for f in s_ocr(report) if key in f.keys]
    assert finding.keys == [key] and finding.expected == figs[key]
    assert "OCR read nothing in" in finding.message and f"{figs[key]} would make" in finding.message
    assert "box 601,1088,613,1104" in finding.source
    assert report.figures[key].kind == "blank"  # a blank is never read as a number


def test_a_blank_where_the_sums_hold_without_it_is_left_alone() -> None:
    """A cell printed empty where every sum holds with it as 0: no doubt to show."""
    report = as_ocr(parsed(figures(labels.T2019, seed=38), labels.T2019))
    key = f"{APP}.granted.research"
    taken = report.figures[key].value
    for other in (f"{APP}.granted.total", f"{APP}.total_processed.research",
                  f"{APP}.total_processed.total", f"{APP}.new_received.research",
                  f"{APP}.new_received.total"):
        f = report.figures[other]
        f.value = f.value - taken
        f.raw = str(f.value)
    blank_as_ocr_read_it(report, key)
    assert s_ocr(report) == []


def test_two_blanks_in_a_failing_sum_are_both_shown() -> None:
    figs = figures(labels.T2021, seed=39)
    row = next(r for r in ("granted", "partially_granted", "new_received")
               if figs[f"{APP}.{r}.natural_person"] > 0 and figs[f"{APP}.{r}.total"] > 0)
    report = as_ocr(parsed(figs, labels.T2021))
    both = [f"{APP}.{row}.natural_person", f"{APP}.{row}.total"]
    for key in both:
        blank_as_ocr_read_it(report, key)
    flagged = {k for f in s_ocr(report) for k in f.keys}
    assert set(both) <= flagged
