"""Report text as Rich ``Text``, never as markup: what a report prints is shown, not obeyed.

Every string from a report reaches the screen through ``plain`` (control characters shown
as ``\\x1b``, ``[bold]`` shown as typed). Marks carry the meaning, colour only repeats it,
so the screens read the same in 16 colours or none.
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual.geometry import Size
from textual.widgets import Static

from goitui.i18n import N_, _
from goitui.model import ERROR, INFO, WARNING, severity_name, status_name
from goitui.render.display import STATUS_MARK, fit
from goitui.render.wrap import wrap
from goitui.text import visible

STATUS_STYLE = {"pass": "green", "warn": "yellow", "fail": "bold red"}
SEVERITY_MARK = {ERROR: "✗", WARNING: "!", INFO: "i"}
SEVERITY_STYLE = {ERROR: "bold red", WARNING: "yellow", INFO: "cyan"}
SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}
REVIEW_MARK = {"acknowledged": N_("ack"), "dismissed": N_("dis"), None: ""}
MATCH_STYLE = "reverse"
#: the words an opened finding (or the search result opened) is about: reads without colour too
FOUND_STYLE = "bold reverse underline"


def plain(s: object, width: int | None = None, style: str = "") -> Text:
    """Report text, harmless: control characters made visible, markup left as typed."""
    s = visible(str(s if s is not None else ""))
    return Text(fit(s, width) if width else s, style=style, no_wrap=width is not None)


def wrapped(s: object, width: int, style: str = "", *, first: str = "",
            indent: str = "") -> Text:
    """Report text in lines broken the way the CLI breaks them (``render.wrap``: no line opens
    with closing punctuation, numbers whole), not where Textual would cut them."""
    lines = wrap(visible(str(s if s is not None else "")), max(width, 8), first=first,
                 indent=indent)
    return Text("\n".join(lines), style=style, no_wrap=True, overflow="fold")


class WrappedText(Static):
    """A paragraph (or several, one a line) broken by goi's wrapper at the widget's width,
    whatever the width is: Textual's own wrapping cuts ``year:2020`` or ``S-CELLS`` in two
    wherever the edge falls. ``content`` stays the text as given."""

    def __init__(self, text: str, style: str = "", **kwargs: Any) -> None:
        super().__init__(Text(text, style=style), **kwargs)
        self.text, self.paragraph_style = text, style

    def lines(self, width: int) -> list[str]:
        return [line for paragraph in self.text.split("\n")
                for line in wrap(visible(paragraph), max(width, 8))]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width)) if width else 0

    def render(self) -> Text:
        return Text("\n".join(self.lines(self.content_size.width)), style=self.paragraph_style,
                    no_wrap=True, overflow="fold")


def status_text(status: str, counts: tuple[int, int] | None = None, dismissed: int = 0) -> Text:
    """``✓ pass``; with dismissed findings ``✓ pass · 1 dismissed``: not shown like a clean one."""
    mark = STATUS_MARK.get(status, "?")
    label = f"{mark} {status_name(status)}" + (f" {counts[0]}/{counts[1]}" if counts else "")
    text = Text(label, style=STATUS_STYLE.get(status, ""))
    if dismissed:
        text.append(" · " + _("{count} dismissed").format(count=dismissed), style="dim")
    return text


def severity_text(severity: str, with_word: bool = False) -> Text:
    mark = SEVERITY_MARK.get(severity, "?")
    return Text(f"{mark} {severity_name(severity)}" if with_word else mark, style=SEVERITY_STYLE.get(severity, ""))


def highlight(text: Text, pattern: re.Pattern[str] | None) -> Text:
    """Mark every match of ``pattern`` (reverse video reads without colour)."""
    if pattern is not None:
        text.highlight_regex(pattern, MATCH_STYLE)
    return text


def snippet_text(snippet: str, spans: list[tuple[int, int]]) -> Text:
    """A search snippet with its matches highlighted; each piece made harmless on its own."""
    out, at = Text(), 0
    for a, b in spans:
        out.append(visible(snippet[at:a]))
        out.append(visible(snippet[a:b]), style=MATCH_STYLE)
        at = b
    out.append(visible(snippet[at:]))
    return out
