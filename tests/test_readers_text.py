"""Text files: every encoding reports come in, refused when not text."""

from __future__ import annotations

from pathlib import Path

import pytest

from goitui.readers import ReadError, read_path

REPORT = "一、总体情况\n规章\t0\t\t3\n（一）予以公开 | 2 | 1 |\n"


def _cells(path: Path) -> list[tuple[list[str], bool]]:
    return [(ln.cells, ln.grid) for ln in read_path(path).lines]


EXPECTED = [(["一、总体情况"], False), (["规章", "0", "", "3"], True),
            (["（一）予以公开", "2", "1"], True)]


@pytest.mark.parametrize(("encoding", "note"), [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8 (BOM)"),
    ("utf-16", "utf-16 (BOM)"),
    ("utf-16-le", "utf-16-le"),
    ("gb18030", "gb18030"),
])
def test_encodings(tmp_path: Path, encoding: str, note: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode(encoding))
    doc = read_path(path)
    assert [(ln.cells, ln.grid) for ln in doc.lines] == EXPECTED
    assert doc.format == "text"
    assert f"encoding: {note}" in doc.notes


def test_gbk_text(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes("二、主动公开政府信息情况\n行政许可\t550\n".encode("gbk"))
    assert _cells(path) == [(["二、主动公开政府信息情况"], False), (["行政许可", "550"], True)]


def test_binary_refused(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(ReadError, match="binary"):
        read_path(path)


@pytest.mark.parametrize("content", [b"", b"  \n\n \r\n"])
def test_empty_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError, match="empty"):
        read_path(path)


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(210 * 1024 * 1024)  # sparse: no disk used
    with pytest.raises(ReadError) as err:
        read_path(path)
    assert str(err.value) == "file too large (210 MB; limit 100 MB)"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="not found"):
        read_path(tmp_path / "nope.txt")
