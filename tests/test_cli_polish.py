"""What a first user of ``goi`` met: parent rows of table 三 as headings, ``--lang`` after the
command, ``goi agencies``' header and year lists, and exit codes of a preview."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goitui import i18n, labels
from goitui.cli import app
from goitui.testing import generate

runner = CliRunner()


def goi(*args: str):
    return runner.invoke(app, list(args))


def _report(folder: Path, agency: str, year: int, template: str, seed: str) -> Path:
    figures = generate.make_figures(template, random.Random(seed))
    path = folder / f"{agency}{year}.txt"
    path.write_text(generate.render(figures, template, generate.TABS, agency=agency, year=year),
                    encoding="utf-8")
    return path


@pytest.fixture
def filed(tmp_path: Path) -> Path:
    """An archive of one agency's reports on both templates (2019: 2018; 2021: 2023)."""
    db = tmp_path / "polish.db"
    for year, template in ((2018, labels.T2019), (2023, labels.T2021)):
        path = _report(tmp_path, "青石岭乡人民政府", year, template, f"polish{year}")
        assert goi("import", str(path), "--db", str(db)).exit_code == 0
    return db


@pytest.mark.parametrize(("year", "parents"), [
    (2018, ["（三）不予公开", "（四）无法提供", "（五）不予处理"]),
    (2023, ["（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"])])
def test_show_prints_each_parent_row_as_a_heading(filed: Path, year: int,
                                                  parents: list[str]) -> None:
    shown = goi("show", "青石岭乡", str(year), "--db", str(filed))
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    for parent in parents:
        at = lines.index(parent)  # a line of its own: the label, no values
        assert lines[at + 1].startswith("  1.")  # its first numbered row, indented under it
    partly = next(i for i, line in enumerate(lines) if line.startswith("（二）部分公开"))
    assert lines[partly + 1] == "（三）不予公开"
    if year == 2018:  # 2019 template: （六）其他处理 is a row with values, no heading
        assert not any(line == "（六）其他处理" for line in lines)
        assert any(line.startswith("（六）其他处理 ") for line in lines)
    data = json.loads(goi("show", "青石岭乡", str(year), "--db", str(filed), "-f", "json").stdout)
    assert not any(key.startswith("applications.（") for key in data["figures"])


def test_diff_text_and_markdown_head_the_rows_with_their_parent(filed: Path) -> None:
    text = goi("diff", "青石岭乡", "2018", "2023", "--db", str(filed)).stdout.splitlines()
    assert "  （五）不予处理" in text
    first = text.index("  （五）不予处理")
    assert "1.信访举报投诉类申请" in text[first + 1]
    markdown = goi("diff", "青石岭乡", "2018", "2023", "--db", str(filed),
                   "-f", "markdown").stdout.splitlines()
    heading = markdown.index("|  | **（四）无法提供** |  |  |  |  |")
    assert "applications.unavailable.not_held" in markdown[heading + 1]


@pytest.mark.parametrize("args", [
    ["list", "--lang", "zh"], ["list", "--lang=zh"], ["--lang", "zh", "list"],
    ["agencies", "--lang", "zh"], ["show", "青石岭乡", "--lang", "zh"]])
def test_lang_is_read_after_the_command_too(filed: Path, args: list[str]) -> None:
    shown = goi(*args, "--db", str(filed))
    assert shown.exit_code == 0, shown.output
    assert ("机关" in shown.stdout or "模板" in shown.stdout), shown.stdout


def test_lang_after_a_sub_command_and_after_the_double_dash(filed: Path) -> None:
    merged = goi("agencies", "merge", "青石岭乡", "白桦沟", "--db", str(filed), "--lang", "zh")
    assert "白桦沟" in merged.stderr and "goi：" in merged.stderr  # Chinese, not "no such option"
    i18n.set_language("en")
    searched = goi("search", "--db", str(filed), "--", "--lang")
    assert searched.exit_code == 1 and "0 reports" in searched.stderr  # a term, looked for
    assert i18n.language() == "en"
    typo = goi("list", "--db", str(filed), "--lang", "fr")
    assert typo.exit_code == 2 and "--lang" in typo.stderr


