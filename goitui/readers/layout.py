"""Plain text to lines of cells: the text layouts of format-spec §7.

One cell per line (blank lines, NBSP, ideographic spaces), cells ending in `` |`` with
``||`` runs, one row per line separated by tabs or pipes, and markdown tables: every line with
text becomes a ``Line`` (a line of bare pipes or a markdown separator says nothing and is left
out); only a line that really separates cells is a ``grid`` row.
"""

from __future__ import annotations

import re

from goitui.model import Document, Line
from goitui.readers.base import PAGE_NUMBER

_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_NOISE = re.compile(r"\[bookmark: [^\]]*\]")
_MD_HEADING = re.compile(r"^#{1,6}\s*")
_PAGE_NUMBER_START = frozenset("-—–－第共")


def split_line(raw: str, bordered: bool = True) -> tuple[list[str], bool]:
    """Split one text line into cells; the flag says whether it is a grid row.

    ``bordered``: pipe rows start with a border ``|`` (markdown). Without borders a leading
    ``|`` means the row's first cell is empty.
    """
    s = _NOISE.sub("", raw) if "[bookmark" in raw else raw
    stripped = s.strip()
    if not stripped:
        return [], False
    if "|" not in stripped and "\t" not in s:  # the common case: one cell
        return [_MD_HEADING.sub("", stripped) if stripped[0] == "#" else stripped], False
    if "--" in stripped and _MD_SEPARATOR.match(stripped):
        return [], False
    if "|" in stripped:
        body = stripped
        if body.startswith("|") and bordered:
            body = body[1:]
        if body.endswith("|"):
            body = body[:-1]
        cells = [c.strip() for c in body.split("|")]
        if len(cells) - cells.count("") >= 2:
            return cells, True
        return [c for c in cells if c][:1], False
    if "\t" in s:
        cells = [c.strip() for c in s.split("\t")]
        if len(cells) - cells.count("") >= 2:
            return cells, True
    return [_MD_HEADING.sub("", stripped)], False


def _bordered(lines: list[str]) -> bool:
    """Whether this text's pipe rows have a leading border (markdown) or not (§7c)."""
    rows = [ln.strip() for ln in lines if ln.count("|") >= 2 and
            sum(1 for c in ln.split("|") if c.strip()) >= 2]
    return sum(1 for r in rows if r.startswith("|")) * 2 >= len(rows)


def text_to_document(text: str, name: str = "", fmt: str = "text") -> Document:
    """Every line of ``text`` as a ``Line``; empty lines are kept out but numbering is kept.

    A report has a few hundred lines and most are one cell: those take the short path here.
    """
    raw_lines = text.splitlines()
    bordered = _bordered(raw_lines) if "|" in text else True
    noise = "[bookmark" in text
    lines: list[Line] = []
    append = lines.append
    for n, raw in enumerate(raw_lines, start=1):
        s = raw.strip()
        if not s:
            continue
        if noise or "|" in s or "\t" in raw:
            cells, grid = split_line(raw, bordered)
            if cells:  # split_line strips every cell
                append(Line(cells, n, f"line {n}", grid, " ".join([c for c in cells if c])))
            continue
        if s[0] in _PAGE_NUMBER_START and PAGE_NUMBER.match(s):
            continue  # a page number of the printed original, copied with the text
        if s[0] == "#":
            s = _MD_HEADING.sub("", s)
        append(Line([s], n, f"line {n}", False, s))
    return Document(lines=lines, format=fmt, name=name)
