"""``goi diff``: figures by key, template changes, prose reuse, cross-year findings, exit codes."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goitui import labels
from goitui.archive.store import Archive
from goitui.cli import app
from goitui.diff.compare import (
    BY_TEMPLATE,
    CHANGED,
    DROPPED,
    EDITED,
    NEW,
    NOT_READ,
    ONLY_NEW,
    ONLY_OLD,
    REPEATED,
    diff_reports,
    mentions,
    sentences,
)
from goitui.model import BLANK, PLACEHOLDER, WARNING, Finding, Report
from goitui.parse.report import parse_document
from goitui.pipeline import store_report
from goitui.readers.layout import text_to_document
from goitui.render.diff import diff_markdown, diff_text
from goitui.render.display import width
from goitui.testing import generate

AGENCY = "青石镇人民政府"
runner = CliRunner()


def parse(text: str, year: int | None = None) -> Report:
    return parse_document(text_to_document(text), year=year)


def store(arch: Archive, report: Report, name: str) -> Report:
    stored = store_report(arch, report, path=name, sha=name, size=len(report.text))
    return arch.load(stored.report_id)


def render(figs: dict, template: str, year: int, agency: str = AGENCY, **kw) -> str:
    return generate.render(figs, template, generate.TABS, agency=agency, year=year,
                    rng=random.Random(year), **kw)


@pytest.fixture
def history() -> dict[int, dict]:
    """2020 on the 2019 template, 2021 and 2022 on the 2021 template; 2022 copies 2021 but
    for four cells, one of them blank and one a placeholder."""
    rng = random.Random(7)
    f20 = generate.make_figures(labels.T2019, rng)
    f21 = generate.make_figures(labels.T2021, rng, previous=f20)
    f22 = dict(f21)
    f22["applications.granted.natural_person"] += 5
    f22["reviews.review.upheld"] += 1
    f22["applications.withheld.state_secret.commercial"] = None  # blank, not 0
    f22["proactive.regulations.made"] = "/"
    return {2020: f20, 2021: f21, 2022: f22}


@pytest.fixture
def arch(tmp_path: Path, history: dict[int, dict]) -> Archive:
    a = Archive(tmp_path / "a.db")
    for year, figs in history.items():
        template = labels.T2019 if year == 2020 else labels.T2021
        store(a, parse(render(figs, template, year)), f"{year}.txt")
    yield a
    a.close()


def shown_changes(text: str) -> set[str]:
    """Every figure key the text output lists as changed (row tag + column key per line)."""
    keys, row = set(), None
    for line in text.splitlines():
        m = re.search(r"\[((?:proactive|applications|reviews)\.[\w.]+)\]\s*$", line)
        if m and line.startswith("  ") and not line.startswith("    "):
            row = m.group(1)
        elif m:
            row = None  # a row listed as in one year only
        elif row and "→" in line:
            col = re.match(r"\s+\S+(?:…)?\s+([a-z_]+)\s", line)
            if col:
                keys.add(f"{row}.{col.group(1)}")
        elif not line.startswith("    "):
            row = None
    return keys


def expected_changes(old: dict, new: dict) -> set[str]:
    return {k for k in old if k in new and old[k] != new[k]}


# --------------------------------------------------------------------- figures


def test_same_template_every_change_and_nothing_else(arch: Archive, history: dict) -> None:
    old, new = arch.find_report(AGENCY, 2021), arch.find_report(AGENCY, 2022)
    d = diff_reports(old, new)
    want = expected_changes(history[2021], history[2022])
    assert len(want) == 4
    assert {f.key for f in d.figures} == want
    assert all(f.status == CHANGED for f in d.figures)
    assert d.counts()["unchanged"] == len(history[2021]) - 4
    assert not d.template_changed
    text = diff_text(d)
    assert shown_changes(text) == want
    assert shown_changes(diff_text(diff_reports(old, new, changed_only=True))) == want


def test_blank_and_placeholder_never_zero(arch: Archive) -> None:
    d = diff_reports(arch.find_report(AGENCY, 2021), arch.find_report(AGENCY, 2022))
    by_key = {f.key: f for f in d.figures}
    blank = by_key["applications.withheld.state_secret.commercial"]
    assert blank.new.kind == BLANK and blank.new.value is None and blank.delta is None
    slash = by_key["proactive.regulations.made"]
    assert slash.new.kind == PLACEHOLDER and slash.delta is None
    lines = diff_text(d).splitlines()
    blank_line = next(ln for ln in lines if " commercial " in ln and "→" in ln)
    assert re.search(r"→ blank\b", blank_line)
    assert re.search(r"→ /", next(ln for ln in lines if " made " in ln and "→" in ln))
    js = d.to_dict()
    cell = next(f for f in js["figures"] if f["key"] == blank.key)
    assert cell["new"]["kind"] == "blank" and cell["new"]["value"] is None


def test_template_change_is_named_in_the_readers_language(arch: Archive, history: dict) -> None:
    """The "template changed" line names templates as the summary does (混合, not ``hybrid``)."""
    import dataclasses

    from goitui.i18n import set_language

    d = diff_reports(arch.find_report(AGENCY, 2020), arch.find_report(AGENCY, 2021))
    mixed = dataclasses.replace(d, old=dataclasses.replace(d.old, template="hybrid"))
    try:
        set_language("zh")
        changed = next(ln for ln in diff_text(mixed).splitlines() if "2020" in ln and "→" in ln
                       and "混合" in ln)
        assert "hybrid" not in changed and "2021" in changed
    finally:
        set_language(None)


def test_2019_template_against_2021(arch: Archive, history: dict) -> None:
    old, new = arch.find_report(AGENCY, 2020), arch.find_report(AGENCY, 2021)
    d = diff_reports(old, new)
    assert d.template_changed
    only_old = {f.key for f in d.figures if f.status == ONLY_OLD}
    only_new = {f.key for f in d.figures if f.status == ONLY_NEW}
    assert only_old == set(labels.keys_for(labels.T2019)) - set(labels.keys_for(labels.T2021))
    assert only_new == set(labels.keys_for(labels.T2021)) - set(labels.keys_for(labels.T2019))
    assert {f.reason for f in d.figures if f.status != CHANGED} == {BY_TEMPLATE}
    assert {f.key for f in d.figures if f.status == CHANGED} == expected_changes(
        history[2020], history[2021])
    # （六）其他处理 against the sum of the three 2021 sub-rows, per column
    assert len(d.regrouped) == 7
    for r in d.regrouped:
        parts = sum(history[2021][k] for k in r.part_keys)
        assert r.whole_key == f"applications.other.{r.column}" and r.whole_is_old
        assert r.total == parts and r.delta == parts - history[2020][r.whole_key]
    text = diff_text(d)
    assert "template changed: 2019 (2020) → 2021 (2021)" in text
    assert "only in 2020 (not in the other year's template)" in text
    assert "[applications.other]" in text and "[applications.other.overdue_fee]" in text
    assert "（六）其他处理 (2020, one row) against the sum of its sub-rows" in text
    assert shown_changes(text) == expected_changes(history[2020], history[2021])
    short = diff_reports(old, new, changed_only=True)
    assert short.counts() == d.counts() and {f.status for f in short.figures} == {CHANGED}
    assert "only in 2020 (not in" not in diff_text(short)


def test_missing_table_is_not_read_not_template(arch: Archive, history: dict) -> None:
    text = render(history[2021], labels.T2021, 2023)
    cut = text.split("四、政府信息公开行政复议")[0] + "四、政府信息公开行政复议、行政诉讼情况\n（表格见附件）\n"
    d = diff_reports(arch.find_report(AGENCY, 2021), parse(cut, 2023))
    gone = [f for f in d.figures if f.status == ONLY_OLD]
    assert {f.table for f in gone} == {"reviews"} and {f.reason for f in gone} == {NOT_READ}


# --------------------------------------------------------------------- cross-year findings


def _pair(carry_over: int) -> tuple[Report, Report]:
    rng = random.Random(3)
    f21 = generate.make_figures(labels.T2021, rng)
    f22 = generate.make_figures(labels.T2021, rng, previous=f21)
    old, new = parse(render(f21, labels.T2021, 2021)), parse(render(f22, labels.T2021, 2022))
    fig = new.figures["applications.carried_over.total"]
    fig.value, fig.raw = carry_over, str(carry_over)
    return old, new


def test_broken_carry_over_lists_stored_x_findings() -> None:
    old, new = _pair(999)
    x = Finding("X-CARRY", WARNING, "上年结转 999 ≠ last year's 结转下年度 ", ["applications."
                "carried_over.total"], expected=old.value("applications.carried_forward.total"),
                actual=999, origin="validate")
    new.findings.append(x)
    new.findings.append(Finding("A-BALANCE", "error", "not an X rule", origin="validate"))
    d = diff_reports(old, new)
    assert [f.rule for f in d.cross_year] == ["X-CARRY"] and d.cross_year_year == 2022
    assert d.to_dict()["cross_year"]["findings"][0]["fingerprint"] == x.fingerprint
    assert "warning X-CARRY" in diff_text(d)
    assert "carried_over" in {f.row for f in d.figures}


def test_broken_carry_over_through_the_archive(tmp_path: Path) -> None:
    """What the archive stored for the newer year is what the diff lists (validate owns X)."""
    old, new = _pair(999)
    with Archive(tmp_path / "x.db") as a:
        store(a, old, "old")
        stored = store(a, new, "new")
        d = diff_reports(a.find_report(AGENCY, 2021), a.find_report(AGENCY, 2022))
    assert [f.fingerprint for f in d.cross_year] == [
        f.fingerprint for f in stored.findings if f.rule.startswith("X-")]
    if not any(f.rule == "X-CARRY" for f in stored.findings):
        pytest.skip("validate does not report X-CARRY yet")
    assert any(f.rule == "X-CARRY" for f in d.cross_year)


# --------------------------------------------------------------------- prose


def test_sentences_join_wrapped_pdf_lines() -> None:
    body = ("（一）主动公开\n" + "甲" * 35 + "\n乙乙。丙丙丙！\n（二）依申请公开")
    assert sentences(body) == ["（一）主动公开", "甲" * 35 + "乙乙。", "丙丙丙！", "（二）依申请公开"]


def test_prose_new_dropped_repeated_and_numbers(history: dict) -> None:
    base = ("严格落实信息发布审核制度，做到先审后发。\n"
            "2021年，通过政府门户网站主动公开政府信息57条。\n"
            "成立政务公开工作领导小组，明确专人负责。\n"
            "全年共受理政府信息公开申请 21 件。")
    later = ("严格落实信息发布审核制度，做到先审后发。\n"
             "2022年，通过政府门户网站主动公开政府信息64条。\n"
             "新建政务新媒体矩阵，拓宽公开渠道。\n"
             "全年共受理政府信息公开申请 17 件。")
    five = "公开内容不够全面，更新不够及时，将进一步完善工作机制，加强业务培训。"
    old = parse(render(history[2021], labels.T2021, 2021, prose={1: base, 5: five}))
    new = parse(render(history[2022], labels.T2021, 2022, prose={1: later, 5: five}))
    d = diff_reports(old, new)
    one, five_ = d.prose
    status = {s.text: s.status for s in one.sentences}
    assert status["严格落实信息发布审核制度，做到先审后发。"] == REPEATED
    assert status["新建政务新媒体矩阵，拓宽公开渠道。"] == NEW
    assert status["成立政务公开工作领导小组，明确专人负责。"] == DROPPED
    assert status["2022年，通过政府门户网站主动公开政府信息64条。"] in (REPEATED, EDITED)
    assert five_.reuse == 1.0 and 0 < one.reuse < 1
    changed = {(n.new.unit, n.old.value, n.new.value) for n in d.numbers}
    assert changed == {("条", 57, 64), ("件", 21, 17)}
    text = diff_text(d)
    assert "+ 新建政务新媒体矩阵" in text and "- 成立政务公开工作领导小组" in text
    assert "五 reuse 100%" in text
    # changed_only keeps the reuse ratio but leaves repeated sentences out
    c = diff_reports(old, new, changed_only=True)
    assert c.prose[1].reuse == 1.0 and not c.prose[1].sentences


def test_mentions_ignore_years() -> None:
    ms = mentions(1, "2024 年，我区在政府网站平台主动发布各类政府信息 2428 条，公开政府常务会议 7 期。")
    assert [(m.value, m.unit) for m in ms] == [(2428, "条"), (7, "期")]
    assert ms[0].context.endswith("各类政府信息")


# --------------------------------------------------------------------- the command


def _cli(db: Path, *args: str):
    return runner.invoke(app, ["diff", *args, "--db", str(db)])


def test_cli_json_is_the_library_object(arch: Archive) -> None:
    r = _cli(arch.path, "青石镇", "2021", "2022", "--format", "json")
    assert r.exit_code == 1, r.output
    expected = diff_reports(arch.find_report(AGENCY, 2021), arch.find_report(AGENCY, 2022))
    assert json.loads(r.stdout) == json.loads(json.dumps(expected.to_dict(), ensure_ascii=False,
                                                         default=str))


def test_cli_latest_against_the_year_before_and_table_filter(arch: Archive) -> None:
    r = _cli(arch.path, "青石镇", "--format", "json", "--table", "reviews", "--changed-only")
    d = json.loads(r.stdout)
    assert (d["old"]["year"], d["new"]["year"]) == (2021, 2022)
    assert {f["key"] for f in d["figures"]} == {"reviews.review.upheld"}
    assert d["prose"] == [] and d["tables"] == ["reviews"]
    r = _cli(arch.path, "青石镇", "2021", "--format", "markdown")
    assert r.exit_code == 1 and r.stdout.startswith("## 青石镇人民政府: 2020 → 2021")
    assert "| applications.other.total |" in r.stdout


def test_cli_exit_codes(tmp_path: Path, history: dict) -> None:
    db = tmp_path / "e.db"
    text = render(history[2021], labels.T2021, 2021)
    with Archive(db) as a:
        store(a, parse(text), "a")
        store(a, parse(text.replace("2021", "2022"), 2022), "b")
        store(a, parse(render(history[2021], labels.T2021, 2021, agency="青石乡人民政府")), "c")
    same = _cli(db, "青石镇人民政府")
    assert same.exit_code == 0, same.output
    assert "0 changed" in same.stdout
    missing = _cli(db, "青石镇人民政府", "2019", "2022")
    assert missing.exit_code == 2 and "2019" in missing.stderr and missing.stdout == ""
    only_one = _cli(db, "青石乡")
    assert only_one.exit_code == 2 and "no year before 2021" in only_one.stderr
    ambiguous = _cli(db, "青石")
    assert ambiguous.exit_code == 2
    assert "青石镇人民政府" in ambiguous.stderr and "青石乡人民政府" in ambiguous.stderr


def test_text_fits_80_columns_plain_and_safe(arch: Archive, history: dict) -> None:
    old = arch.find_report(AGENCY, 2021)
    new = parse(render(history[2022], labels.T2021, 2022,
                       prose={1: "恶意\x1b[31m红字\x1b[0m，" + "很长的句子" * 40 + "。"}))
    r = diff_text(diff_reports(old, new))
    assert "\x1b" not in r and "\\x1b[31m" in r
    assert max(width(ln) for ln in r.splitlines()) <= 80
    out = _cli(arch.path, "青石镇", "2020", "2021").stdout
    assert "\x1b" not in out  # not a terminal: no colour
    assert max(width(ln) for ln in out.splitlines()) <= 80
    assert "\x1b[" in diff_text(diff_reports(old, new), color=True)
    assert diff_markdown(diff_reports(old, new)).count("\x1b") == 0


# --------------------------------------------------------------------- the real reports

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(scope="module")
def hongze(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    files = [CORPUS / "hongze-2023.pdf", CORPUS / "hongze-2024.pdf"]
    if not all(f.exists() for f in files):
        pytest.skip(f"the real reports are not in {CORPUS}")
    from goitui.importer import import_paths

    a = Archive(tmp_path_factory.mktemp("hz") / "hz.db")
    results = import_paths(a, [str(f) for f in files])
    if any(r.outcome != "archived" for r in results):
        pytest.skip("the PDFs could not be imported: " + "; ".join(r.reason for r in results))
    yield a
    a.close()


def test_real_years_under_two_names(hongze: Archive) -> None:
    old, new = hongze.find_report("洪泽区", 2023), hongze.find_report("洪泽区", 2024)
    assert (old.agency, new.agency) == ("洪泽区人民政府", "淮安市洪泽区人民政府")
    d = diff_reports(old, new)
    both = set(old.figures) & set(new.figures)
    want = {k for k in both if (old.figures[k].kind, old.figures[k].value, old.figures[k].raw.strip())
            != (new.figures[k].kind, new.figures[k].value, new.figures[k].raw.strip())}
    assert {f.key for f in d.figures if f.status == CHANGED} == want
    assert d.counts()["unchanged"] == len(both) - len(want)
    assert {f.key for f in d.figures if f.status == ONLY_OLD} == set(old.figures) - both
    assert {f.key for f in d.figures if f.status == ONLY_NEW} == set(new.figures) - both
    text = diff_text(d)
    assert shown_changes(text) == want
    assert "淮安市洪泽区人民政府" in text and max(width(ln) for ln in text.splitlines()) <= 80
    assert {p.section for p in d.prose} == {1, 5}
    assert any(s.status == NEW for s in d.prose[0].sentences)
    r = runner.invoke(app, ["diff", "洪泽区", "--db", str(hongze.path)])
    assert r.exit_code == 1 and r.stdout.startswith("洪泽区人民政府: 2023 → 2024")


def test_numbers_show_every_digit_they_have() -> None:
    from goitui.render.display import format_number

    assert format_number(123456.78) == "123456.78"  # {:g} showed 123457
    assert format_number(1234567.5) == "1234567.5"
    assert format_number(44.7336) == "44.7336"
    assert format_number(0.1 + 0.2) == "0.3"  # a sum's float noise is not a digit
    assert format_number(251000.0) == "251000" and format_number(7) == "7"
    assert format_number(None) == ""


def test_mentions_read_thousands_separators_as_table_cells_do() -> None:
    found = mentions(1, "本年主动公开政府信息1,234条，受理申请12件。")
    assert [(m.value, m.unit) for m in found] == [(1234, "条"), (12, "件")]


def test_the_two_years_are_chosen_in_one_place() -> None:
    """goi diff and the browser share choose_years: the year asked (default the latest)
    against the archived year before it; the first year has none, and that is said."""
    from goitui.diff.compare import choose_years
    from goitui.errors import BadFilter, NotFound

    have = [2017, 2019, 2022]
    assert choose_years("丙县水务局", have, []) == (2019, 2022)
    assert choose_years("丙县水务局", have, [2019]) == (2017, 2019)
    assert choose_years("丙县水务局", have, [2022, 2017]) == (2022, 2017)
    with pytest.raises(NotFound, match="no year before 2017"):
        choose_years("丙县水务局", have, [2017])  # not against 2019 instead
    with pytest.raises(NotFound, match="no report for 2020"):
        choose_years("丙县水务局", have, [2020])
    with pytest.raises(BadFilter):
        choose_years("丙县水务局", have, [2019, 2019])


def test_the_browser_compares_a_first_year_with_the_next(tmp_path: Path,
                                                         history: dict[int, dict]) -> None:
    """``goi diff`` refuses an agency's first year (``choose_years``); the browser, asked from
    it, compares it with the next year and says so; one year alone has nothing to compare."""
    from goitui.tui.diff_screen import load

    with Archive(tmp_path / "first.db") as arch:
        for year in (2021, 2022):
            store(arch, parse(render(history[year], labels.T2021, year, agency="丁乡人民政府")),
                  f"{year}.txt")
        store(arch, parse(render(history[2021], labels.T2021, 2021, agency="戊镇人民政府")),
              "only.txt")
        agency_id = arch.find_agency("丁乡")["id"]
        first = load(arch, agency_id, None, 2021)
        assert (first.old_year, first.new_year) == (2021, 2022) and first.diff is not None
        assert "2021 is the first year archived" in first.note and "2022" in first.note
        alone = load(arch, arch.find_agency("戊镇")["id"], None, 2021)
        assert alone.diff is None and alone.old_year is None
        assert "only 2021 is archived" in alone.note
        latest = load(arch, agency_id, None, 2022)
        assert latest.note == ""
        assert (latest.old_year, latest.new_year) == (2021, 2022) and latest.diff is not None
