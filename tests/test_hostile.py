"""Hostile files: time and memory bounded by the file's size, caps that refuse with the reason,
names and paths that are data, never terminal commands.

Every input here is generated in the test, smaller than the files that showed each problem but
large enough that the old quadratic code would take minutes where the linear code takes well
under a second: each bound below is generous for linear work and far below quadratic work.
"""

from __future__ import annotations

import time
from pathlib import Path

from goitui.parse.report import parse_document
from goitui.readers.textfile import read_text

_TITLES = ("总体情况", "主动公开情况", "收到和处理政府信息公开申请情况", "行政复议、行政诉讼情况",
           "存在的主要问题及改进情况", "其他需要报告的事项")


def _elapsed(work, *args):  # noqa: ANN001, ANN202 - a timing helper
    start = time.perf_counter()
    result = work(*args)
    return time.perf_counter() - start, result


def test_heading_search_is_linear_in_heading_like_lines() -> None:
    # 30,000 lines that all look like section headings: the chain search compared every pair
    lines = ["淮阴区某街道办事处2022年政府信息公开工作年度报告"]
    lines += [f"{'一二三四五六'[i % 6]}、{_TITLES[i % 6]}" for i in range(30_000)]
    seconds, report = _elapsed(lambda: parse_document(read_text("\n".join(lines).encode())))
    assert seconds < 10  # pairwise: over a minute
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
