"""Shared fixtures: the seed reports, the real corpus (skipped when absent), fresh archives."""

from __future__ import annotations

import os
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
