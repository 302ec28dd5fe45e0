"""Docs that cannot drift: every command has help, and the README names every command."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer

from goitui.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, Any]]:
    root = typer.main.get_command(app)
    out = []

    def walk(cmd: Any, prefix: str) -> None:
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                out.append((f"{prefix} {name}".strip(), sub))
                walk(sub, f"{prefix} {name}")

    walk(root, "")
    return out


COMMANDS = _commands()


def test_the_commands_are_there() -> None:
    names = {n for n, _ in COMMANDS}
    assert {"import", "list", "show", "agencies", "agencies merge", "agencies rename"} <= names


@pytest.mark.parametrize("name,cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_and_is_in_the_readme(name: str, cmd: Any) -> None:
    assert (cmd.help or "").strip(), f"goi {name} has no help text"
    assert f"goi {name}" in README, f"README does not mention goi {name}"
    for param in cmd.params:
        if getattr(param, "param_type_name", "") == "option" and param.name != "help":
            assert (param.help or "").strip(), f"goi {name} {param.opts[0]} has no help"


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert blocks[0].startswith("pip install '.[ocr]' && goi import sample_reports/")
    assert blocks[1] == "pip install '.[test]' && pytest"
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci
