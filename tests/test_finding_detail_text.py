"""The finding detail's fields wrap by terminal cells: a Chinese label and value never run past
the popup's width, and nothing of the value is lost at a break."""

from __future__ import annotations

import pytest

from goitui.i18n import set_language
from goitui.render.display import width
from goitui.tui.finding_detail import finding_text


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("popup", [56, 72])
def test_fields_wrap_by_cells_in_either_language(language: str, popup: int) -> None:
    note = "已核实：原网页被篡改，" * 6 + "见2024年3月12日函（瑞政公〔2024〕18号）。"
    row = {"severity": "error", "rule": "A-SUM", "agency": "泰顺县罗阳镇人民政府", "year": 2022,
           "message": "本年新收 + 上年结转 ≠ 已处理 + 结转下年度", "expected": 1234567, "actual": 1234568,
           "source": "table 3, row 12", "keys": ["applications.new.total", "applications.carried.total"],
           "fingerprint": "9f3a" * 8, "review": "dismissed", "note": note}
    try:
        set_language(language)
        text = finding_text(row, width=popup)
    finally:
        set_language(None)
    lines = text.plain.splitlines()
    assert all(width(line) <= popup for line in lines), [ln for ln in lines if width(ln) > popup]
    note_at = next(i for i, line in enumerate(lines) if "已核实" in line)
    shown = "".join(line.strip() for line in lines[note_at:])
    assert note.replace(" ", "") in shown.replace(" ", "")
    assert "1234567" in text.plain and "1234568" in text.plain  # numbers never split
    label = lines[note_at].split("已核实")[0]
    start = text.plain.index(label + "已核实")
    assert any(span.style == "bold" and span.start <= start and span.end >= start + len(label.rstrip())
               for span in text.spans)
