"""Shared fixtures: the seed reports, the real corpus (skipped when absent), fresh archives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from goitui import i18n
from goitui.archive.store import Archive
from goitui.model import Report
from goitui.parse.report import parse_document
from goitui.readers.layout import text_to_document

# English unless a test asks for Chinese, whatever the locale the suite runs under: help texts
# are translated when goitui.cli is imported, before any fixture runs
os.environ["GOI_LANG"] = "en"
# the catalogs loaded (compiled from the .po in a fresh checkout) before any test is timed
for _language in i18n.LANGUAGES:
    i18n.translation(_language)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_reports"
CORPUS = ROOT.parent / "shared" / "corpus"
SEEDS = sorted(SAMPLES.glob("0*.txt"))


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not here")
    return CORPUS


@pytest.fixture
def archive(tmp_path: Path):
    arch = Archive.open(tmp_path / "archive.db")
    yield arch
    arch.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


def parse_text(text: str, name: str = "report.txt", **kw) -> Report:
    """Parse report text exactly as ``goi import`` does for a text file."""
    return parse_document(text_to_document(text, name=name), **kw)


def seed_text(prefix: str) -> str:
    path = next(p for p in SEEDS if p.name.startswith(prefix))
    return path.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read English unless they ask for Chinese, whatever the locale they run under."""
    monkeypatch.setenv("GOI_LANG", "en")


# ------------------------------------------------------------------ the browser's archive
# here, not imported by each test module: a fixture imported into a module that also takes it
# as a parameter is a redefinition to ruff (F811)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The browser tests' small archive (``test_tui_support.build``), built once; tests take
    a copy of it (``db``)."""
    from test_tui_support import build  # textual: loaded by the browser tests only

    return build(tmp_path_factory.mktemp("tui"))


@pytest.fixture
def db(template_db: Path, tmp_path: Path) -> Path:
    """A fresh copy of the browser tests' archive per test: some tests write reviews. (A
    module that needs another archive defines its own ``db``.)"""
    return Path(shutil.copy(template_db, tmp_path / "archive.db"))


@pytest.fixture
def chinese_browser(monkeypatch: pytest.MonkeyPatch):
    """The browser in Chinese. Its keys, titles and help are translated when its modules are
    imported (``goi browse`` imports them once the language is known); here they were imported
    in English, so each class gets its Chinese texts for this test (Textual merges a class's
    bindings when the class is made, hence ``_merged_bindings``)."""
    import dataclasses
    import importlib
    import pkgutil
    import sys

    from textual.binding import Binding
    from textual.dom import DOMNode

    from goitui import tui
    from goitui.i18n import in_language, set_language
    from goitui.tui.app import GoiApp

    for module in pkgutil.iter_modules(tui.__path__):  # every screen, opened yet or not
        importlib.import_module(f"{tui.__name__}.{module.name}")

    def zh(text: str) -> str:
        return in_language(text, "zh") if text else text

    classes = [c for name, m in list(sys.modules.items()) if name.startswith("goitui.tui.")
               for c in vars(m).values() if isinstance(c, type) and issubclass(c, DOMNode)
               and c.__module__ == name]
    for cls in classes:
        if "BINDINGS" in vars(cls):
            monkeypatch.setattr(cls, "BINDINGS", [
                dataclasses.replace(b, description=zh(b.description))
                if isinstance(b, Binding) else b for b in cls.BINDINGS])
        for attribute in ("HELP", "TITLE"):
            if isinstance(vars(cls).get(attribute), str):
                monkeypatch.setattr(cls, attribute, zh(vars(cls)[attribute]))
    for cls in classes:
        monkeypatch.setattr(cls, "_merged_bindings", cls._merge_bindings())
    set_language("zh")
    return GoiApp
