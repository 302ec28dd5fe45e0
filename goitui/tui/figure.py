"""One figure in full: its official label, the cell as printed and the source line it came from."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from goitui.i18n import _
from goitui.labels import label_of
from goitui.model import Figure, Finding, shown_place
from goitui.render.display import shown_path
from goitui.render.wrap import wrap
from goitui.text import visible
from goitui.tui.render import plain, severity_text

CONTEXT = 2


def source_lines(path: str, line: int | None) -> list[tuple[int, str]]:
    """The lines around ``line`` of a plain-text source still on disk (else nothing)."""
    p = Path(path)
    if line is None or p.suffix.lower() not in (".txt", ".md", "") or not p.is_file():
        return []
    try:
        lines = p.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    lo = max(1, line - CONTEXT)
    return [(n, lines[n - 1]) for n in range(lo, min(len(lines), line + CONTEXT) + 1)]


def _no_preview(path: str) -> str:
    """Why no lines are shown: a format without lines, or a file no longer there."""
    p = Path(path)
    if p.suffix.lower() not in (".txt", ".md", ""):
        return _("(no text preview for a {kind} file; the location above says where in it the "
                 "figure was read)").format(kind=p.suffix.lstrip(".").upper() or _("binary"))
    return _("(the source file is not at hand from here; the location above says where the "
             "figure was read)")


class FigureDialog(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,l", "dismiss", _("Close"))]

    def __init__(self, figure: Figure, findings: list[Finding], source_path: str):
        super().__init__()
        self.figure, self.findings, self.source_path = figure, findings, source_path

    def compose(self) -> ComposeResult:
        f = self.figure
        t = Table.grid(padding=(0, 2))
        t.add_column(style="bold")
        t.add_column()
        t.add_row(_("figure"), plain(f"{f.key}  {label_of(f.key)}"))
        t.add_row(_("printed"), plain(f.raw if f.raw.strip() else _("(nothing printed)")))
        t.add_row(_("read as"), plain(f"{f.kind}" + (f" {f.value}" if f.value is not None else "")
                                      + (f" {f.unit}" if f.unit else "")))
        t.add_row(_("row label"), plain(_("{label}  (match {score:.0f}/100)").format(
            label=f.label or "?", score=f.score)))
        t.add_row(_("source"), plain(f"{shown_path(self.source_path)}  {shown_place(f.source or '')}"))
        ctx = Text()
        for n, line in source_lines(self.source_path, f.line):
            ctx.append(f"{n:>6} {'>' if n == f.line else ' '} ", style="dim")
            ctx.append(plain(line, style="reverse" if n == f.line else ""))
            ctx.append("\n")
        found = Text()
        for x in self.findings:
            lead = severity_text(x.severity)
            found.append(lead)
            lines = wrap(visible(f" {x.rule} {x.shown()}"), max(self.app.size.width - 8, 20),
                         first=" " * lead.cell_len, indent="  ")
            found.append("\n".join([lines[0][lead.cell_len:], *lines[1:]]) + "\n")
        with VerticalScroll(id="figure"):
            yield Static(t)
            yield Static(ctx or Text(_no_preview(self.source_path), style="dim"))
            if self.findings:
                yield Static(found)
            yield Static(Text(_("escape closes"), style="dim"))
