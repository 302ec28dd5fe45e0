"""Old binary Word (.doc) and WPS (.wps) files: converted to .docx by LibreOffice, if present.

There is no pure-Python reader for these formats worth trusting with figures; LibreOffice's
converter is, so it runs headless in a temporary directory with a time limit.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from goitui.i18n import _
from goitui.model import Document
from goitui.readers.base import ReadError
from goitui.readers.docx import read_docx

TIMEOUT = 120  # seconds


def office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_converted(path: Path, name: str = "") -> Document:
    exe = office()
    kind = path.suffix.lower() or ".doc"
    if exe is None:
        raise ReadError(_("{kind} needs converting: install LibreOffice (`soffice`) or save it as .docx").format(kind=kind))
    with tempfile.TemporaryDirectory(prefix="goi-convert-") as tmp:
        source = Path(tmp) / f"input{kind}"
        shutil.copyfile(path, source)
        cmd = [exe, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
               "--convert-to", "docx", "--outdir", tmp, str(source)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ReadError(_("{kind} conversion by LibreOffice timed out after {timeout} s").format(kind=kind, timeout=TIMEOUT)) from None
        except OSError as e:
            raise ReadError(_("{kind} conversion failed: {strerror}").format(kind=kind, strerror=e.strerror)) from None
        out = source.with_suffix(".docx")
        if not out.exists():
            raise ReadError(_("{kind} conversion by LibreOffice failed (damaged or not a Word file)").format(kind=kind))
        doc = read_docx(out, name=name or path.name)
    doc.notes.append(_("converted from {kind} with LibreOffice").format(kind=kind))
    return doc
