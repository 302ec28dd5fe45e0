"""A file named .pdf that holds no PDF is refused as "not a PDF file", saying what it holds.

A plain-text report saved under a .pdf name was refused as a "truncated or damaged PDF",
sending the user after a broken download. Whatever the bytes are recognised as by their own
magic (a web page, a Word file) is read as that; text or unknown bytes are named.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from goitui.readers import ReadError, read_path, sniff

TEXT = "梅岭街道办事处2021年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开信息37条。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_text_named_pdf_is_not_a_pdf(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "年报.pdf"
    path.write_bytes(TEXT.encode(encoding) * 40)
    with pytest.raises(ReadError) as err:
        read_path(path)
    assert str(err.value).startswith("not a PDF file (it holds plain text")
    assert "damaged" not in str(err.value)


def test_binary_named_pdf_is_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "scan.PDF"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ReadError, match=r"^not a PDF file \(binary data of no known kind\)$"):
        read_path(path)


def test_a_header_after_some_junk_is_still_a_pdf(tmp_path: Path) -> None:
    """Readers accept a PDF header within the first 1024 bytes: so does goi."""
    head = b"\r\n" * 100 + b"%PDF-1.4\n"
    assert sniff(head, ".pdf") == "pdf"
    path = tmp_path / "cut.pdf"
    path.write_bytes(head + b"1 0 obj\n<< >>\nendobj\n")
    with pytest.raises(ReadError, match="damaged PDF"):
        read_path(path)


def test_a_web_page_or_word_file_named_pdf_is_read_as_what_it_is(tmp_path: Path) -> None:
    page = tmp_path / "page.pdf"
    page.write_text(f"<html><body><p>{TEXT}</p></body></html>", encoding="utf-8")
    with pytest.raises(ReadError) as err:
        read_path(page)
    assert "page" in str(err.value) and "PDF" not in str(err.value)  # the HTML reader's word
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not word")
    word = tmp_path / "word.pdf"
    word.write_bytes(buffer.getvalue())
    with pytest.raises(ReadError) as err:
        read_path(word)
    assert "PDF" not in str(err.value)  # a zip: the Word reader says what is wrong with it
