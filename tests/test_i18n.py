"""The interface in two languages: catalogs complete, compiled at build time, chosen as asked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from goitui import i18n
from goitui.i18n import Phrase, _, in_language

ROOT = Path(__file__).resolve().parents[1]
catalogs = pytest.importorskip("goitui.testing.catalogs")


def test_every_message_is_translated_in_every_language() -> None:
    """Extracted from the code as it is now: a new ``_()`` without a translation fails here."""
    problems = catalogs.problems()
    listing = "\n".join(str(p) for p in problems)
    assert not problems, (
        f"{len(problems)} message(s) lack a translation. Run `python -m goitui.testing.catalogs "
        "update`, then write each Chinese msgstr in goitui/locale/zh/LC_MESSAGES/goi.po:\n"
        + listing)


def test_the_catalogs_pass_babels_checks() -> None:
    """Babel's own checks (plural forms, format strings) on every catalog."""
    for language in i18n.LANGUAGES:
        catalog = catalogs.read(language)
        errors = [(m.id, e) for m, e in catalog.check()]
        assert not errors, f"{language}: {errors}"


def test_a_translation_with_other_fields_than_the_english_is_named(tmp_path: Path) -> None:
    from babel.messages.catalog import Message

    message = Message("{count} reports", locations=[("goitui/x.py", 3)])
    bad = Message("{count} reports", "{number} 份报告")
    problems = catalogs._format_problems("zh", message, bad, "goitui/x.py:3")
    assert problems and "number" in str(problems[0])
    assert catalogs.placeholders("{a} {{literal}} {b!r} {c:>3}") == {"a", "b", "c"}


def test_language_follows_goi_lang_then_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOI_LANG")
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    assert i18n.language() == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.language() == "zh"
    monkeypatch.setenv("LC_MESSAGES", "C.UTF-8")
    assert i18n.language() == "en"
    monkeypatch.setenv("LC_ALL", "zh_TW.UTF-8")
    assert i18n.language() == "zh"
    monkeypatch.setenv("GOI_LANG", "en")
    assert i18n.language() == "en"


def test_set_language_and_back(monkeypatch: pytest.MonkeyPatch) -> None:
    i18n.set_language("zh_CN")
    assert i18n.language() == "zh"
    assert _("Show the version and exit.") != "Show the version and exit."
    i18n.set_language("en")
    assert _("Show the version and exit.") == "Show the version and exit."


def test_a_phrase_renders_in_either_language_with_nested_phrases() -> None:
    inner = Phrase("Show the version and exit.")
    outer = Phrase("{inner}", inner=inner)
    assert outer.render("en") == "Show the version and exit."
    assert outer.render("zh") == in_language("Show the version and exit.", "zh")
    assert outer.render("zh") != outer.render("en")


def test_a_stale_or_missing_mo_is_not_used_when_the_po_is_newer(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "zh" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "goi.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"'
                                   '\n\nmsgid "Hello"\nmsgstr "你好"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert i18n._load("zh").gettext("Hello") == "你好"
    (folder / "goi.mo").write_bytes(catalogs_mo(folder / "goi.po").replace("你好".encode(), "旧的".encode()))
    assert i18n._load("zh").gettext("Hello") == "旧的"  # the .mo is newer: it is used
    os.utime(folder / "goi.mo", (1, 1))
    assert i18n._load("zh").gettext("Hello") == "你好"  # the .po is newer: it wins


def catalogs_mo(po: Path) -> bytes:
    built = i18n.compile_po(po)
    assert built is not None
    return built


def _goi(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("GOI_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    environment.update(env, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", "from goitui.cli import main; main()", *args], capture_output=True,
                          text=True, env=environment, timeout=120)


def test_help_follows_lang_option_goi_lang_and_locale() -> None:
    english = _goi("--help", LANG="C.UTF-8").stdout
    assert "Show the version and exit." in english
    for chinese in (_goi("--help", LANG="zh_CN.UTF-8").stdout,
                    _goi("--help", GOI_LANG="zh", LANG="C.UTF-8").stdout,
                    _goi("--lang", "zh", "--help", LANG="C.UTF-8").stdout,
                    _goi("--lang=zh", "list", "--help", LANG="C.UTF-8").stdout):
        assert "Show the version and exit." not in chinese
        assert "Archive file" not in chinese
        assert "--lang" in chinese or "--agency" in chinese
    assert "Show the version and exit." in _goi("--lang", "en", "--help",
                                                 LANG="zh_CN.UTF-8").stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_wheel_built_from_a_clean_tree_carries_the_compiled_catalogs(tmp_path: Path) -> None:
    """What ``pip install .`` does from a clean clone: the build hook compiles every .po."""
    pytest.importorskip("hatchling")
    tree = tmp_path / "tree"
    shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(
        ".git", "*.mo", "__pycache__", ".venv", "*.db", "sample_reports", "benchmarks"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                            "--no-build-isolation", "-w", str(tmp_path / "dist"), str(tree)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("goi-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for language in i18n.LANGUAGES:
        assert f"goitui/locale/{language}/LC_MESSAGES/goi.mo" in names
        assert f"goitui/locale/{language}/LC_MESSAGES/goi.po" not in names
    mo = zipfile.ZipFile(wheel).read("goitui/locale/zh/LC_MESSAGES/goi.mo")
    assert mo == catalogs_mo(ROOT / "goitui/locale/zh/LC_MESSAGES/goi.po")


def test_no_function_that_translates_assigns_the_underscore() -> None:
    """``_ = …`` or ``x, _ = …`` inside a function that calls ``_()`` makes ``_`` local there:
    the call then fails (UnboundLocalError). Comprehensions have their own scope."""
    import ast

    offenders = []
    for path in sorted((ROOT / "goitui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            inner = {id(n) for c in ast.walk(function)
                     if isinstance(c, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
                     for n in ast.walk(c)}
            calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                        and n.func.id == "_" for n in ast.walk(function))
            stores = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == "_"
                      and isinstance(n.ctx, ast.Store) and id(n) not in inner]
            if calls and stores:
                offenders.append(f"{path.relative_to(ROOT)}:{stores[0].lineno} {function.name}")
    assert not offenders, offenders


def test_the_rule_catalogue_reads_in_chinese() -> None:
    from goitui.validate import rules

    untranslated = [text for rule in rules.RULES for text in (rule.checks, rule.why)
                    if in_language(text, "zh") == text]
    untranslated += [t for t in rules.GROUPS.values() if in_language(t, "zh") == t]
    assert not untranslated, ("mark these with N_() in goitui/validate/rules.py and translate "
                              f"them in goitui/locale/zh/LC_MESSAGES/goi.po: {untranslated}")


def test_every_help_text_has_a_chinese_translation() -> None:
    """``goi … --help`` in Chinese: every command's and every option's help is a catalogue
    message (written ``help=_("…")``) with a translation."""
    import typer

    from goitui.cli import app

    def walk(command, path: str):
        yield path, command.help
        for param in command.params:  # Typer's completion options too (commands/usage.py)
            yield f"{path} {param.name}", getattr(param, "help", None)
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, f"{path} {name}")

    missing = [f"{where}: {text!r}" for where, text in walk(typer.main.get_command(app), "goi")
               if text and in_language(text, "zh") == text]
    assert not missing, ("wrap these help texts in _() and translate them in "
                         "goitui/locale/zh/LC_MESSAGES/goi.po:\n" + "\n".join(missing))
