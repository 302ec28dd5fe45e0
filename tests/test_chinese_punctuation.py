"""Chinese text takes Chinese punctuation: full-width colons, commas and brackets (：，（）)
inside Chinese, in the catalogue and where code joins translated words (help headings,
the ``goi：`` before an error, a report's status and counts); ASCII stays around code
(``year:2020``, ``--help``) and in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from test_first_use import _report
from typer.testing import CliRunner

from goitui.cli import app
from goitui.i18n import set_language

runner = CliRunner()
#: the catalogue in the source tree: an installed goi carries only the compiled .mo
CATALOGUE = Path(__file__).resolve().parents[1] / "goitui/locale/zh/LC_MESSAGES/goi.po"
#: a Chinese character or full-width punctuation, next to which ASCII punctuation is wrong
CHINESE = r"[\u4e00-\u9fff（）“”：，。；、]"
#: ASCII punctuation touching Chinese; a colon after a Latin letter is code (year:2020)
ASCII_IN_CHINESE = re.compile(rf"{CHINESE}[:,;()?]|(?<![A-Za-z])[:,;(?]{CHINESE}|\){CHINESE}")


def test_the_chinese_catalogue_puts_no_ascii_punctuation_inside_chinese() -> None:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    wrong = []
    for message in catalogue:
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in texts:
            # a placeholder stands for a Chinese word: "{status}: " is as wrong as "通过: "
            if text and ASCII_IN_CHINESE.search(re.sub(r"\{[^{}]*\}", "某", text)):
                wrong.append((message.id, text))
    assert wrong == []


@pytest.fixture
def archived(tmp_path: Path) -> str:
    db = str(tmp_path / "marks.db")
    report = _report(tmp_path, agency="松树沟乡人民政府", year=2022, off_by=5)
    assert runner.invoke(app, ["import", "--db", db, str(report)]).exit_code in (0, 1)
    return db


def _run(*args: str) -> tuple[str, str]:
    result = runner.invoke(app, list(args))
    return result.stdout, result.stderr


def test_words_joined_by_code_take_the_language_s_colon(archived: str) -> None:
    set_language("zh")
    _out, err = _run("show", "--db", archived, "没有这个乡")
    assert err.startswith("goi：") and "goi: " not in err
    out, _err = _run("show", "--db", archived, "松树沟乡")
    assert re.match(r"松树沟乡人民政府 2022  （✗ 不通过：\d+ 个错误，", out), out.splitlines()[0]
    out, _err = _run("validate", "--db", archived)
    assert re.search(r"松树沟乡人民政府 2022  不通过：\d+ 个错误", out)
    set_language("en")
    _out, err = _run("show", "--db", archived, "没有这个乡")
    assert err.startswith("goi: ")
    out, _err = _run("show", "--db", archived, "松树沟乡")
    assert re.match(r"松树沟乡人民政府 2022  \(✗ fail: \d+ errors?, ", out), out.splitlines()[0]
    out, _err = _run("validate", "--db", archived)
    assert re.search(r"松树沟乡人民政府 2022  fail: \d+ errors?", out)
