"""What a new user meets following the README, in both languages: a file goi cannot write or
find is one line naming it and why (never a traceback), and every word is in the interface's
language — places in a source (``line 12``, ``page 2, table 1, row 4``) included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_i18n_usage import goi_process
from test_validate_support import figures
from typer.testing import CliRunner

from goitui import labels
from goitui.cli import app
from goitui.i18n import set_language
from goitui.model import place, shown_place
from goitui.testing import generate

CJK = re.compile(r"[\u4e00-\u9fff]")
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _report(folder: Path, agency: str = "槐树岭乡人民政府", year: int = 2021,
            off_by: int = 3) -> Path:
    figs = dict(figures(labels.T2021, seed=23))
    figs["applications.new_received.legal_service"] = (
        figs["applications.new_received.legal_service"] or 0) + off_by
    path = folder / f"{agency}{year}.txt"
    path.write_text(generate.render(figs, labels.T2021, generate.TABS, agency=agency, year=year),
                    encoding="utf-8")
    return path


@pytest.fixture
def archived(tmp_path: Path) -> str:
    db = str(tmp_path / "trial.db")
    code, _out, err = _run("import", "--db", db, str(_report(tmp_path)))
    assert code == 0, err
    return db


@pytest.mark.parametrize("language", ["en", "zh"])
def test_export_to_a_folder_that_is_not_there_is_one_line(archived: str, tmp_path: Path,
                                                          language: str) -> None:
    set_language(language)
    target = tmp_path / "没有的文件夹" / "数据.xlsx"
    code, out, err = _run("export", "--db", archived, str(target))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert str(target) in err
    reason = {"en": "no such file or folder", "zh": "没有此文件或文件夹"}[language]
    assert reason in err and not target.parent.exists()


def test_export_of_three_files_under_a_file_named_as_a_folder(archived: str,
                                                              tmp_path: Path) -> None:
    set_language("zh")
    not_a_folder = tmp_path / "说明.txt"
    not_a_folder.write_text("这是一个文件", encoding="utf-8")
    code, _out, err = _run("export", "--db", archived, str(not_a_folder / "全部.csv"),
                           "--shape", "all")
    assert code == 2 and "无法写入" in err and "路径中有一部分不是文件夹" in err
    assert "Traceback" not in err


def test_import_of_paths_that_match_nothing_says_why_in_chinese(tmp_path: Path) -> None:
    set_language("zh")
    code, _out, err = _run("import", "--db", str(tmp_path / "trial.db"),
                           str(tmp_path / "缺少的报告.docx"), str(tmp_path / "年报*.pdf"))
    assert code == 2
    assert "没有此文件或文件夹" in err and "没有与此模式相符的文件" in err
    assert "no such" not in err and "pattern" not in err


@pytest.mark.parametrize(("source", "english", "chinese"), [
    ("line 57", "line 57", "第 57 行"),
    ("lines 14–19", "lines 14–19", "第 14–19 行"),
    ("page 4, table 3, row 11", "page 4, table 3, row 11", "第 4 页，第 3 张表，第 11 行"),
    ("page 7, paragraph 2, line 3", "page 7, paragraph 2, line 3", "第 7 页，第 2 段，第 3 行"),
    ("table 2, row 6", "table 2, row 6", "第 2 张表，第 6 行"),
    ("page 2, table 1, row 8, box 41,900,77,934", "page 2, table 1, row 8, box 41,900,77,934",
     "第 2 页，第 1 张表，第 8 行，方框 41,900,77,934"),
    ("afchunk.mht, line 9", "afchunk.mht, line 9", "afchunk.mht，第 9 行"),
    ("section 五, lines 40–44", "section 五, lines 40–44", "第五部分，第 40–44 行"),
])
def test_a_place_in_a_source_reads_in_either_language(source: str, english: str,
                                                      chinese: str) -> None:
    where = place(source)
    assert str(where) == english
    set_language("zh")
    assert where.render() == chinese
    assert shown_place("") == ""


def test_places_of_findings_and_figures_in_chinese(archived: str) -> None:
    set_language("zh")
    code, out, _err = _run("validate", "--db", archived, "槐树岭乡", "2021")
    assert code == 1 and re.search(r"第 \d+ 行", out)
    assert not re.search(r"\blines? \d", out)
    code, out, _err = _run("show", "--db", archived, "槐树岭乡")
    assert not re.search(r"\blines? \d", out)
    set_language("en")
    code, out, _err = _run("validate", "--db", archived, "槐树岭乡", "2021")
    assert re.search(r"\bline \d+", out)


def test_history_in_chinese_names_its_operations_and_changes(archived: str) -> None:
    set_language("zh")
    assert _run("agencies", "rename", "--db", archived, "槐树岭乡", "槐树岭乡政府")[0] == 0
    assert _run("review", "--db", archived, "槐树岭乡", "2021", "A-BALANCE", "--ack",
                "--every", "--note", "已电话核实")[0] == 0
    assert _run("remove", "--db", archived, "槐树岭乡", "2021", "--yes")[0] == 0
    assert _run("undo", "--db", archived, "--yes")[0] == 0
    code, out, _err = _run("history", "--db", archived)
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[2] for line in lines] == ["撤销", "删除", "复核", "改名"]
    assert "已将 槐树岭乡人民政府 改名为 槐树岭乡政府" in out and "已确认" in out
    assert not re.search(r"\b(renamed|acknowledged|remove|undo|review)\b", out)
    set_language("en")
    code, out, _err = _run("history", "--db", archived)
    assert [line.split()[2] for line in out.splitlines()] == ["undo", "remove", "review",
                                                              "rename"]


def _help(*command: str, language: str = "zh") -> str:
    """``goi … --help`` as a person starts it (help texts are translated when it starts)."""
    done = goi_process(*command, "--help", **({"LANG": "zh_CN.UTF-8"} if language == "zh"
                                              else {"GOI_LANG": "en"}))
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("command", [(), ("export",), ("roster", "import")])
def test_help_in_chinese_has_no_python_type_names_and_fits_80_cells(command: tuple[str, ...]
                                                                    ) -> None:
    from goitui.render.display import width

    out = _help(*command)
    assert "[OPTIONS]" not in out and "[选项]" in out.splitlines()[0]
    assert not re.search(r"<(str|int|float|path|list\[[^>]*\]|int range)>", out)
    wide = [line for line in out.splitlines() if width(line) > 80]
    # a single unbreakable word may hang over; no line of Chinese does
    assert not [line for line in wide if CJK.search(line[-10:])], wide


def test_help_names_each_value_kind_in_either_language() -> None:
    out = _help("import")
    assert re.search(r"--year <整数>", out) and re.search(r"--db <路径>", out)
    assert "。 " not in out.split("参数")[0]  # Chinese lines joined without a space
    out = _help("import", language="en")
    assert "--year <integer>" in out and "--time-limit <number>" in out
    assert "paths... <text>" in out and "Usage: goi import [OPTIONS]" in out
    assert "-t, --table <proactive|applications|reviews>" in _help("diff", language="en")


def test_versions_status_in_chinese(archived: str) -> None:
    set_language("zh")
    code, out, _err = _run("versions", "--db", archived, "槐树岭乡", "2021")
    assert code == 0 and "不通过" in out and "fail" not in out


@pytest.mark.parametrize("keys", [("m",), ("v", "enter")])
def test_f1_names_textuals_own_keys_in_chinese(archived: str, keys: tuple[str, ...]) -> None:
    """The keys a table or a list brings (cursor, pages) and ctrl+q, in Chinese like goi's."""
    import asyncio

    from test_tui_support import screen_text, settle

    from goitui.tui.app import GoiApp
    from goitui.tui.help import TEXTUAL_KEYS, HelpScreen

    set_language("zh")

    async def f1_text() -> str:
        app = GoiApp(archived)
        async with app.run_test(size=(80, 60)) as pilot:
            await settle(pilot)
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            await pilot.press("f1")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            return screen_text(app)

    shown = asyncio.run(f1_text())
    assert "光标下移" in shown and "退出" in shown
    assert not [word for word in TEXTUAL_KEYS if re.search(rf"\b{re.escape(word)}\b", shown)]
