"""Shared fixtures: the seed reports, the real corpus (skipped when absent), fresh archives."""

from __future__ import annotations

from pathlib import Path

import pytest

from goitui.archive.store import Archive
from goitui.model import Report
from goitui.parse.report import parse_document
from goitui.readers.layout import text_to_document

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
