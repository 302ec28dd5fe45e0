"""Every command's human output in Chinese under ``LANG=zh_CN.UTF-8`` (or ``--lang zh``), and
in English otherwise; JSON keys and the English ``message`` do not change."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_validate_support import figures
from typer.testing import CliRunner

from goitui import labels
from goitui.cli import app
from goitui.i18n import set_language
from goitui.testing import generate

CJK = re.compile(r"[\u4e00-\u9fff]")
runner = CliRunner()


def _report(folder: Path, agency: str = "石门乡人民政府", year: int = 2022, broken: bool = True) -> Path:
    figs = dict(figures(labels.T2021, seed=11))
    if broken:
        figs["applications.new_received.natural_person"] = (
            figs["applications.new_received.natural_person"] or 0) + 5
    path = folder / f"{agency}{year}.txt"
    path.write_text(generate.render(figs, labels.T2021, generate.TABS, agency=agency, year=year),
                    encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def archived(tmp_path: Path) -> str:
    db = str(tmp_path / "a.db")
    _run("import", "--db", db, str(_report(tmp_path)), str(_report(tmp_path, year=2023,
                                                                    broken=False)))
    return db


def test_import_lines_and_summary_in_chinese(tmp_path: Path) -> None:
    set_language("zh")
    db = str(tmp_path / "a.db")
    bad = tmp_path / "空.txt"
    bad.write_text("", encoding="utf-8")
    code, out, err = _run("import", "--db", db, str(_report(tmp_path)), str(bad))
    assert code == 2
    assert "已归档" in out and "模板 2021" in out and "个错误" in out
    assert "失败" in err and "空文件" in err and "已归档 1 份" in err
    assert "archived" not in out + err and "error" not in out + err


def test_the_same_import_in_english(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    code, out, err = _run("import", "--db", db, str(_report(tmp_path)))
    assert "archived" in out and "1 archived, 0 unchanged, 0 failed" in err
    assert not CJK.search(out.replace("石门乡人民政府", "").replace(str(tmp_path), ""))


def test_a_refusal_keeps_the_option_a_user_types(tmp_path: Path) -> None:
    set_language("zh")
    page = tmp_path / "page.txt"
    page.write_text("我们今年的工作很好。\n", encoding="utf-8")
    code, out, err = _run("import", "--db", str(tmp_path / "a.db"), str(page))
    assert code == 2 and CJK.search(err)


def test_list_validate_show_and_rules_in_chinese(archived: str) -> None:
    set_language("zh")
    code, out, _err = _run("list", "--db", archived)
    assert out.splitlines()[0].split()[:4] == ["机关", "年度", "模板", "状态"]
    assert "不通过" in out
    code, out, _err = _run("validate", "--db", archived)
    assert code == 1 and "份报告" in out and "不通过 1 份" in out and "相差 5" in out
    code, out, _err = _run("validate", "--db", archived, "石门乡", "2022")
    assert "计算：模板所含的勾稽关系" in out and "应为" in out
    code, out, _err = _run("show", "--db", archived, "石门乡", "2022")
    assert CJK.search(out)
    code, out, _err = _run("rules")
    assert "勾稽关系" in out and "理由：" in out and "why:" not in out


def test_errors_in_chinese(archived: str, tmp_path: Path) -> None:
    set_language("zh")
    code, _out, err = _run("show", "--db", archived, "不存在的机关")
    assert code == 2 and "档案库中没有名为" in err
    code, _out, err = _run("list", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "没有档案库" in err
    code, _out, err = _run("review", "--db", archived, "石门乡", "2022", "A-BALANCE")
    assert code == 2 and "--ack" in err and CJK.search(err)


def test_json_is_the_same_in_both_languages(archived: str) -> None:
    outputs = []
    for language in ("en", "zh"):
        set_language(language)
        outputs.append(json.loads(_run("validate", "--db", archived, "--format", "json")[1]))
    assert outputs[0] == outputs[1]
    finding = outputs[0]["reports"][0]["findings"][0]
    assert not CJK.search(finding["message"].split("：")[0][:3]) and finding["message_zh"]


def test_diff_in_chinese_and_english(archived: str) -> None:
    set_language("zh")
    code, out, _err = _run("diff", "--db", archived, "石门乡")
    assert code == 1 and "数据：变化" in out and "正文：+ 新增" in out
    code, out, _err = _run("diff", "--db", archived, "石门乡", "--format", "markdown")
    assert "| key | 行 | 栏目 |" in out
    set_language("en")
    code, out, _err = _run("diff", "--db", archived, "石门乡")
    assert "figures: " in out and "changed" in out
