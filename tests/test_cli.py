"""The goi command through Typer's CliRunner: exit codes, stdout data, JSON equal to the library."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from goitui.archive.store import Archive
from goitui.cli import app

runner = CliRunner()


def goi(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env=env)


def test_import_list_show(db_path, samples_dir) -> None:
    r = goi("import", str(samples_dir), "--db", str(db_path))
    assert r.exit_code == 0, r.output
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("archived")]
    assert len(lines) == len(list(samples_dir.glob("*.txt")))
    assert "archived" in r.stderr.splitlines()[-1]  # the summary is a message, not data
    r = goi("list", "--db", str(db_path))
    assert r.exit_code == 0 and "八道沟镇人民政府" in r.stdout and "2020" in r.stdout
    r = goi("show", "八道沟镇", "2020", "--db", str(db_path))
    assert r.exit_code == 0 and "（七）总计" in r.stdout and "一、总体情况" in r.stdout


def test_show_json_equals_library(db_path, samples_dir) -> None:
    goi("import", str(samples_dir), "--db", str(db_path))
    r = goi("show", "八道沟镇", "2020", "--db", str(db_path), "--format", "json")
    data = json.loads(r.stdout)
    with Archive.open(db_path) as arch:
        expected = arch.find_report("八道沟镇", 2020).to_dict()
    assert data == json.loads(json.dumps(expected, ensure_ascii=False, default=str))
    assert data["figures"]["applications.new_received.total"] == 0
    assert data["details"]["applications.new_received.total"]["raw"].strip() == "0"
    assert data["details"]["applications.new_received.total"]["source"].startswith("line ")


def test_list_json_equals_library(db_path, samples_dir) -> None:
    goi("import", str(samples_dir), "--db", str(db_path))
    data = json.loads(goi("list", "--db", str(db_path), "--format", "json").stdout)
    with Archive.open(db_path) as arch:
        assert data == arch.list_reports()


def test_reimport_is_unchanged_and_bad_file_exits_2(db_path, samples_dir, tmp_path) -> None:
    goi("import", str(samples_dir), "--db", str(db_path))
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"this is not a zip")
    r = goi("import", str(samples_dir), str(bad), "--db", str(db_path))
    assert r.exit_code == 2
    assert all(ln.startswith("unchanged") for ln in r.stdout.splitlines())
    assert "broken.docx" in r.stderr and "error" in r.stderr


def test_missing_year_is_not_guessed(db_path, tmp_path, samples_dir) -> None:
    text = (samples_dir / "001_617dfa8ade4c1a0e.txt").read_text(encoding="utf-8")
    f = tmp_path / "report.txt"
    f.write_text(text.replace("2019", "今年"), encoding="utf-8")
    r = goi("import", str(f), "--db", str(db_path))
    assert r.exit_code == 2 and "--year" in r.stderr
    r = goi("import", str(f), "--year", "2019", "--db", str(db_path))
    assert r.exit_code == 0 and "紫溪镇 2019" in r.stdout


def test_goi_db_environment_variable(tmp_path, samples_dir) -> None:
    path = tmp_path / "env.db"
    r = goi("import", str(samples_dir / "000_6daaf83df1efb7d7.txt"), env={"GOI_DB": str(path)})
    assert r.exit_code == 0 and path.exists()


def test_ambiguous_name_lists_candidates_and_exits_2(db_path, samples_dir) -> None:
    goi("import", str(samples_dir), "--db", str(db_path))
    r = goi("show", "镇", "--db", str(db_path))
    assert r.exit_code == 2
    assert "拉西瓦镇人民政府" in r.stderr and "八道沟镇人民政府" in r.stderr
    r = goi("show", "不存在的机关", "--db", str(db_path))
    assert r.exit_code == 2 and "no agency" in r.stderr


def test_agencies_merge_and_rename(db_path, samples_dir) -> None:
    goi("import", str(samples_dir), "--db", str(db_path))
    r = goi("agencies", "merge", "拉西瓦镇", "紫溪镇", "--db", str(db_path))
    assert r.exit_code == 1 and "merge 紫溪镇 into 拉西瓦镇" in r.stderr and "--yes" in r.stderr
    r = goi("agencies", "merge", "拉西瓦镇", "紫溪镇", "--yes", "--db", str(db_path),
            "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["years"] == [2019]
    r = goi("agencies", "rename", "拉西瓦镇", "拉西瓦镇政府", "--db", str(db_path))
    assert r.exit_code == 0
    r = goi("agencies", "--db", str(db_path), "--format", "json")
    names = {a["name"] for a in json.loads(r.stdout)}
    assert "拉西瓦镇政府" in names and "紫溪镇" not in names


def test_hostile_text_is_shown_not_obeyed(db_path, tmp_path, samples_dir) -> None:
    text = (samples_dir / "000_6daaf83df1efb7d7.txt").read_text(encoding="utf-8")
    f = tmp_path / "evil.txt"
    f.write_text(text.replace("改进情况：", "改进情况：\x1b[2J[bold]红[/bold]"), encoding="utf-8")
    goi("import", str(f), "--db", str(db_path))
    r = goi("show", "拉西瓦镇", "--db", str(db_path))
    assert "\x1b" not in r.stdout and "\\x1b[2J[bold]红[/bold]" in r.stdout


@pytest.mark.parametrize("args", [[], ["import", "--help"], ["list", "--help"], ["show", "--help"],
                                  ["agencies", "--help"]])
def test_help(args) -> None:
    r = goi(*args) if args else goi("--help")
    assert r.exit_code in (0, 2) and "Usage" in r.output


def test_blank_template_imports_as_blank_not_zero(db_path, corpus_dir) -> None:
    """The official blank 2021 form: every figure blank, the identities not assessed."""
    blank = corpus_dir / "template-2021-blank.docx"
    r = goi("import", str(blank), "--db", str(db_path))
    assert r.exit_code == 2 and "--agency" in r.stderr and "--year" in r.stderr
    r = goi("import", str(blank), "--agency", "示例镇人民政府", "--year", "2021", "--db", str(db_path))
    assert r.exit_code == 0, r.output
    data = json.loads(goi("show", "示例镇", "--db", str(db_path), "--format", "json").stdout)
    assert data["template"] == "2021" and len(data["figures"]) == 200
    assert set(data["figures"].values()) == {None}
    assert {d["kind"] for d in data["details"].values()} == {"blank"}
    rules = {(f["rule"], f["severity"]) for f in data["findings"]}
    assert ("A-BALANCE", "info") in rules and not any(s == "error" for _, s in rules)


def test_two_names_of_hongze_land_under_one_agency(db_path, corpus_dir) -> None:
    r = goi("import", str(corpus_dir / "hongze-2023.pdf"), str(corpus_dir / "hongze-2024.pdf"),
            "--db", str(db_path))
    assert r.exit_code == 0, r.output
    agencies = json.loads(goi("agencies", "--db", str(db_path), "--format", "json").stdout)
    assert len(agencies) == 1 and agencies[0]["years"] == [2023, 2024]
    assert set(agencies[0]["aliases"]) == {"洪泽区人民政府", "淮安市洪泽区人民政府"}


def test_reimport_with_other_options_refiles(db_path, samples_dir) -> None:
    seed = str(samples_dir / "000_6daaf83df1efb7d7.txt")
    goi("import", seed, "--db", str(db_path))
    r = goi("import", seed, "--year", "2022", "--db", str(db_path))
    assert r.exit_code == 0 and r.stdout.startswith("refiled    拉西瓦镇人民政府 2022 v1")
    assert "was 拉西瓦镇人民政府 2019 v1" in r.stdout


@pytest.mark.parametrize("year", ["1999", "2007", "0", "-3", "20230", "2099"])
def test_a_year_no_report_can_be_for_is_refused_and_nothing_changes(db_path, samples_dir,
                                                                    year: str) -> None:
    """--year is for a report year: from 2008 (the Regulations) to this year; any other is
    refused whole (exit 2, the years allowed named), for a new file and for a re-filing."""
    from datetime import date

    seed = str(samples_dir / "002_61210818c995e981.txt")
    r = goi("import", seed, f"--year={year}", "--db", str(db_path))
    assert r.exit_code == 2 and f"2008–{date.today().year}" in r.stderr and not r.stdout
    assert goi("import", seed, "--db", str(db_path)).exit_code == 0
    before = goi("list", "--db", str(db_path), "--format", "json").stdout
    r = goi("import", seed, f"--year={year}", "--db", str(db_path))
    assert r.exit_code == 2 and "not a report year" in r.stderr
    assert goi("list", "--db", str(db_path), "--format", "json").stdout == before
    r = goi("import", seed, "--year=2008", "--db", str(db_path))
    assert r.exit_code == 0 and r.stdout.startswith("refiled")


def test_read_only_commands_never_create_an_archive(tmp_path) -> None:
    typo = tmp_path / "typo.db"
    for args in (["list"], ["show", "某镇"], ["agencies"], ["validate"], ["search", "政府信息"]):
        r = goi(*args, "--db", str(typo))
        assert r.exit_code == 2 and "no archive" in r.stderr, args
    assert not typo.exists()


def test_agencies_group_options_reach_the_subcommands(db_path, samples_dir) -> None:
    goi("import", str(samples_dir), "--db", str(db_path))
    r = goi("agencies", "--db", str(db_path), "rename", "拉西瓦镇", "拉西瓦镇政府")
    assert r.exit_code == 0 and "拉西瓦镇政府" in r.stdout


def test_every_library_error_is_one_message_and_exit_2(db_path, samples_dir) -> None:
    """GoiError of any kind, raised under any command or sub-command, becomes `goi: …` on
    stderr and exit code 2; no traceback, nothing on stdout."""
    goi("import", str(samples_dir / "000_6daaf83df1efb7d7.txt"), "--db", str(db_path))
    asked = {
        ("rules", "Q-NOPE"): "unknown rule 'Q-NOPE'",  # UnknownRule
        ("validate", "--rule", "Z", "--db", str(db_path)): "unknown rule 'Z'",
        ("search", " ", "--db", str(db_path)): "empty query",  # SearchError
        ("agencies", "merge", "拉西瓦镇", "拉西瓦镇", "--db", str(db_path)): "already one agency",
        ("diff", "无此机关", "--db", str(db_path)): "no agency named",  # NotFound
    }
    for args, message in asked.items():
        r = goi(*args)
        assert r.exit_code == 2, (args, r.output, r.exception)
        assert r.stderr.startswith("goi: ") and message in r.stderr, (args, r.stderr)
        assert r.stdout == "" and isinstance(r.exception, SystemExit), args


def test_a_file_that_is_not_an_archive_is_refused(tmp_path) -> None:
    bad = tmp_path / "not.db"
    bad.write_bytes(b"this is no sqlite file, not at all" * 100)
    r = goi("list", "--db", str(bad))
    assert r.exit_code == 2 and "not a goi archive" in r.stderr
