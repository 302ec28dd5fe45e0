"""``goi validate``: summary and reports that are not clean, one report grouped, filters,
JSON equal to the library's result, exit codes 0/1/2, 80 columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_validate_support import seed, store
from typer.testing import CliRunner

from goitui.archive.findings import Filter, check_archive
from goitui.archive.store import Archive
from goitui.cli import app
from goitui.render.display import width

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("v") / "a.db"
    with Archive(path) as arch:
        for n in range(5):
            store(arch, seed(n), f"{n:03d}.txt")
    return str(path)


def goi(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout


def test_archive_view(db: str) -> None:
    code, out = goi("validate", "--db", db)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("5 reports: 2 pass, 1 warn, 2 fail · 2 errors, 1 warning")
    assert "✗ 紫溪镇 2019  fail" in out and "C-INJECTED" in out
    assert "✗ 海原县西安镇人民政府 2020  fail" in out and "S-CELLS" in out
    assert "! 八道沟镇人民政府 2020  warn" in out and "S-LABEL" in out
    assert "拉西瓦镇" not in out  # clean reports are only counted
    assert all(width(line) <= 80 for line in lines)


def test_one_report_grouped_with_expected_and_actual(db: str) -> None:
    code, out = goi("validate", "西安镇", "2020", "--db", db)
    assert code == 1
    assert out.index("S — structure") < out.index("A — arithmetic") < out.index("X — across")
    assert "expected 15, actual 16" in out and "line 89" in out
    assert all(width(line) <= 80 for line in out.splitlines())


def test_json_equals_the_library_result(db: str) -> None:
    code, out = goi("validate", "--format", "json", "--rule", "C", "--db", db)
    with Archive(db) as arch:
        expected = check_archive(arch, Filter(rules=["C"])).to_dict()
    assert json.loads(out) == json.loads(json.dumps(expected, ensure_ascii=False))
    assert code == 1 and expected["summary"]["error"] == 1


def test_filters(db: str) -> None:
    code, out = goi("validate", "--rule", "A-BALANCE", "--db", db)
    assert code == 0 and out.startswith("5 reports (counting only rules A-BALANCE): 5 pass")
    code, out = goi("validate", "--severity", "error", "--year", "2020", "--db", db)
    assert code == 1 and out.startswith(
        "2 reports (counting only severity error and above): 1 pass, 0 warn, 1 fail")
    code, out = goi("validate", "--agency", "紫溪", "--rule", "S", "--db", db)
    assert code == 0 and out.startswith("1 report (counting only rules S-")
    code, out = goi("validate", "--severity", "info", "--rule", "S-TEMPLATE", "--db", db)
    assert code == 0 and out.split("\n", 1)[1].count("S-TEMPLATE") == 5


def test_usage_errors(db: str) -> None:
    assert goi("validate", "--rule", "Z-NOPE", "--db", db)[0] == 2
    assert goi("validate", "没有这个镇", "--db", db)[0] == 2
    assert goi("validate", "紫溪镇", "2018", "--db", db)[0] == 2
    assert goi("validate", "--severity", "fatal", "--db", db)[0] == 2


def test_recheck_gives_the_same_answer(db: str) -> None:
    _, stored = goi("validate", "--format", "json", "--db", db)
    _, again = goi("validate", "--recheck", "--format", "json", "--db", db)
    assert json.loads(stored)["summary"] == json.loads(again)["summary"]


def test_escape_sequences_never_reach_the_terminal(tmp_path: Path) -> None:
    report = seed(1)
    report.sections[1].body = report.sections[1].body.replace("赌博软件app", "赌博软件app\x1b[2J", 1)
    with Archive(tmp_path / "e.db") as arch:
        store(arch, report)
    _, out = goi("validate", "紫溪镇", "2019", "--db", str(tmp_path / "e.db"))
    assert "\x1b" not in out and "\\x1b" in out
