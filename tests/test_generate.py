"""The generator itself: its figures obey the template, and every layout prints all of them.

The parser's tests trust these reports as ground truth, so the generator is checked without
the parser: arithmetic, distinctness, and the numbers of each rendered table read back in
key order with nothing but ``layout`` and ``text``.
"""

from __future__ import annotations

import io
import random

import docx
import pytest
from lxml import html as lxml_html

from goitui import labels
from goitui.model import NUMBER
from goitui.readers.layout import text_to_document
from goitui.testing import generate
from goitui.text import clean, parse_value

TEMPLATES = (labels.T2019, labels.T2021)
APP = "applications"


def figures(template: str, seed: int = 1, **kw) -> dict:
    return generate.make_figures(template, random.Random(seed), **kw)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("seed", range(20))
def test_arithmetic_holds(template: str, seed: int) -> None:
    f = figures(template, seed)
    assert list(f) == labels.keys_for(template)
    cols = [c.key for c in labels.APPLICANT_COLUMNS if c.key != "total"]
    results = [r.key for r in labels.rows_for(APP, template) if r.key in labels.RESULT_ROWS]
    for row in labels.rows_for(APP, template):
        assert f[f"{APP}.{row.key}.total"] == sum(f[f"{APP}.{row.key}.{c}"] for c in cols)
    for c in cols + ["total"]:
        assert f[f"{APP}.total_processed.{c}"] == sum(f[f"{APP}.{r}.{c}"] for r in results)
        assert (f[f"{APP}.new_received.{c}"] + f[f"{APP}.carried_over.{c}"]
                == f[f"{APP}.total_processed.{c}"] + f[f"{APP}.carried_forward.{c}"])
    for row in labels.REVIEWS:
        k = f"reviews.{row.key}."
        assert f[k + "total"] == sum(f[k + c] for c in ("upheld", "corrected", "other", "pending"))


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("consistent", [True, False])
def test_values_distinct_and_nonzero(template: str, consistent: bool) -> None:
    for seed in range(20):
        f = figures(template, seed, consistent=consistent)
        values = [abs(v) for v in f.values()]
        assert len(set(values)) == len(values)
        assert all(v != 0 for v in values)
        for k, v in f.items():
            if k in generate.DECIMAL_KEYS:
                assert isinstance(v, float) and not v.is_integer()
            else:
                assert isinstance(v, int)
                assert v > 0 or k.endswith(".change")


def test_change_is_sometimes_negative() -> None:
    signs = {f[k] < 0 for s in range(10) for f in [figures(labels.T2019, s)] for k in f
             if k.endswith(".change")}
    assert signs == {True, False}


def test_inconsistent_breaks_arithmetic() -> None:
    f = figures(labels.T2021, 3, consistent=False)
    cols = [c.key for c in labels.APPLICANT_COLUMNS if c.key != "total"]
    assert f[f"{APP}.granted.total"] != sum(f[f"{APP}.granted.{c}"] for c in cols)


def test_previous_year_is_followed() -> None:
    rng = random.Random(5)
    last = generate.make_figures(labels.T2021, rng)
    this = generate.make_figures(labels.T2021, rng, previous=last)
    for c in labels.APPLICANT_COLUMNS:
        assert this[f"{APP}.carried_over.{c.key}"] == last[f"{APP}.carried_forward.{c.key}"]
    for row in ("regulations", "normative_docs"):
        p = f"proactive.{row}."
        assert this[p + "in_force"] == last[p + "in_force"] + this[p + "made"] - this[p + "repealed"]
    last = generate.make_figures(labels.T2019, rng)
    this = generate.make_figures(labels.T2019, rng, previous=last)
    for row in ("licensing", "penalty", "fees"):
        p = f"proactive.{row}."
        if last[p + "prev_items"] + last[p + "change"] > 0:
            assert this[p + "prev_items"] == last[p + "prev_items"] + last[p + "change"]


def table_numbers(text: str) -> list[int | float]:
    """Every number printed between section 二's title and section 五's, in reading order."""
    doc = text_to_document(text)
    out: list[int | float] = []
    inside = False
    for line in doc.lines:
        t = clean(line.text)
        if labels.SECTION_TITLES[2] in t:
            inside = True
            continue
        if labels.SECTION_TITLES[5] in t:
            break
        if not inside:
            continue
        for cell in line.cells:
            v = parse_value(cell)
            if v.kind == NUMBER:
                out.append(v.value)
            else:  # PDF text: ``label v1 v2 …``
                out += [parse_value(x).value for x in clean(cell).split(" ")
                        if parse_value(x).kind == NUMBER]
    return out


@pytest.mark.parametrize("layout", generate.LAYOUTS)
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_layout_prints_every_value_in_key_order(layout: str, template: str) -> None:
    for seed in range(3):
        f = figures(template, seed)
        text = generate.render(f, template, layout, agency="白河乡人民政府", year=2020,
                        rng=random.Random(seed))
        assert table_numbers(text) == list(f.values())
        assert "白河乡人民政府" in text and "2020" in text.splitlines()[0] + text[:200]
        for title in labels.SECTION_TITLES.values():
            assert title in text


