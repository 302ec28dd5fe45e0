"""A one-line note asked before a finding is acknowledged or dismissed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from goitui.i18n import _


class NoteDialog(ModalScreen[str | None]):
    """Returns the note ("" for none) on enter, None on escape (nothing is changed)."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, title: str):
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="note"):
            yield Static(Text(self.title_text))
            field = Input(placeholder=_("note (optional), enter to save, escape to cancel"),
                          id="note-input")
            field.cursor_blink = False
            yield field

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