def test_agencies_has_a_header_and_lists_years_in_the_language(filed: Path) -> None:
    english = goi("agencies", "--db", str(filed)).stdout.splitlines()
    assert english[0].split() == ["agency", "years", "other", "names"]
    assert "2018, 2023" in english[1]
    chinese = goi("--lang", "zh", "agencies", "--db", str(filed)).stdout.splitlines()
    assert chinese[0].split()[0] == "机关" and "2018、2023" in chinese[1]


@pytest.mark.parametrize("args", [
    ["remove", "青石岭乡", "2018"], ["undo"], ["agencies", "merge", "青石岭乡", "白桦沟乡"]])
def test_a_preview_without_yes_changes_nothing_and_exits_1(filed: Path, tmp_path: Path,
                                                          args: list[str]) -> None:
    other = _report(tmp_path, "白桦沟乡人民政府", 2023, labels.T2021, "polish-other")
    goi("import", str(other), "--db", str(filed))
    goi("remove", "白桦沟乡", "2023", "--yes", "--db", str(filed))  # something for undo
    before = goi("list", "--db", str(filed), "-f", "json").stdout
    previewed = goi(*args, "--db", str(filed))
    assert previewed.exit_code == 1, previewed.output
    assert "--yes" in previewed.stderr and not previewed.stderr.startswith("goi:")
    assert goi("list", "--db", str(filed), "-f", "json").stdout == before
    assert "exit code 1" in " ".join(goi(*args[:2], "--help").stdout.split())


def _filing(db: Path, agency: str) -> tuple[list[tuple[str, str, str]], list[tuple]]:
    """The report's findings (rule, severity, message; all, in order) and where it is filed."""
    from goitui.archive.store import Archive

    with Archive(db) as arch:
        rows = arch.q("SELECT id, year, year_from, agency_from FROM reports")
        report = arch.load(rows[0]["id"])
        return ([(f.rule, f.severity, f.message) for f in report.findings],
                [(r["year"], r["year_from"], r["agency_from"], report.status) for r in rows])


def test_the_year_findings_follow_a_refiling_and_its_undo(tmp_path: Path) -> None:
    path = _report(tmp_path, "白石岗镇人民政府", 2022, labels.T2021, "refile-year")
    db = tmp_path / "refile.db"
    assert goi("import", str(path), "--db", str(db), "--year", "2020").exit_code == 0
    steps = [_filing(db, "白石岗镇")]
    assert any(rule == "S-YEAR" and "option 2020; read as 2020" in message
               for rule, _severity, message in steps[0][0])
    for year in (2019, 2021):
        assert goi("import", str(path), "--db", str(db), "--year", str(year)).exit_code == 0
        steps.append(_filing(db, "白石岗镇"))
        said = [message for rule, _severity, message in steps[-1][0] if rule == "S-YEAR"]
        assert len(said) == 1 and f"option {year}; read as {year}" in said[0], said
        assert "2020" not in said[0]
    for back in (steps[1], steps[0]):
        assert goi("undo", "--yes", "--db", str(db)).exit_code == 0
        assert _filing(db, "白石岗镇") == back


def test_the_agency_findings_follow_a_refiling_and_its_undo(tmp_path: Path) -> None:
    path = _report(tmp_path, "红柳滩乡人民政府", 2021, labels.T2021, "refile-agency")
    db = tmp_path / "agency.db"
    assert goi("import", str(path), "--db", str(db), "--agency", "黑水河镇").exit_code == 0
    first = _filing(db, "黑水河镇")
    assert [m for r, s, m in first[0] if r == "S-AGENCY"] == [
        "filed as 黑水河镇 (--agency), but the report names 红柳滩乡人民政府 (its title)"]
    assert goi("import", str(path), "--db", str(db), "--agency", "青松岭镇").exit_code == 0
    second = _filing(db, "青松岭镇")
    assert [m for r, s, m in second[0] if r == "S-AGENCY"] == [
        "filed as 青松岭镇 (--agency), but the report names 红柳滩乡人民政府 (its title)"]
    assert goi("import", str(path), "--db", str(db), "--agency", "红柳滩乡").exit_code == 0
    assert not [m for r, s, m in _filing(db, "红柳滩乡")[0] if r == "S-AGENCY"]
    assert goi("undo", "--yes", "--db", str(db)).exit_code == 0
    assert _filing(db, "青松岭镇") == second
    assert goi("undo", "--yes", "--db", str(db)).exit_code == 0
    assert _filing(db, "黑水河镇") == first
