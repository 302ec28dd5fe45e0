"""A saved web page whose report is its attachment (``附件：…年度报告.pdf``).

Many sites publish the report as a PDF or Word file linked from a short page; a person saves
the page and downloads the attachment beside it (or the browser puts it in ``NAME_files/``).
The attachment is then the report, and the page's title names its agency and year. Links are
resolved only to files inside the page's own folder: a hostile ``href`` never reaches elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from goitui.readers.base import tidy
from goitui.readers.html import page_text
from goitui.readers.html import page_title as title_without_site

#: what a report can be published as (the readers read them all)
ATTACHMENT_SUFFIXES = (".pdf", ".docx", ".doc", ".wps", ".docm", ".rtf")
_ATTACHMENT_WORD = re.compile(r"附\s*件|下载|附\s*表")
_REPORT_WORD = re.compile(r"年度报告|年报|工作报告|信息公开")
_TITLE = re.compile(r"政府信息公开|政务公开|信息公开.{0,8}年度报告|年度报告")
_MAX_LINKS = 500  # a page listing thousands of files is a directory, not a report's page


@dataclass(frozen=True)
class Attachment:
    """A linked file found on disk: the link as printed, and the local file."""

    text: str
    path: Path


def _suffix(name: str) -> str:
    return Path(name).suffix.lower()


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def _candidates(page: Path, href: str, text: str) -> list[Path]:
    """Where a browser or a person would have put the linked file."""
    folder = page.parent
    folders = [folder, folder / f"{page.stem}_files", folder / f"{page.stem}.files"]
    parts = urlsplit(href)
    link_path = unquote(parts.path)
    names = []
    if not parts.scheme and not parts.netloc and link_path:
        names.append(folder / link_path.lstrip("/") if not link_path.startswith("/")
                     else folder / Path(link_path).name)
    base = Path(link_path).name
    for where in folders:
        if base:
            names.append(where / base)
        if text:
            shown = text if _suffix(text) in ATTACHMENT_SUFFIXES else text + _suffix(base)
            names.append(where / shown)
    return names


def _root(data: bytes) -> etree._Element | None:
    text, _encoding = page_text(data)
    try:
        return lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", text))
    except (etree.ParserError, ValueError):
        return None


def page_attachments(page: Path, data: bytes) -> list[Attachment]:
    """The attachments of a saved page that are present on disk, in link order, each once.

    A link counts when it points at a report-like file (PDF, Word) and it, or the text just
    before it, says it is an attachment (附件) or names a report (年度报告, 年报).
    """
    root = _root(data)
    if root is None:
        return []
    found: list[Attachment] = []
    seen: set[Path] = set()
    links = [a for a in root.iter("a") if a.get("href")][:_MAX_LINKS]
    for a in links:
        href = (a.get("href") or "").strip()
        text = tidy(a.text_content())
        if _suffix(unquote(urlsplit(href).path)) not in ATTACHMENT_SUFFIXES and \
                _suffix(text) not in ATTACHMENT_SUFFIXES:
            continue
        before = tidy((a.getprevious().tail or "") if a.getprevious() is not None
                      else (a.getparent().text or "") if a.getparent() is not None else "")
        context = f"{before} {text} {a.get('title', '')} {unquote(href)}"
        if not (_ATTACHMENT_WORD.search(context) or _REPORT_WORD.search(context)):
            continue
        for candidate in _candidates(page, href, text):
            try:
                exists = candidate.is_file()
            except OSError:
                exists = False
            if exists and _inside(candidate, page.parent):
                real = candidate.resolve()
                if real not in seen:
                    seen.add(real)
                    found.append(Attachment(text, candidate))
                break
    return found


def page_title(data: bytes) -> str | None:
    """The report's title as the page prints it (``<h1>``…, then ``<title>``), when it names a
    report: the agency and year of an attachment that does not say them itself."""
    root = _root(data)
    if root is None:
        return None
    for tag in ("h1", "h2", "h3", "title"):
        for el in root.iter(tag):
            text = tidy(el.text_content())
            if 4 < len(text) < 100 and _TITLE.search(text):
                return title_without_site(text) if tag == "title" else text
    return None
