"""Parsing is exact: every generated figure comes back, in every layout, on both templates.

Each report is generated with known figures (distinct and non-zero, so a value read from a
neighbouring cell cannot pass), printed by ``goitui.generate`` in one of the real text
layouts, read by ``layout.text_to_document`` and parsed by ``parse.parse_document`` with no
agency or year given. A blank cell must come back blank (never 0) where the layout keeps
its place; where the layout drops it (one cell per line, PDF text), no figure of that row
may take a wrong value.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from goitui import labels
from goitui.model import BLANK, NUMBER, Report
from goitui.parse.report import parse_document
from goitui.readers.layout import text_to_document
from goitui.testing import generate

TEMPLATES = (labels.T2019, labels.T2021)
NON_GRID = tuple(lay for lay in generate.LAYOUTS if lay not in generate.GRID_LAYOUTS)
GRID = tuple(lay for lay in generate.LAYOUTS if lay in generate.GRID_LAYOUTS)
#: no shrinking: a smaller seed is not a simpler report, and failures stay fast to report
FAST = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.too_slow])


@dataclass
class Case:
    template: str
    layout: str
    figures: dict[str, generate.Value]
    agency: str
    year: int
    text: str
    report: Report


def roundtrip(template: str, layout: str, seed: int, *, blanks: int = 0,
              placeholders: int = 0, year: int | None = None,
              overrides: dict[str, generate.Value] | None = None) -> Case:
    rng = random.Random(seed)
    figs = generate.punch(generate.make_figures(template, rng), rng, blanks=blanks, placeholders=placeholders)
    figs.update(overrides or {})
    agency = generate.agency_names(1, rng)[0]
    year = year or rng.randint(2019, 2024)  # the template is never decided from the year
    text = generate.render(figs, template, layout, agency=agency, year=year, rng=rng)
    report = parse_document(text_to_document(text), agency=None, year=None)
    return Case(template, layout, figs, agency, year, text, report)


def _got(case: Case, key: str) -> tuple:
    f = case.report.figures.get(key)
    return (None, "missing", None) if f is None else (f.value, f.kind, f.raw)


def mismatches(case: Case, keys=None) -> list[str]:
    """Keys whose parsed value or kind differs from the generated one, readably."""
    out = []
    for key in keys if keys is not None else case.figures:
        v = case.figures[key]
        want = (None if isinstance(v, str) else v, generate.kind_of(v))
        value, kind, raw = _got(case, key)
        if (value, kind) != want:
            out.append(f"{key}: expected {want}, got {(value, kind)} from {raw!r}")
    return out


def meta_problems(case: Case) -> list[str]:
    r = case.report
    got, want = (r.agency, r.year, r.template), (case.agency, case.year, case.template)
    if got == want:
        return []
    return [f"agency/year/template: expected {want}, got {got} "
            f"(title {r.title!r}, agency from {r.agency_from})"]


def fail(case: Case, problems: list[str]) -> None:
    assert not problems, (f"{case.layout}/{case.template}: {len(problems)} wrong:\n"
                          + "\n".join(problems[:12]))


def assert_exact(case: Case) -> None:
    fail(case, meta_problems(case) + mismatches(case))


def row_of(key: str) -> str:
    """The printed row a key sits in (the 15 review figures are one row)."""
    return "reviews" if key.startswith("reviews.") else key.rsplit(".", 1)[0]


def assert_never_shifted(case: Case) -> None:
    """Layouts that drop blank cells: rows without holes exact, other rows never wrong."""
    holed = {row_of(k) for k, v in case.figures.items() if v is None}
    whole = [k for k in case.figures if row_of(k) not in holed]
    bad = meta_problems(case) + mismatches(case, whole)
    for key, v in case.figures.items():
        value, kind, raw = _got(case, key)
        if v is None and (kind == NUMBER or value == 0):
            bad.append(f"{key}: blank read as {value!r} from {raw!r}")
        elif value is not None and value != v:
            bad.append(f"{key}: expected {v!r}, got {value!r} from {raw!r} (shifted)")
    fail(case, bad)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", generate.LAYOUTS)
def test_every_figure_comes_back(layout: str, template: str) -> None:
    for seed in range(2):
        assert_exact(roundtrip(template, layout, seed))


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", generate.LAYOUTS)
def test_placeholders_come_back_as_placeholders(layout: str, template: str) -> None:
    assert_exact(roundtrip(template, layout, 11, placeholders=6))


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", GRID)
def test_blanks_stay_blank_in_grid_layouts(layout: str, template: str) -> None:
    case = roundtrip(template, layout, 12, blanks=6, placeholders=3)
    assert_exact(case)
    blanks = [k for k, v in case.figures.items() if v is None]
    assert all(case.report.figures[k].kind == BLANK for k in blanks)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", NON_GRID)
def test_dropped_blanks_never_shift_values(layout: str, template: str) -> None:
    assert_never_shifted(roundtrip(template, layout, 13, blanks=4))


@pytest.mark.parametrize("layout", [generate.CELLS, generate.TABS, generate.SPACED])
def test_2024_report_on_the_2019_template(layout: str) -> None:
    assert_exact(roundtrip(labels.T2019, layout, 14, year=2024))


@pytest.mark.parametrize("template", TEMPLATES)
def test_blank_first_cell_of_the_review_row(template: str) -> None:
    """The 15 review values have no label: with the first blank, a pipe row starts
    ``" | 17 | 415 | …"`` and that leading empty cell is the blank 行政复议·结果维持."""
    for layout in GRID:
        assert_exact(roundtrip(template, layout, 15,
                               overrides={"reviews.review.upheld": None}))


@pytest.mark.parametrize("template", TEMPLATES)
def test_placeholder_first_in_the_review_row(template: str) -> None:
    """``无 197 328 …`` (PDF text): a label-less row of values may start with 无."""
    for layout in generate.LAYOUTS:
        for mark in generate.PLACEHOLDER_TEXTS:
            assert_exact(roundtrip(template, layout, 16,
                                   overrides={"reviews.review.upheld": mark}))


@FAST
@given(seed=st.integers(0, 2**32 - 1), layout=st.sampled_from(generate.LAYOUTS),
       template=st.sampled_from(TEMPLATES))
def test_roundtrip_property(seed: int, layout: str, template: str) -> None:
    assert_exact(roundtrip(template, layout, seed))


@FAST
@given(seed=st.integers(0, 2**32 - 1), layout=st.sampled_from(GRID),
       template=st.sampled_from(TEMPLATES), blanks=st.integers(0, 8),
       placeholders=st.integers(0, 8))
def test_roundtrip_with_holes_property(seed: int, layout: str, template: str, blanks: int,
                                       placeholders: int) -> None:
    assert_exact(roundtrip(template, layout, seed, blanks=blanks, placeholders=placeholders))


@FAST
@given(seed=st.integers(0, 2**32 - 1), layout=st.sampled_from(NON_GRID),
       template=st.sampled_from(TEMPLATES), blanks=st.integers(1, 6))
def test_dropped_blanks_property(seed: int, layout: str, template: str, blanks: int) -> None:
    assert_never_shifted(roundtrip(template, layout, seed, blanks=blanks))
