"""Every figure of every seed exact, and of variants of each seed with distinct numbers."""

from __future__ import annotations

import re

import pytest
from conftest import SEEDS, parse_text, seed_text

from goitui import labels
from goitui.model import NUMBER, UNPLACED

EXPECTED_META = {
    "000": ("拉西瓦镇人民政府", "title", 2019, "body"),
    "001": ("紫溪镇", "body", 2019, "body"),
    "002": ("八道沟镇人民政府", "title", 2020, "body"),
    "003": ("重庆市荣昌区远觉镇人民政府", "title", 2019, "title"),
    "004": ("海原县西安镇人民政府", "title", 2020, "title"),
}
#: figures of the seeds that are not 0
NON_ZERO = {
    "000": {"proactive.procurement.projects": 1, "proactive.procurement.amount": 44.7336},
    "001": {"proactive.normative_docs.new_made": 9, "proactive.normative_docs.new_published": 9,
            "proactive.normative_docs.total_published": 9},
}
REVIEW_KEYS = [k for r in labels.REVIEWS for k in r.keys()]


@pytest.mark.parametrize("prefix", sorted(EXPECTED_META))
def test_seed_metadata_sections_template(prefix: str) -> None:
    r = parse_text(seed_text(prefix))
    assert (r.agency, r.agency_from, r.year, r.year_from) == EXPECTED_META[prefix]
    assert r.template == labels.T2019
    assert sorted(r.sections) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("prefix", sorted(EXPECTED_META))
def test_seed_every_figure(prefix: str) -> None:
    r = parse_text(seed_text(prefix))
    keys = labels.keys_for(labels.T2019)
    assert set(r.figures) == set(keys)
    for key in keys:
        f = r.figures[key]
        if prefix == "004" and key.startswith("reviews."):
            continue
        assert f.kind == NUMBER, (key, f)
        assert f.value == NON_ZERO.get(prefix, {}).get(key, 0), key
        assert f.line and f.source and f.raw.strip()


def test_seed_000_amount_keeps_unit_and_raw() -> None:
    f = parse_text(seed_text("000")).figures["proactive.procurement.amount"]
    assert (f.value, f.unit) == (44.7336, "万元")
    assert "44.7336万元" in f.raw


def test_seed_004_sixteen_review_numbers_are_recorded_not_shifted() -> None:
    r = parse_text(seed_text("004"))
    cells = [f for f in r.findings if f.rule == "S-CELLS"]
    assert len(cells) == 1
    assert (cells[0].expected, cells[0].actual, cells[0].severity) == (15, 16, "error")
    assert set(cells[0].keys) == set(REVIEW_KEYS)
    for key in REVIEW_KEYS:
        f = r.figures[key]
        assert f.kind == UNPLACED and f.value is None
        assert f.raw.count("0") == 16


def test_seed_002_extra_row_is_a_finding_not_a_figure() -> None:
    r = parse_text(seed_text("002"))
    extra = [f for f in r.findings if f.rule == "S-LABEL"]
    assert len(extra) == 1 and "政府信息公开发布总数量" in extra[0].message
    assert extra[0].actual == ["57"]
    assert 57 not in [f.value for f in r.figures.values()]


# ------------------------------------------------- variants with distinct numbers

_SEP = re.compile(r"(\t|\|)")
_NUM = re.compile(r"^(\s*)(\d+(?:\.\d+)?)(万元)?(\s*)$")


def distinct_variant(text: str) -> tuple[str, list[int]]:
    """The seed with every numeric table cell replaced by 101, 102, … in printed order."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if "二、主动公开政府信息情况" in ln)
    end = next(i for i, ln in enumerate(lines) if "五、存在的主要问题" in ln)
    counter = 100
    issued: list[int] = []
    for i in range(start, end):
        pieces = _SEP.split(lines[i])
        for j, piece in enumerate(pieces):
            m = _NUM.match(piece.replace("\u00a0", " ").replace("\u3000", " "))
            if m and piece.strip("\u00a0\u3000 "):
                counter += 1
                issued.append(counter)
                pieces[j] = f"{m[1]}{counter}{m[3] or ''}{m[4]}"
        lines[i] = "".join(pieces)
    return "\n".join(lines), issued


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_variant_distinct_numbers_exact(path) -> None:
    text, issued = distinct_variant(path.read_text(encoding="utf-8"))
    r = parse_text(text)
    keys = labels.keys_for(labels.T2019)
    if path.name.startswith("004"):
        keys = [k for k in keys if not k.startswith("reviews.")]
        assert len(issued) == len(keys) + 16
    else:
        assert len(issued) == len(keys)
    for key, value in zip(keys, issued):
        assert r.figures[key].value == value, key
        assert r.figures[key].kind == NUMBER
