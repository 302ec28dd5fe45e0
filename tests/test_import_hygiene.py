"""Only ``goi browse`` may import Textual: every other command must start without it."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return out.split()


def test_cli_does_not_import_textual() -> None:
    mods = _modules_after("import goitui.cli")
    assert "goitui.commands.browse" in mods
    assert not [m for m in mods if m.startswith("textual")]


def test_search_and_queries_do_not_import_textual() -> None:
    mods = _modules_after("import goitui.archive.search, goitui.archive.queries")
    assert not [m for m in mods if m.startswith("textual")]
