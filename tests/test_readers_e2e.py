"""Through ``read_path`` and ``parse_document``: every figure comes back exact.

Generated HTML and Word reports carry distinct non-zero figures, so a cell read from the wrong
row or column cannot pass; the three corpus PDFs are checked against figures typed in by hand
from the printed tables.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from goitui import labels
from goitui.parse.report import parse_document
from goitui.readers import read_path
from goitui.testing import generate

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"
AGENCY = "青石镇人民政府"


def _mismatches(path: Path, expected: dict[str, int | float]) -> dict[str, tuple]:
    report = parse_document(read_path(path))
    return {k: (v, report.value(k)) for k, v in expected.items() if report.value(k) != v}


@pytest.mark.parametrize("template", [labels.T2019, labels.T2021])
@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_generated_html(tmp_path: Path, template: str, encoding: str) -> None:
    figures = generate.make_figures(template, random.Random(f"html{template}{encoding}"))
    path = tmp_path / "report.html"
    path.write_bytes(generate.render_html(figures, template, agency=AGENCY, year=2022, encoding=encoding))
    assert _mismatches(path, figures) == {}


@pytest.mark.parametrize("template", [labels.T2019, labels.T2021])
def test_generated_docx(tmp_path: Path, template: str) -> None:
    figures = generate.make_figures(template, random.Random(f"docx{template}"))
    path = generate.render_docx(figures, template, agency=AGENCY, year=2023, path=tmp_path / "r.docx")
    report = parse_document(read_path(path))
    assert (report.agency, report.year, report.template) == (AGENCY, 2023, template)
    assert _mismatches(path, figures) == {}


# ---------------------------------------------------------------------------------------------
# the corpus PDFs, figures as printed

_ROWS_2019_STYLE = [
    "new_received", "carried_over", "granted", "partially_granted",
    *(f"withheld.{k}" for k in ("state_secret", "law_forbidden", "three_safeties", "third_party",
                                "internal_affairs", "process_info", "enforcement_file",
                                "query_matter")),
    *(f"unavailable.{k}" for k in ("not_held", "needs_creation", "unclear")),
    *(f"not_processed.{k}" for k in ("petition", "duplicate", "publication", "excessive",
                                     "reconfirm")),
    "other", "total_processed", "carried_forward",
]
_ROWS_2021 = [r for r in _ROWS_2019_STYLE if r != "other"]
_ROWS_2021[_ROWS_2021.index("total_processed"):_ROWS_2021.index("total_processed")] = [
    "other.overdue_correction", "other.overdue_fee", "other.other"]
_COLS = ("natural_person", "commercial", "research", "social_welfare", "legal_service",
         "other_org", "total")
_PROACTIVE = ("regulations.made", "regulations.repealed", "regulations.in_force",
              "normative_docs.made", "normative_docs.repealed", "normative_docs.in_force",
              "licensing.decisions", "penalty.decisions", "coercion.decisions", "fees.amount_wan")
_REVIEWS = [f"{g}.{k}" for g in ("review", "litigation_direct", "litigation_after_review")
            for k in ("upheld", "corrected", "other", "pending", "total")]


def _only(first: int) -> list[int]:
    """A row where only 自然人 applied: that number, five zeros, the same total."""
    return [first, 0, 0, 0, 0, 0, first]


def _figures(rows: list[str], table3: list[list[int]], proactive: list[int | float],
             reviews: list[int]) -> dict[str, int | float]:
    assert len(rows) == len(table3) and len(proactive) == 10 and len(reviews) == 15
    out: dict[str, int | float] = dict(zip((f"proactive.{k}" for k in _PROACTIVE), proactive,
                                           strict=True))
    for row, values in zip(rows, table3, strict=True):
        out.update(zip((f"applications.{row}.{c}" for c in _COLS), values, strict=True))
    out.update(zip((f"reviews.{k}" for k in _REVIEWS), reviews, strict=True))
    return out


HONGZE_2023 = _figures(_ROWS_2019_STYLE, [
    _only(21), _only(0), _only(0), _only(4),
    _only(1), _only(0), _only(0), _only(0), _only(0), _only(1), _only(1), _only(0),
    _only(10), _only(3), _only(0),
    _only(1), _only(0), _only(0), _only(0), _only(0),
    _only(0), _only(21), _only(0),
], [0, 0, 0, 0, 5, 5, 550, 4119, 195, 7730.28],
    [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0])

HONGZE_2024 = _figures(_ROWS_2019_STYLE, [
    _only(95), _only(0), _only(50), _only(9),
    _only(0), _only(0), _only(1), _only(0), _only(0), _only(1), _only(1), _only(0),
    _only(31), _only(1), _only(0),
    _only(1), _only(0), _only(0), _only(0), _only(0),
    _only(0), _only(95), _only(0),
], [0, 0, 0, 3, 0, 8, 9487, 2776, 84, 7545],
    [1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3])

HUAIAN_2024 = _figures(_ROWS_2021, [
    [3001, 53, 0, 0, 61, 4, 3119], _only(34),
    [1288, 21, 0, 0, 50, 3, 1362], [447, 7, 0, 0, 0, 0, 454],
    _only(2), [30, 1, 0, 0, 0, 0, 31], _only(5), _only(6), [7, 1, 0, 0, 0, 0, 8], _only(12),
    _only(9), _only(105),
    [746, 12, 0, 0, 10, 1, 769], _only(11), _only(1),
    [56, 6, 0, 0, 0, 0, 62], _only(25), _only(0), _only(0), _only(1),
    [67, 3, 0, 0, 1, 0, 71], _only(6), [108, 2, 0, 0, 0, 0, 110],
    [2932, 53, 0, 0, 61, 4, 3050], _only(103),
], [1, 0, 11, 8, 26, 66, 447228, 3985758, 88283, 96171.6],
    [72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20])


@pytest.mark.parametrize(("name", "expected", "agency", "year"), [
    ("hongze-2023.pdf", HONGZE_2023, "洪泽区人民政府", 2023),
    ("hongze-2024.pdf", HONGZE_2024, "淮安市洪泽区人民政府", 2024),
    ("huaian-2024.pdf", HUAIAN_2024, "淮安市人民政府", 2024),
])
def test_corpus_pdf(name: str, expected: dict[str, int | float], agency: str, year: int) -> None:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not available")
    report = parse_document(read_path(path))
    assert (report.agency, report.year) == (agency, year)
    assert _mismatches(path, expected) == {}
    table_keys = {k for k in report.figures if not k.startswith("proactive.")}
    assert table_keys == {k for k in expected if not k.startswith("proactive.")}
