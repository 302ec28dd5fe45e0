"""F1: what the screen below is for, and every key it answers to."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from goitui.i18n import N_, _
from goitui.tui.render import WrappedText

#: the keys Textual's own widgets bring (a table's cursor, a list's, a text box's, the app's
#: quit), as their bindings describe them in English: listed for the catalogue, so that F1
#: names them in the interface's language as it does goi's own keys
TEXTUAL_KEYS = (
    N_("Quit"), N_("Cursor up"), N_("Cursor down"), N_("Cursor left"), N_("Cursor right"),
    N_("Page up"), N_("Page down"), N_("Page Up"), N_("Page Down"), N_("Page Left"),
    N_("Page Right"), N_("Top"), N_("Bottom"), N_("Home"), N_("End"), N_("Select"), N_("Up"),
    N_("Down"), N_("First"), N_("Last"), N_("Scroll Up"), N_("Scroll Down"), N_("Scroll Left"),
    N_("Scroll Right"), N_("Scroll Home"), N_("Scroll End"), N_("Next tab"),
    N_("Previous tab"), N_("Focus Next"), N_("Focus Previous"), N_("Copy selected text"),
    N_("Cut selected text"), N_("Paste text from the clipboard"), N_("Select all"),
    N_("Submit"), N_("Move cursor left"),
    N_("Move cursor left a word"), N_("Move cursor right a word"),
    N_("Move cursor left and select"), N_("Move cursor right and select"),
    N_("Move cursor left a word and select"), N_("Move cursor right a word and select"),
    N_("Move cursor right or accept the completion suggestion"), N_("Go to start"),
    N_("Go to end"), N_("Select line start"), N_("Select line end"),
    N_("Delete character left"), N_("Delete character right"),
    N_("Delete left to start of word"), N_("Delete right to start of word"),
    N_("Delete all to the left"), N_("Delete all to the right"),
)


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
                keys.add_row(self.app.get_key_display(b), _(b.description))
        keys.add_row("ctrl+p", _("Command palette: every action by name"))
        if not any(action == "quit" for action, _description in seen):
            keys.add_row("ctrl+q", _("Quit"))
        title = Text(getattr(s, "TITLE", None) or type(s).__name__, style="bold")
        with VerticalScroll(id="help"):
            yield Static(title)
            yield WrappedText(getattr(s, "HELP", "") or "")
            yield Static(keys)
            yield Static(Text(_("escape closes this help"), style="dim"))
