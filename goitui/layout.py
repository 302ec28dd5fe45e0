"""Plain text to lines of cells: the text layouts of format-spec §7.

One cell per line (blank lines, NBSP, ideographic spaces), cells ending in `` |`` with
``||`` runs, one row per line separated by tabs or pipes, and markdown tables all become
``Line`` objects; only a line that really separates cells is a ``grid`` row.
"""

from __future__ import annotations

import re

from .model import Document, Line

_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_NOISE = re.compile(r"\[bookmark: [^\]]*\]")
_MD_HEADING = re.compile(r"^#{1,6}\s*")


def split_line(raw: str) -> tuple[list[str], bool]:
    """Split one text line into cells; the flag says whether it is a grid row."""
    s = _NOISE.sub("", raw).rstrip("\r\n")
    stripped = s.strip()
    if not stripped:
        return [], False
    if _MD_SEPARATOR.match(stripped):
        return [], False
    if "|" in stripped:
        body = stripped
        if body.startswith("|"):
            body = body[1:]
        if body.endswith("|"):
            body = body[:-1]
        cells = [c.strip() for c in body.split("|")]
        if sum(1 for c in cells if c) >= 2:
            return cells, True
        return [c for c in cells if c][:1], False
    if "\t" in s:
        cells = [c.strip() for c in s.split("\t")]
        if sum(1 for c in cells if c) >= 2:
            return cells, True
    return [_MD_HEADING.sub("", stripped)], False


def text_to_document(text: str, name: str = "", fmt: str = "text") -> Document:
    """Every line of ``text`` as a ``Line``; empty lines are kept out but numbering is kept."""
    lines: list[Line] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        cells, grid = split_line(raw)
        if cells:
            lines.append(Line(cells=cells, line=n, source=f"line {n}", grid=grid))
    return Document(lines=lines, format=fmt, name=name)