@pytest.mark.parametrize("layout", generate.LAYOUTS)
def test_blanks_and_placeholders(layout: str) -> None:
    f = figures(labels.T2019, 7)
    holes = generate.punch(f, random.Random(1), blanks=5, placeholders=5)
    text = generate.render(holes, labels.T2019, layout, agency="白河乡人民政府", year=2019)
    expected = [v for v in holes.values() if isinstance(v, int | float)]
    assert table_numbers(text) == expected
    printed = [v for v in holes.values() if isinstance(v, str)]
    assert len(printed) == 5 and {generate.kind_of(v) for v in printed} == {"placeholder"}
    if layout in generate.GRID_LAYOUTS:
        assert "|  |" in text or "\t\t" in text


def test_layout_details_follow_the_seeds() -> None:
    f = figures(labels.T2019, 2)
    agency = "白河乡人民政府"
    cells = generate.render(f, labels.T2019, generate.CELLS, agency=agency, year=2019)
    assert "本年新\n制作数量" in cells and "商业\n企业" in cells
    assert "\u00a0" in cells and "\u3000" in cells
    pipes = generate.render(f, labels.T2019, generate.PIPES, agency=agency, year=2019)
    assert "(一)予以公开 |" in pipes and "||" in pipes and "（" not in pipes
    tabs = generate.render(f, labels.T2019, generate.TABS, agency=agency, year=2019)
    assert "\t(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)\t" in tabs
    rows = generate.render(f, labels.T2019, generate.PIPE_ROWS, agency=agency, year=2019)
    assert "三、本年度办理结果 | (一)予以公开 | " in rows
    md = generate.render(f, labels.T2021, generate.MARKDOWN, agency=agency, year=2022)
    assert "|---|" in md and "\n## 一、总体情况" in md
    spaced = generate.render(f, labels.T2019, generate.SPACED, agency=agency, year=2019)
    n = f"{APP}.new_received."
    assert (labels.APPLICATIONS[0].label + " " + " ".join(str(f[n + c.key])
                                                      for c in labels.APPLICANT_COLUMNS)) in spaced


@pytest.mark.parametrize("template", TEMPLATES)
def test_html_has_real_merges(template: str) -> None:
    f = generate.punch(figures(template, 4), random.Random(2), blanks=3)
    for enc in ("utf-8", "gbk"):
        page = generate.render_html(f, template, agency="白河乡人民政府", year=2021, encoding=enc)
        tree = lxml_html.fromstring(page.decode(enc))
        spans = {(td.get("rowspan"), td.get("colspan"), td.text_content())
                 for td in tree.iter("td")}
        assert (("20" if template == labels.T2019 else "22"), None, "三、本年度办理结果") in spans
        assert ("8", None, "（三）不予公开") in spans
        if template == labels.T2019:
            assert (None, "2", "（六）其他处理") in spans
        else:
            assert ("3", None, "（六）其他处理") in spans
            assert (None, "3", str(f["proactive.licensing.decisions"])) in spans
        assert b"&nbsp;" in page and b"<p" in page
        assert "<p" in page.decode(enc).split("商业")[0][-200:]  # 商业 / 企业 in two <p>
        assert f"charset={'gb2312' if enc == 'gbk' else 'utf-8'}".encode() in page


@pytest.mark.parametrize("template", TEMPLATES)
def test_docx_tables_are_merged(template: str, tmp_path) -> None:
    f = figures(template, 6)
    path = generate.render_docx(f, template, agency="白河乡人民政府", year=2021,
                         path=tmp_path / "r.docx")
    d = docx.Document(io.BytesIO(path.read_bytes()))
    assert len(d.tables) == 3
    apps = d.tables[1]
    first = [c.text for c in apps.rows[3].cells]
    assert first[:3] == [labels.APPLICATIONS[0].label] * 3
    assert first[3:] == [str(f[k]) for k in labels.APPLICATIONS[0].keys()]
    column = [r.cells[0].text for r in apps.rows]
    assert column.count(labels.CATEGORY_LABELS[0]) == (20 if template == labels.T2019 else 22)
    review_values = [c.text for c in d.tables[2].rows[3].cells]
    assert review_values == [str(f[k]) for r in labels.REVIEWS for k in r.keys()]


def test_write_corpus(tmp_path) -> None:
    paths = generate.write_corpus(tmp_path, 30, seed=3)
    assert len(paths) == 30 and all(p.exists() for p in paths)
    plan = generate.corpus_plan(30, seed=3)
    combos = {(e.template, e.layout) for e in plan}
    assert combos == {(t, lay) for t in TEMPLATES for lay in generate.LAYOUTS}
    agencies = {e.agency for e in plan}
    assert len(agencies) < 30  # several years per agency
    years = {}
    for e in plan:
        assert e.agency in paths[plan.index(e)].read_text(encoding="utf-8")
        assert (e.template == labels.T2019) == (e.year <= 2020) or e.year == 2024
        years.setdefault(e.agency, []).append(e.year)
        prev = next((p for p in plan if p.agency == e.agency and p.year == e.year - 1), None)
        if prev:
            for c in labels.APPLICANT_COLUMNS:
                assert (e.figures[f"{APP}.carried_over.{c.key}"]
                        == prev.figures[f"{APP}.carried_forward.{c.key}"])
    assert all(2019 <= y <= 2024 for ys in years.values() for y in ys)
    assert any(len(ys) >= 3 for ys in years.values())


def test_corpus_with_html_and_docx(tmp_path) -> None:
    paths = generate.write_corpus(tmp_path, 16, seed=1, formats=("text", "html", "docx"))
    assert {p.suffix for p in paths} == {".txt", ".html", ".docx"}
