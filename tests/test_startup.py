"""``goi CMD`` imports what CMD needs and no more (issue 18: a command that shows a page
answers in 300 ms, Python's start-up included; ``benchmarks/startup.py`` times it).

Not timed here: what is checked is which modules a command loads, in a process of its own,
and that a command registered alone behaves as in the whole app.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from goitui import cli
from goitui.archive.store import Archive
from goitui.importer import import_paths

ROOT = Path(__file__).resolve().parents[1]

#: what no command that reads the archive needs: the readers and their libraries, the
#: parser, the validators, the import pipeline, the browser
HEAVY = ("lxml", "pdfplumber", "pypdfium2", "numpy", "docx", "charset_normalizer", "textual",
         "sqlite_utils", "goitui.readers", "goitui.importer", "goitui.prepare", "goitui.parse",
         "goitui.pipeline", "goitui.validate.report", "goitui.validate.prose", "goitui.tui")

#: ``goi ARGS`` as the ``goi`` script runs it; then its exit code and modules, on stderr's
#: last line
CHILD = """
import json, sys
sys.argv = ['goi', *sys.argv[1:]]
from goitui.cli import main
code = 0
try:
    main()
except SystemExit as exit:
    code = exit.code
sys.stderr.write('\\n' + json.dumps({'code': code, 'modules': sorted(sys.modules)}))
"""


def goi_modules(db: Path, *args: str) -> tuple[int, set[str]]:
    """``goi ARGS`` in a new process: its exit code and every module it imported."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GOI_DB": str(db), "GOI_LANG": "en"}
    done = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True,
                          text=True, env=env, timeout=120)
    said = json.loads(done.stderr.rsplit("\n", 1)[-1])
    return said["code"], set(said["modules"])


@pytest.fixture(scope="module")
def reports_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The sample reports archived, and an agency with two years of them (for ``diff``)."""
    db = tmp_path_factory.mktemp("startup") / "archive.db"
    with Archive(db) as arch:
        import_paths(arch, [str(ROOT / "sample_reports")])
        agency = next(a["name"] for a in arch.agencies() if len(a["years"]) >= 2)
    return db, agency


def reading_commands(agency: str) -> list[list[str]]:
    return [["list"], ["list", "--help"], ["show", agency], ["diff", agency],
            ["search", "政府信息"], ["validate"], ["validate", agency], ["rules"],
            ["agencies"], ["coverage"], ["export", "--help"], ["browse", "--help"]]


def test_reading_commands_load_no_reader_parser_validator_or_browser(
        reports_archive: tuple[Path, str]) -> None:
    db, agency = reports_archive
    commands = reading_commands(agency)
    with ThreadPoolExecutor(max_workers=4) as pool:  # processes of their own, side by side
        answers = pool.map(lambda args: goi_modules(db, *args), commands)
    for args, (code, modules) in zip(commands, answers):
        assert code in (0, 1), (args, code)  # the command ran: 1 is findings or differences
        loaded = sorted(m for m in modules if m.startswith(HEAVY))
        assert not loaded, (args, loaded)
        if args[0] in ("list", "show", "search", "validate"):  # no name is scored
            assert "rapidfuzz" not in modules, args


def test_help_loads_no_archive_code(reports_archive: tuple[Path, str]) -> None:
    code, modules = goi_modules(reports_archive[0], "--help")
    assert code == 0
    assert not sorted(m for m in modules if m.startswith((*HEAVY, "goitui.archive", "pydantic",
                                                          "rapidfuzz")))


def test_import_still_loads_what_it_needs(reports_archive: tuple[Path, str]) -> None:
    """The other side: ``goi import`` gets the importer when it runs (not at registration)."""
    code, modules = goi_modules(reports_archive[0], "import", "-q",
                                str(ROOT / "sample_reports"))
    assert code == 0 and "goitui.importer" in modules and "goitui.readers" in modules


def _registered(app: typer.Typer) -> set[str]:
    return ({info.name for info in app.registered_commands if info.name}
            | {group.name for group in app.registered_groups if group.name})


def test_each_command_is_registered_by_the_module_the_table_names() -> None:
    """``cli.COMMANDS`` says which module ``goi CMD`` imports: it must be the one that
    registers CMD, and every command must be in it (else ``goi CMD`` imports them all)."""
    modules = cli.command_modules()
    assert set(cli.COMMANDS.values()) == set(modules)
    for module in modules:
        names = _registered(cli.build([module]))
        assert names == {word for word, m in cli.COMMANDS.items() if m == module}, module
    assert _registered(cli.app) == set(cli.COMMANDS)


def test_the_command_word_picks_one_module_or_all() -> None:
    every = cli.command_modules()
    assert cli.command_modules("show") == ["reports"]
    assert cli.command_modules("browse") == ["browse"]
    assert cli.command_modules(None) == every
    assert cli.command_modules("lsit") == every  # a typo: Typer's own answer, from them all
    assert every[:3] == ["importing", "reports", "agencies"]  # the order help lists them in


@pytest.mark.parametrize("args", [
    [], ["--help"], ["lsit"], ["--version"],
    *([word, "--help"] for word in sorted(cli.COMMANDS)),
    ["agencies", "merge", "--help"], ["agencies", "split", "--help"],
    ["agencies", "rename", "--help"], ["roster", "import", "--help"],
    ["list", "--bad-option"], ["show"], ["diff", "x", "1", "2", "3", "--db", "/nonexistent"],
    ["search", "-term", "--db", "/nonexistent"], ["validate", "--severity", "loud"],
])
def test_a_command_alone_answers_as_in_the_whole_app(args: list[str]) -> None:
    """Help, usage errors and refusals are the same whether ``goi`` registered the command
    alone (``main``) or every command (``cli.app``)."""
    runner = CliRunner()
    alone = cli.build(cli.command_modules(cli._command_word(args)))
    whole = runner.invoke(cli.app, args, prog_name="goi")
    single = runner.invoke(alone, args, prog_name="goi")
    assert (single.exit_code, single.output) == (whole.exit_code, whole.output)
    assert whole.output.strip()


def test_command_annotations_are_evaluated_when_defined() -> None:
    """Typer reads every command's annotations when it builds the app: a module defining
    commands keeps them as objects (no ``from __future__ import annotations``), or each
    would be compiled and evaluated from a string at every start."""
    import importlib

    for name in [*cli.command_modules(), "cli"]:
        module = importlib.import_module(f"goitui.commands.{name}" if name != "cli"
                                         else "goitui.cli")
        assert not hasattr(module, "annotations"), module.__name__
