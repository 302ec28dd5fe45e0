"""Typer's own words — ``Usage:``, the help headings, ``--help``'s help, usage errors — in the
interface's language, and exactly Typer's English otherwise; shell completion still works."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goitui.cli import app
from goitui.commands.usage import PATTERNS, reworded
from goitui.i18n import set_language

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")
#: Typer's English, which must not be left in a Chinese usage error or help
ENGLISH = ("Usage:", "Options:", "Arguments:", "Commands:", "Show this message", "Try '",
           "Error:", "No such", "Missing", "Invalid value", "Got unexpected", "Did you mean",
           "requires", "does not take", "Possible options", "[default:", "[required]",
           "[env var:", "Install completion", "Show completion")
runner = CliRunner()


def goi_process(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``goi`` as a person starts it: help texts are translated when the commands register."""
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("GOI_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    environment.update(env, PYTHONPATH=str(ROOT))
    start = "import sys; sys.argv[0] = 'goi'; from goitui.cli import main; main()"
    return subprocess.run([sys.executable, "-c", start, *args], capture_output=True, text=True,
                          env=environment, timeout=120)


def test_help_of_goi_and_of_a_nested_command_in_chinese() -> None:
    for args in (["--help"], ["roster", "import", "--help"], ["list", "--help"]):
        result = goi_process(*args, LANG="zh_CN.UTF-8")
        assert result.returncode == 0, result.stderr
        out = result.stdout
        assert out.startswith("用法：goi") and "显示此帮助后退出。" in out
        assert not [word for word in ENGLISH if word in out], out
    top = goi_process("--help", LANG="zh_CN.UTF-8").stdout
    assert "选项：" in top and "命令：" in top and "为当前 shell 安装命令补全。" in top
    nested = goi_process("roster", "import", "--help", LANG="zh_CN.UTF-8").stdout
    assert "参数：" in nested and "[必填]" in nested and "[环境变量：GOI_DB]" in nested
    assert "[默认：text]" in goi_process("list", "--help", LANG="zh_CN.UTF-8").stdout


def test_help_in_english_is_typers_own() -> None:
    out = goi_process("list", "--help", LANG="C.UTF-8").stdout
    assert out.startswith("Usage: goi list [OPTIONS]")
    assert "Options:" in out and "Show this message and exit." in out and "[default: text]" in out
    top = goi_process("--lang", "en", "--help", LANG="zh_CN.UTF-8").stdout
    assert "Commands:" in top and "Install completion for the current shell." in top
    assert not CJK.search(top.split("Commands:")[0].replace("政府信息公开工作年度报告", ""))


#: (arguments, what the Chinese error says, Typer's English for it)
USAGE_ERRORS = [
    (["list", "--yeer", "3"], "没有 --yeer 这个选项（可用的选项：--year）",
     "No such option: --yeer (Possible options: --year)"),
    (["show"], "缺少参数 'agency'。", "Missing argument 'agency'."),
    (["roster", "import"], "缺少参数 'file'。", "Missing argument 'file'."),
    (["list", "extra", "words"], "多余的参数（extra words）",
     "Got unexpected extra argument(s) (extra words)"),
    (["lst"], "没有 'lst' 这个命令。是否要输入 'list'？",
     "No such command 'lst'. Did you mean 'list'?"),
    (["validate", "--severity", "fatal"], "'--severity' 的值无效：'fatal' 不是",
     "Invalid value for '--severity': 'fatal' is not one of 'error', 'warning', 'info'."),
    (["diff", "某镇", "2021", "twenty"], "'years' 的值无效：应为整数",
     "Invalid value for 'years': a whole number is needed"),
    (["list", "--year"], "选项 '--year' 需要一个值。", "Option '--year' requires a value."),
    (["list", "--all-versions=yes"], "选项 '--all-versions' 不接受值。",
     "Option '--all-versions' does not take a value."),
    (["--nope"], "没有 --nope 这个选项", "No such option: --nope"),
]


@pytest.mark.parametrize(("args", "chinese", "english"), USAGE_ERRORS)
def test_a_usage_error_in_both_languages(args: list[str], chinese: str, english: str,
                                         tmp_path: Path) -> None:
    set_language("zh")
    result = runner.invoke(app, [*args])
    assert result.exit_code == 2
    err = result.stderr
    assert f"错误：{chinese}" in err, err
    assert not [word for word in ENGLISH if word in err], err
    if "用法：" in err:  # where Typer knows the command, it says how to ask for help
        assert re.search(r"运行 'goi[ a-z]*--help' 查看帮助。", err)
    set_language("en")
    result = runner.invoke(app, [*args])
    assert result.exit_code == 2 and f"Error: {english}" in result.stderr
    assert not CJK.search(result.stderr.replace("某镇", "")), result.stderr


def test_a_usage_error_keeps_what_goi_added_below_it() -> None:
    set_language("zh")
    result = runner.invoke(app, ["search", "-fx", "--db", "none.db"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert any(line.startswith("错误：'--format' / '-f' 的值无效") for line in lines)
    assert any("goi search [OPTIONS] -- -fx" in line and CJK.search(line) for line in lines)


@pytest.mark.parametrize("message", [
    "Missing option '--ack'.", "Missing parameter: name", "Invalid value: 'x'",
    "Value 'x' is not a valid uuid.", "Option '--pair' requires 2 arguments.",
    "Argument 'pair' takes 2 values.", "File 'a.csv' does not exist.",
    "Directory 'out' is a file.", "File 'out' is a directory.", "Path 'a' is not readable.",
    "Path 'a' is not writable.", "Input should be a valid number, unable to parse string",
    "Input should be a valid boolean", "Missing command.",
    "Missing argument 'format'. Choose from:\n\ttext,\n\tjson",
])
def test_every_kind_of_usage_error_reads_in_chinese(message: str) -> None:
    """The kinds the commands above do not raise today, worded from Typer's English."""
    set_language("zh")
    chinese = reworded(message)
    assert chinese != message and CJK.search(chinese.split("\n")[0])
    assert not [word for word in ENGLISH if word in chinese], chinese


def test_a_message_no_pattern_knows_stays_as_typer_wrote_it() -> None:
    set_language("zh")
    assert reworded("Something new in a later Typer.") == "Something new in a later Typer."
    assert len(PATTERNS) > 20


def test_show_completion_prints_a_script(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the shell cannot be detected (no shellingham, no parent shell: CI), Typer's
    completion options take the shell by name, and say so in either language."""
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    for language in ("zh", "en"):
        set_language(language)
        result = runner.invoke(app, ["--show-completion", "bash"])
        assert result.exit_code == 0, result.output
        assert "_goi_completion" in result.stdout and "complete " in result.stdout
        assert "#compdef goi" in runner.invoke(app, ["--show-completion", "zsh"]).stdout
    help_text = runner.invoke(app, ["--help"]).stdout
    assert "Show completion for the specified shell" in help_text
    set_language("zh")
    help_text = runner.invoke(app, ["--help"]).stdout
    assert "显示指定 shell 的命令补全脚本" in help_text and "specified" not in help_text


def test_completion_completes_commands_and_options() -> None:
    result = goi_process(_GOI_COMPLETE="complete_bash", COMP_WORDS="goi li", COMP_CWORD="1",
                         LANG="zh_CN.UTF-8")
    assert result.stdout.split() == ["list"]
    result = goi_process(_GOI_COMPLETE="complete_bash", COMP_WORDS="goi list --for",
                         COMP_CWORD="2", LANG="zh_CN.UTF-8")
    assert result.stdout.split() == ["--format"]
