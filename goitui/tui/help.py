"""F1: what the screen below is for, and every key it answers to."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from goitui.i18n import _


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,f1", "dismiss", _("Close"))]

    def __init__(self, screen: Screen):
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        s = self.for_screen
        keys = Table.grid(padding=(0, 2))
        keys.add_column(style="bold")
        keys.add_column()
        seen = set()
        own = {b.action for cls in type(s).__mro__ for b in vars(cls).get("BINDINGS", [])
               if isinstance(b, Binding) and cls is not Screen}

        def rank(a: ActiveBinding) -> int:
            """The screen's own keys first, then the app's, widget navigation last."""
            return 0 if a.binding.action in own else 1 if a.node is self.app else 2

        for active in sorted(s.active_bindings.values(), key=rank):
            b = active.binding
            if b.description and (b.action, b.description) not in seen:
                seen.add((b.action, b.description))
                keys.add_row(self.app.get_key_display(b), b.description)
        keys.add_row("ctrl+p", _("Command palette: every action by name"))
        keys.add_row("ctrl+q", _("Quit"))
        title = Text(getattr(s, "TITLE", None) or type(s).__name__, style="bold")
        with VerticalScroll(id="help"):
            yield Static(title)
            yield Static(Text(getattr(s, "HELP", "") or ""))
            yield Static(keys)
            yield Static(Text(_("escape closes this help"), style="dim"))
