"""Old Word (.doc): converted through LibreOffice when it is installed, else a clear reason."""

from __future__ import annotations

import random
import shutil
import subprocess

import pytest

from goitui.parse.report import parse_document
from goitui.readers import read_path
from goitui.testing.generate import make_figures, render_docx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_doc_through_libreoffice_is_exact(tmp_path) -> None:
    figures = make_figures("2021", random.Random(3))
    render_docx(figures, "2021", agency="青石镇人民政府", year=2022, path=tmp_path / "r.docx")
    subprocess.run([SOFFICE, "--headless", "--convert-to", "doc", "--outdir", str(tmp_path),
                    str(tmp_path / "r.docx")], check=True, capture_output=True, timeout=180)
    (tmp_path / "r.docx").unlink()
    report = parse_document(read_path(tmp_path / "r.doc"))
    assert (report.agency, report.year, report.template) == ("青石镇人民政府", 2022, "2021")
    assert report.figures_json() == figures
