"""The one line wrapper (render/wrap.py): Chinese line-breaking rules, numbers whole, widths kept."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from goitui.render.display import width
from goitui.render.wrap import NO_LINE_END, NO_LINE_START, wrap

PIECES = st.sampled_from([
    "县", "林业局", "收到申请", "件", "，", "。", "、", "；", "：", "（", "）", "「", "」", "《",
    "》", "？", " ", "3", "47", "2018", "5,607", "１６", "０．５", "note", "S-CELLS", "—",
])


def _numbers(text: str) -> list[str]:
    return re.findall(r"[0-9][0-9,]*[0-9]|[０-９][０-９，．]*[０-９]", text)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join), st.integers(min_value=6, max_value=40))
def test_wrapped_lines_follow_the_rules(text: str, size: int) -> None:
    lines = wrap(text, size, indent="  ")
    body = [lines[0]] + [ln[2:] for ln in lines[1:]]
    assert all(ln.startswith("  ") for ln in lines[1:])
    # nothing is lost or changed but the spaces at a break
    assert "".join(body).replace(" ", "") == text.replace(" ", "")
    for ln in body[1:]:
        assert ln and ln[0] not in NO_LINE_START, lines
    for ln in body[:-1]:
        if ln:
            assert ln[-1] not in NO_LINE_END, lines
    # a number is never split: each of the text's numbers is whole on one line
    for number in _numbers(text.replace(" ", "\n")):
        assert any(number in ln for ln in body), (number, lines)
    # within the width, except a single token wider than a line or a mark hanging at its end
    for ln in lines:
        if width(ln) > size:
            assert ln.rstrip()[-1] in NO_LINE_START or len(ln.split()) <= 2, lines


def test_closing_punctuation_moves_the_character_before_it_down() -> None:
    assert wrap("甲乙丙丁，戊", 8) == ["甲乙丙", "丁，戊"]
    assert wrap("甲乙丙（丁戊", 8) == ["甲乙丙", "（丁戊"]


def test_numbers_and_words_stay_whole() -> None:
    assert wrap("共收到申请12,345件", 12) == ["共收到申请", "12,345件"]
    assert wrap("上年为２０１９件", 10) == ["上年为", "２０１９件"]
    assert wrap("expected 3, actual 4", 10) == ["expected", "3, actual", "4"]


def test_a_number_typed_in_both_widths_stays_whole() -> None:
    assert wrap("收费１２.7万元，计３５9项", 12) == ["收费１２.7万", "元，计３５9", "项"]
    assert wrap("截至２0２3年底", 8) == ["截至", "２0２3年", "底"]


def test_first_and_indent_count_towards_the_width() -> None:
    assert wrap("一二三四五六", 8, first="- ", indent="  ") == ["- 一二三", "  四五六"]
