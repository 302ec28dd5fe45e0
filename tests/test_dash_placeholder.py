"""A dash typed as the numeral 一 is a placeholder where a value is expected, never in a label.

Publishers type 一 for a dash (``| 2.重复申请 | 一 | 0 | 0 |``). Read as a label it closed the
row, so the row's printed figures showed as blank and its numbers went to a row of no label.
Here, in every text layout: the row is matched by its label, the 一 is a placeholder (raw kept,
an S-VALUE info) and the other cells are placed; 一 numbering a row (``一、本年新收``, a
numbering cell of its own) stays the label's; 二 and 〇 are never placeholders.
"""

from __future__ import annotations

import random
import unicodedata

import pytest

from goitui import labels
from goitui.model import NUMBER, PLACEHOLDER, UNREADABLE, Report
from goitui.parse.report import parse_document
from goitui.readers.layout import text_to_document
from goitui.testing import generate
from goitui.text import is_dash_numeral, parse_value, split_trailing_values, value_in_place

#: a first value cell, a one-column row, a middle cell, the label-less review row, a last cell
KEYS = {
    labels.T2021: ("applications.not_processed.publication.natural_person",
                   "proactive.penalty.decisions", "applications.carried_over.research",
                   "reviews.litigation_direct.upheld", "reviews.review.upheld",
                   "applications.carried_forward.total"),
    labels.T2019: ("applications.withheld.query_matter.natural_person",
                   "proactive.fees.change", "proactive.other_services.prev_items",
                   "reviews.litigation_after_review.corrected",
                   "applications.total_processed.total", "reviews.review.upheld"),
}
DASHES = ("一", "一一", "—一", "－一")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _report(template: str, layout: str, overrides: dict[str, generate.Value],
            seed: int) -> tuple[dict[str, generate.Value], Report]:
    rng = random.Random(seed)
    figures = generate.make_figures(template, rng)
    figures.update(overrides)
    text = generate.render(figures, template, layout, agency="桃溪镇人民政府", year=2020 + seed % 5,
                           rng=rng)
    return figures, parse_document(text_to_document(text), agency=None, year=None)


@pytest.mark.parametrize("template", list(KEYS))
@pytest.mark.parametrize("layout", generate.LAYOUTS)
def test_a_dash_typed_as_one_is_a_placeholder_and_the_row_is_read(layout: str,
                                                                  template: str) -> None:
    for n, key in enumerate(KEYS[template]):
        dash = DASHES[n % len(DASHES)]
        figures, report = _report(template, layout, {key: dash}, 40 + n)
        got = report.figures[key]
        printed = nfkc(dash)  # the pipe layouts print NFKC text (－ as -)
        assert (got.kind, got.value, nfkc(got.raw)) == (PLACEHOLDER, None, printed), (layout, key)
        row = key.rsplit(".", 1)[0] if not key.startswith("reviews.") else "reviews."
        for other, want in figures.items():
            if other.startswith(row) and other != key:
                assert (report.figures[other].kind, report.figures[other].value) == (
                    NUMBER, want), (layout, other)
        assert [f.rule for f in report.findings if f.severity != "info"] == [], layout
        notes = [f for f in report.findings if f.rule == "S-VALUE" and f.keys == [key]]
        assert notes and nfkc(str(notes[0].actual)) == printed and notes[0].severity == "info"


