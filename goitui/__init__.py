"""goi: import, validate, diff and browse 政府信息公开工作年度报告.

What a Python user imports, by name, from ``goitui`` itself::

    from goitui import Archive, import_paths

    with Archive.open("reports.db") as archive:
        results = import_paths(archive, ["reports/"])

The names are loaded when first used (module ``__getattr__``), so that ``import goitui`` stays
as fast as the CLI needs it: none of SQLite's helpers, rapidfuzz, pdfplumber or Textual is
imported before a name that needs it is asked for. The rooms behind the names are listed in
ARCHITECTURE.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: each public name and the module it lives in
_API = {
    "Archive": "goitui.archive.store",  # the SQLite archive of reports, findings, reviews
    "import_paths": "goitui.importer",  # files, folders and globs into an Archive
    "read_path": "goitui.readers",  # a file's bytes as a Document (text lines, table rows)
    "parse_document": "goitui.parse.report",  # a Document as a Report: figures and findings
    "validate_report": "goitui.validate.report",  # a Report (and last year's): findings
    "diff_reports": "goitui.diff.compare",  # two Reports of one agency: a Diff
    "search": "goitui.archive.search",  # full-text search of an Archive
    "GoiError": "goitui.errors",  # the root of every error goi reports to a person
}

__all__ = ["Archive", "GoiError", "__version__", "diff_reports", "import_paths", "parse_document",
           "read_path", "search", "validate_report"]

if TYPE_CHECKING:
    from goitui.archive.search import search
    from goitui.archive.store import Archive
    from goitui.diff.compare import diff_reports
    from goitui.errors import GoiError
    from goitui.importer import import_paths
    from goitui.parse.report import parse_document
    from goitui.readers import read_path
    from goitui.validate.report import validate_report


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'goitui' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # asked once: later uses find it without this call
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
