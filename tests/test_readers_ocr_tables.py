"""The OCR reader's table geometry on drawn pages (no recognizer runs: rules and ink only).

A table cut by a page break has no rule at its cut edge; a thin digit can fall apart into
pieces at the ink threshold; a cell with nothing read keeps its box. Each is drawn here with
numpy, in other sizes than the scans, and read by the functions the OCR reader uses.
"""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("cv2", reason="OCR is goi's ocr extra")

from goitui.readers.ocr import _Box, _find_rules, _missed, _Page, _table_part, _tables  # noqa: E402

TEXT_HEIGHT = 18.0
XS = [60, 260, 340, 420, 500]
YS = [80, 124, 168, 212, 256]


def page_with_rules(top: bool = True, bottom: bool = True, height: int = 400) -> _Page:
    """A white page with a ruled table: rows ``YS``, columns ``XS``; its first or last
    horizontal rule left out (the table runs on from the page before, or onto the next)."""
    image = np.full((height, 560), 255, dtype=np.uint8)
    first, last = YS[0] if top else YS[0] - 40, YS[-1] if bottom else YS[-1] + 40
    for i, y in enumerate(YS):
        if (i == 0 and not top) or (i == len(YS) - 1 and not bottom):
            continue
        image[y:y + 2, XS[0]:XS[-1] + 2] = 0
    for x in XS:
        image[first:last + 2, x:x + 2] = 0
    return _Page(image, np.array([[1.0, 0, 0], [0, 1.0, 0]]))


def found(page: _Page) -> list:
    return _tables(page, _find_rules(page, TEXT_HEIGHT), TEXT_HEIGHT)


def test_a_closed_table_has_its_rows_and_columns() -> None:
    (table,) = found(page_with_rules())
    assert len(table.xs) == len(XS) and len(table.ys) == len(YS)


@pytest.mark.parametrize(("top", "bottom"), [(True, False), (False, True)])
def test_a_table_cut_by_a_page_break_keeps_its_open_row(top: bool, bottom: bool) -> None:
    """Without a rule at the cut, the column rules running to the edge bound that row."""
    (table,) = found(page_with_rules(top=top, bottom=bottom))
    assert len(table.xs) == len(XS)
    assert len(table.ys) == len(YS)  # one rule fewer, and the edge the rules run to
    cut = table.ys[-1] if not bottom else table.ys[0]
    assert abs(cut - (YS[-1] + 41 if not bottom else YS[0] - 40)) <= 4
    assert len(table.cells) == (len(XS) - 1) * (len(YS) - 1)


def test_a_thin_digit_broken_by_the_threshold_is_ink_not_specks() -> None:
    """A 7 whose bar and stem the threshold parted, each shorter than a speck's limit, is
    still ink in the cell, read rather than taken for a blank; lone specks are not."""
    page = page_with_rules()
    image = page.image
    x, y = XS[1] + 30, YS[1] + 14
    image[y:y + 2, x:x + 7] = 0  # the bar
    image[y + 3:y + 9, x + 3:x + 6] = 0  # the stem, a pixel below it
    image[YS[2] + 20:YS[2] + 22, XS[2] + 30:XS[2] + 32] = 0  # a speck in another cell
    rules = _find_rules(page, TEXT_HEIGHT)
    (table,) = _tables(page, rules, TEXT_HEIGHT)
    (box,) = _missed([table], [], rules, TEXT_HEIGHT)
    assert box.inked and box.x0 < x and box.x1 > x + 6 and box.y0 < y and box.y1 > y + 8


def test_a_cell_with_nothing_read_keeps_its_box_and_no_confidence() -> None:
    page = page_with_rules()
    (table,) = found(page)
    read = _Box(XS[1] + 20, YS[1] + 10, XS[1] + 40, YS[1] + 30, "12", 0.97)
    part = _table_part(page, table, [read], 3, 1.0)
    marks = {(c.row, c.col): c.mark for c in part.cells}
    assert marks[(1, 1)] is not None and marks[(1, 1)].confidence == 0.97
    empty = marks[(2, 2)]
    assert empty is not None and empty.confidence is None
    x0, y0, x1, y1 = (int(v) for v in empty.box.split(","))
    assert abs(x0 - XS[2]) <= 3 and abs(y0 - YS[2]) <= 3 and abs(x1 - XS[3]) <= 3


def test_a_row_printed_without_rules_keeps_each_numbers_own_confidence() -> None:
    """A label and its numbers read as boxes of one line, no rules around them: each number
    is a cell with its own confidence and box, not the line's lowest for all of them."""
    from goitui.readers.ocr import _prose_lines
    from goitui.readers.pdf import build_lines

    page = _Page(np.full((900, 700), 255, dtype=np.uint8), np.array([[1.0, 0, 0], [0, 1.0, 0]]))
    line = [_Box(40, 300, 200, 322, "5.属于三类内部事务信息", 0.99),
            _Box(330, 301, 350, 321, "17", 0.98), _Box(410, 301, 430, 321, "4", 0.62),
            _Box(490, 301, 520, 321, "203", 0.97)]
    prose = [_Box(40, 400, 600, 422, "本机关全年共办理政府信息公开申请203件。", 0.95),
             _Box(40, 440, 300, 462, "其中自然人申请", 0.96), _Box(310, 440, 340, 462, "17", 0.99)]
    (row, sentence, short) = build_lines([_prose_lines(page, line + prose, 2, 1.0, 900)])
    assert row.cells == ["5.属于三类内部事务信息", "17", "4", "203"]
    assert [m.confidence for m in row.marks] == [0.99, 0.98, 0.62, 0.97]
    assert row.marks[2].box == "410,301,430,321" and row.text.endswith("17 4 203")
    assert sentence.cells == ["本机关全年共办理政府信息公开申请203件。"]  # prose keeps its one text
    assert len(short.cells) == 1  # one number after a label is prose, not a row
