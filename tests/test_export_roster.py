"""A county office's work: a roster of townships, who has not submitted, and hand-over files.

The archive is built from generated reports (20 townships of 清河县, 2022 and 2023, one 2023
report missing); every export format is read back with the standard readers (csv, openpyxl,
pyarrow) and compared with the command's JSON.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goitui import labels
from goitui.cli import app
from goitui.testing import generate

TOWNSHIPS = [f"清河县{name}镇人民政府" for name in (
    "东关", "西关", "南营", "北营", "柳林", "杨庄", "马集", "刘湾", "陈楼", "高台",
    "石桥", "双沟", "黄河", "白鹤", "青山", "红星", "新华", "太平", "永安", "长春")]
MISSING = TOWNSHIPS[7]  # 刘湾镇 has not submitted 2023
runner = CliRunner()


def goi(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("county")
    reports = folder / "reports"
    reports.mkdir()
    for index, name in enumerate(TOWNSHIPS):
        for year in (2022, 2023):
            if name == MISSING and year == 2023:
                continue
            rng = random.Random(f"{name}{year}")
            figures = generate.make_figures(labels.T2021, rng)
            text = generate.render(figures, labels.T2021, generate.TABS, agency=name, year=year,
                                   rng=rng)
            (reports / f"{index:02d}-{year}.txt").write_text(text, encoding="utf-8")
    db = folder / "archive.db"
    code, _ = goi("import", str(reports), "--db", str(db))
    assert code in (0, 1)
    roster = folder / "roster.csv"
    # the office lists them by short names, with the county as their region
    rows = [["名称", "上级", "层级"], ["清河县", "", "县"]]
    rows += [[name.replace("清河县", "").replace("人民政府", ""), "清河县", "乡镇"]
             for name in TOWNSHIPS]
    with roster.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(rows)
    code, _ = goi("roster", "import", str(roster), "--db", str(db))
    assert code == 0
    return db


def test_list_missing_names_the_one_township_without_a_report(county: Path) -> None:
    code, out = goi("list", "--missing", "2023", "--db", str(county), "--format", "json")
    assert code == 1
    data = json.loads(out)
    # the county itself is listed by the office but publishes no township report either
    assert sorted(r["agency"] for r in data) == ["刘湾镇", "清河县"]
    code, out = goi("list", "--missing", "2022", "--region", "清河县", "--db", str(county),
                    "-f", "json")
    assert [r["agency"] for r in json.loads(out)] == ["清河县"]


def test_roster_matches_short_names_to_archived_agencies(county: Path) -> None:
    code, out = goi("roster", "--db", str(county), "-f", "json")
    entries = json.loads(out)
    matched = {e["name"]: e["agency"] for e in entries}
    assert matched["东关镇"] == "清河县东关镇人民政府"
    assert matched["清河县"] is None


def test_coverage_matrix_marks_missing_years(county: Path) -> None:
    code, out = goi("coverage", "--db", str(county), "-f", "json")
    assert code == 1
    data = json.loads(out)
    assert data["years"] == [2022, 2023]
    cells = {row["agency"]: row["cells"] for row in data["rows"]}
    assert cells["刘湾镇"]["2023"] == "missing" and cells["刘湾镇"]["2022"] != "missing"
    code, out = goi("coverage", "--db", str(county))
    assert "—" in out and "刘湾镇" in out


def _csv(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def test_list_as_csv_and_xlsx_equals_json(county: Path, tmp_path: Path) -> None:
    _, out = goi("list", "--db", str(county), "-f", "json")
    records = json.loads(out)
    assert len(records) == 39
    code, out = goi("list", "--db", str(county), "-f", "csv")
    assert out.startswith("\ufeff")
    rows = _csv(out)
    assert [(r["agency"], int(r["year"]), r["status"]) for r in rows] == \
        [(r["agency"], r["year"], r["status"]) for r in records]
    result = runner.invoke(app, ["list", "--db", str(county), "-f", "xlsx"])
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes)).active
    values = list(sheet.iter_rows(values_only=True))
    header = list(values[0])
    assert [(row[header.index("agency")], row[header.index("year")]) for row in values[1:]] == \
        [(r["agency"], r["year"]) for r in records]


def test_no_bom_and_tsv(county: Path) -> None:
    _, out = goi("agencies", "--db", str(county), "-f", "csv", "--no-bom")
    assert not out.startswith("\ufeff") and out.startswith("id,name")
    _, out = goi("validate", "--db", str(county), "-f", "tsv")
    assert out.split("\n", 1)[0].split("\t")[:5] == ["agency", "year", "version",
                                                     "report_status", "rule"]


def test_show_long_form_keeps_blank_apart_from_zero(county: Path) -> None:
    _, out = goi("show", TOWNSHIPS[0], "2023", "--db", str(county), "-f", "json")
    report = json.loads(out)
    _, out = goi("show", TOWNSHIPS[0], "2023", "--db", str(county), "-f", "csv")
    rows = {r["key"]: r for r in _csv(out)}
    assert set(rows) == set(report["figures"])
    for key, value in report["figures"].items():
        assert rows[key]["value"] == ("" if value is None else str(value))
        assert rows[key]["raw"] == report["details"][key]["raw"]


def test_export_wide_long_findings_read_back(county: Path, tmp_path: Path) -> None:
    pyarrow_parquet = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "county.parquet"
    code, _ = goi("export", str(target), "--shape", "wide", "--year", "2023", "--db", str(county))
    assert code == 0
    table = pyarrow_parquet.read_table(target).to_pylist()
    assert len(table) == 19
    _, out = goi("show", TOWNSHIPS[3], "2023", "--db", str(county), "-f", "json")
    report = json.loads(out)
    row = next(r for r in table if r["agency"] == report["agency"])
    assert all(row[key] == value for key, value in report["figures"].items())

    book = tmp_path / "county.xlsx"
    code, _ = goi("export", str(book), "--shape", "all", "--region", "清河县", "--headers",
                  "labels", "--db", str(county))
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames == ["reports", "figures", "findings"]
    header = [c.value for c in workbook["reports"][1]]
    assert labels.label_of("applications.new_received.total") in header
    assert workbook["figures"].max_row - 1 == sum(
        len(json.loads(goi("show", r["agency"], str(r["year"]), "--db", str(county),
                           "-f", "json")[1])["figures"])
        for r in json.loads(goi("list", "--db", str(county), "-f", "json")[1]))


def test_export_text_cell_is_never_a_formula(tmp_path: Path) -> None:
    from goitui.export.writers import Sheet, to_bytes

    openpyxl = pytest.importorskip("openpyxl")
    rows = [["=HYPERLINK(\"x\")", 1], ["-3", 2], [None, 3]]
    data = to_bytes([Sheet("s", ["raw", "n"], rows)], "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)] == rows


def test_roster_refuses_a_sheet_without_a_name_column(tmp_path: Path) -> None:
    sheet = tmp_path / "roster.csv"
    sheet.write_text("foo,bar\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["roster", "import", str(sheet), "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 2
    assert "name column" in result.output or "名称" in result.output


@pytest.mark.parametrize("where", ["after", "before"])
def test_roster_import_never_creates_an_archive(tmp_path: Path, where: str) -> None:
    """Only ``goi import`` creates an archive: a roster for a path with none is refused (exit 2)
    and leaves no file behind, whether ``--db`` is given to ``roster`` or to ``roster import``."""
    sheet = tmp_path / "名册.csv"
    sheet.write_text("单位,所属\n城南街道,北山区\n", encoding="utf-8")
    db = tmp_path / "typo.db"
    args = (["roster", "import", str(sheet), "--db", str(db)] if where == "after"
            else ["roster", "--db", str(db), "import", str(sheet)])
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "no archive" in result.stderr and "goi import" in result.stderr
    assert list(tmp_path.iterdir()) == [sheet]


def _as_text(value: object) -> str:
    """A JSON value as a CSV cell holds it (``export.writers.cell``): blank for None and for
    an empty list, lists as JSON text."""
    if value is None or value == []:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _sheet_equals_json(records: list[dict], csv_text: str, xlsx_bytes: bytes) -> None:
    """Every column of the CSV and of the XLSX is the JSON field of that name, row by row."""
    rows = _csv(csv_text)
    assert len(rows) == len(records) and rows
    for row, record in zip(rows, records):
        assert {column: _as_text(record.get(column)) for column in row} == row
    openpyxl = pytest.importorskip("openpyxl")
    values = list(openpyxl.load_workbook(io.BytesIO(xlsx_bytes)).active.iter_rows(
        values_only=True))
    header = list(values[0])
    assert header == list(rows[0])
    for line, record in zip(values[1:], records):
        assert [_as_text(v) for v in line] == [_as_text(record.get(c)) for c in header]


def test_done_when_twenty_townships_39_reports_one_missing(county: Path, tmp_path: Path) -> None:
    """The issue's own test: a roster of exactly the 20 townships (by the names an office
    writes, under their county), 39 reports archived; ``goi list --missing`` names the one
    missing, and its CSV and XLSX, like those of ``goi list``, read back equal to the JSON."""
    import shutil

    db = Path(shutil.copy(county, tmp_path / "county.db"))
    sheet = tmp_path / "乡镇名录.csv"
    with sheet.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows([["单位名称", "所属地区"]] + [
            [name.removeprefix("清河县").removesuffix("人民政府"), "清河县"] for name in TOWNSHIPS])
    code, _ = goi("roster", "import", str(sheet), "--replace", "--db", str(db))
    assert code == 0
    assert len(json.loads(goi("list", "--db", str(db), "-f", "json")[1])) == 39

    code, out = goi("list", "--missing", "2023", "--db", str(db))
    assert code == 1 and [line.split()[0] for line in out.splitlines()] == ["刘湾镇"]
    code, out = goi("list", "--missing", "2022", "--region", "清河县", "--db", str(db))
    assert code == 0 and out == ""
    for args in (["list", "--missing", "2023", "--region", "清河县"], ["list"]):
        code, out = goi(*args, "--db", str(db), "-f", "json")
        records = json.loads(out)
        _, csv_text = goi(*args, "--db", str(db), "-f", "csv")
        xlsx = runner.invoke(app, [*args, "--db", str(db), "-f", "xlsx"]).stdout_bytes
        _sheet_equals_json(records, csv_text, xlsx)
    assert json.loads(goi("list", "--missing", "2023", "--db", str(db), "-f", "json")[1]) == [
        {"agency": "刘湾镇", "region": "清河县", "year": 2023, "matched": MISSING, "near": []}]


def test_parquet_has_the_rows_of_the_json(county: Path, tmp_path: Path) -> None:
    """Figures in long form as Parquet (pyarrow reads it back): one row per figure of every
    current report, each the value, kind and raw text ``goi show --format json`` gives."""
    pyarrow_parquet = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "figures.parquet"
    code, _ = goi("export", str(target), "--shape", "long", "--db", str(county))
    assert code == 0
    rows = pyarrow_parquet.read_table(target).to_pylist()
    expected = {}
    for report in json.loads(goi("list", "--db", str(county), "-f", "json")[1]):
        shown = json.loads(goi("show", report["agency"], str(report["year"]), "--db",
                               str(county), "-f", "json")[1])
        for key, value in shown["figures"].items():
            detail = shown["details"][key]
            expected[(report["agency"], report["year"], key)] = (value, detail["kind"],
                                                                  detail["raw"])
    got = {(r["agency"], r["year"], r["key"]): (r["value"], r["kind"], r["raw"]) for r in rows}
    assert len(rows) == len(got) == len(expected) and got == expected


def test_an_archive_without_a_roster_says_so(tmp_path: Path) -> None:
    """goi roster with no roster says how to add one (on stderr), never a silent nothing."""
    db = tmp_path / "no-roster.db"
    report = tmp_path / "report.txt"
    rng = random.Random(7)
    report.write_text(generate.render(
        generate.make_figures(labels.T2021, rng), labels.T2021, generate.TABS,
        agency="清河区卫生健康委员会", year=2022, rng=rng), encoding="utf-8")
    assert goi("import", str(report), "--db", str(db))[0] == 0
    result = runner.invoke(app, ["--lang", "zh", "roster", "--db", str(db)])
    assert result.exit_code == 0 and result.stdout == ""
    assert "goi roster import" in result.stderr and "名录" in result.stderr