@pytest.mark.parametrize("template", list(KEYS))
@pytest.mark.parametrize("layout", generate.LAYOUTS)
def test_another_character_in_a_value_cell_is_unreadable_and_keeps_the_row(
        layout: str, template: str) -> None:
    """二 is a header's fragment (第二项), 〇 a character label matching ignores, 件 a unit:
    none is a placeholder. In a row's cell each is that cell's unreadable text (S-VALUE
    warning) and the row's other figures are placed — never a header that closes the row,
    a label the numbers before it join, or a character that vanishes into the label."""
    for n, key in enumerate(KEYS[template]):
        text = "二〇件"[n % 3]
        if key == "reviews.review.upheld" and layout not in generate.GRID_LAYOUTS:
            # first under the 行政复议 header, one character a line is the header's own
            # (its words are printed broken into characters): S-LABEL and S-CELLS say so
            continue
        figures, report = _report(template, layout, {key: text}, 70 + n)
        got = report.figures[key]
        assert (got.kind, got.raw) == (UNREADABLE, text), (layout, key)
        row = key.rsplit(".", 1)[0] if not key.startswith("reviews.") else "reviews."
        for other, want in figures.items():
            if other.startswith(row) and other != key:
                assert (report.figures[other].kind, report.figures[other].value) == (
                    NUMBER, want), (layout, other)
        assert any(f.rule == "S-VALUE" and f.keys == [key] and f.severity == "warning"
                   for f in report.findings)
        assert not [f.message for f in report.findings if f.severity == "error"
                    or f.rule == "S-LABEL" and f.severity == "warning"], layout


def test_one_numbering_a_row_in_its_own_cell_is_the_label_s() -> None:
    figures, report = _report(labels.T2021, generate.MARKDOWN, {}, 3)
    row = [str(figures[f"applications.new_received.{c.key}"]) for c in labels.APPLICANT_COLUMNS]
    text = generate.render(figures, labels.T2021, generate.MARKDOWN, agency="金柳乡人民政府",
                           year=2023, rng=random.Random(3))
    printed = "| 一、本年新收政府信息公开申请数量 | " + " | ".join(row) + " |"
    assert printed in text
    numbered = text.replace(printed, "| 一 | 本年新收政府信息公开申请数量 | " + " | ".join(row) + " |")
    report = parse_document(text_to_document(numbered), agency=None, year=None)
    for column in labels.APPLICANT_COLUMNS:
        key = f"applications.new_received.{column.key}"
        assert (report.figures[key].kind, report.figures[key].value) == (NUMBER, figures[key])


def test_what_a_dash_typed_as_one_is() -> None:
    for dash in ("一", "一一", "—一", "一－", " 一 ", "**一**"):
        assert is_dash_numeral(dash), dash
        assert value_in_place(dash).kind == PLACEHOLDER
    for other in ("二", "〇", "一、", "（一）", "一项", "—", "", "1"):
        assert not is_dash_numeral(other), other
    assert parse_value("一").kind == UNREADABLE  # outside a value's place, 一 is a numeral
    assert value_in_place("—").kind == PLACEHOLDER and value_in_place("12").value == 12


def test_spaced_text_splits_a_dash_off_the_label_but_not_a_numbering() -> None:
    assert split_trailing_values("3.要求提供公开出版物 一 4 一 9") == (
        "3.要求提供公开出版物", ["一", "4", "一", "9"])
    assert split_trailing_values("一 7 8") == ("一", ["7", "8"])
    assert split_trailing_values("一 本年新收政府信息公开申请数量 7 8") == (
        "一 本年新收政府信息公开申请数量", ["7", "8"])


def test_a_dash_typed_as_one_in_a_web_page_and_a_word_file(tmp_path) -> None:
    from goitui.readers import read_path

    figures = generate.make_figures(labels.T2019, random.Random(61))
    dashes = {"applications.not_processed.excessive.research": "一",
              "proactive.licensing.change": "一一", "reviews.litigation_direct.pending": "一"}
    figures.update(dashes)
    page = tmp_path / "page.html"
    page.write_bytes(generate.render_html(figures, labels.T2019, agency="南岭街道办事处", year=2019))
    word = generate.render_docx(figures, labels.T2019, agency="南岭街道办事处", year=2019,
                                path=tmp_path / "report.docx")
    for path in (page, word):
        report = parse_document(read_path(path), agency=None, year=None)
        for key, value in figures.items():
            got = report.figures[key]
            want = (PLACEHOLDER, None) if key in dashes else (NUMBER, value)
            assert (got.kind, got.value) == want, (path.name, key)
