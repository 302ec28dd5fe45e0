"""The public API: goitui names what a Python user imports, and importing goitui stays cheap."""

from __future__ import annotations

import subprocess
import sys

import pytest

import goitui

NAMES = ["Archive", "import_paths", "read_path", "parse_document", "validate_report",
         "diff_reports", "search", "GoiError"]


def test_every_public_name_is_there() -> None:
    assert sorted(NAMES) == sorted(n for n in goitui.__all__ if n != "__version__")
    for name in NAMES:
        assert getattr(goitui, name).__name__ == name
    assert issubclass(goitui.GoiError, Exception) and set(NAMES) <= set(dir(goitui))
    with pytest.raises(AttributeError):
        goitui.no_such_name  # noqa: B018


def test_importing_goitui_loads_no_heavy_library() -> None:
    code = ("import sys, goitui\n"
            "print('\\n'.join(m for m in sys.modules if m.split('.')[0] in ("
            "'sqlite_utils', 'rapidfuzz', 'pdfplumber', 'textual', 'typer', 'lxml', 'docx')"
            " or m.startswith('goitui.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [], out


def test_the_api_end_to_end(tmp_path, samples_dir) -> None:
    """Import a folder, read the report back, validate, diff and search through the names."""
    from goitui import Archive, diff_reports, import_paths, search, validate_report

    with Archive.open(tmp_path / "api.db") as archive:
        results = import_paths(archive, [str(samples_dir)])
        assert results and all(r.outcome == "archived" for r in results)
        new = archive.find_report("八道沟镇", 2021)
        old = archive.find_report("八道沟镇", 2020)
        assert any(f.rule.startswith("X-") for f in validate_report(new, old))
        assert diff_reports(old, new).differs
        assert search(archive, "八道沟镇").count >= 2
