"""Long imports: a progress line on a terminal only, --quiet, and a summary when interrupted."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goitui.cli import app
from goitui.importer import ARCHIVED, FileResult
from goitui.render.progress import Progress

SAMPLES = Path(__file__).resolve().parents[1] / "sample_reports"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_count_rate_and_time_left_on_a_terminal_only() -> None:
    screen, out = Terminal(), io.StringIO()
    progress = Progress(screen)
    progress.start(4)
    progress.step()
    progress.echo("archived   某乡 2021", out)
    progress.step()
    assert "[2/4] 50%" in progress.text() and "files/s" in progress.text()
    assert "\r\x1b[K" in screen.getvalue() and "ETA" in screen.getvalue()
    assert out.getvalue() == "archived   某乡 2021\n"
    plain = io.StringIO()
    quiet = Progress(plain)
    quiet.start(4)
    quiet.step()
    assert plain.getvalue() == ""


def test_quiet_prints_only_the_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["import", str(SAMPLES), "--quiet", "--db",
                                      str(tmp_path / "a.db")])
    assert result.stdout == ""
    assert "archived" in result.stderr and result.stderr.count("\n") == 1


def test_an_interrupted_import_says_what_it_archived(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(archive, paths, *, on_result, on_start, **options):  # type: ignore[no-untyped-def]
        on_start(3)
        on_result(FileResult("a.txt", ARCHIVED, agency="某镇", year=2022, version=1))
        raise KeyboardInterrupt

    monkeypatch.setattr("goitui.importer.import_paths", interrupted)  # imported by the command
    result = CliRunner().invoke(app, ["import", "x", "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 2
    assert "1 archived" in result.stderr and "interrupted" in result.stderr
