"""A finding in full: message, expected and actual values, where it is, fingerprint, review.

Lists cut a finding's message to one line; this modal (``i`` on any list of findings) shows all
of it, scrollable at 80×24 too. ``enter`` opens the report at the finding, ``escape`` closes.
"""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from goitui.archive.queries import Target
from goitui.i18n import _, language
from goitui.model import review_name, shown_place
from goitui.tui.render import plain, severity_text, wrapped

WIDTH = 72


def _value(raw: Any) -> str:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return raw
    if isinstance(raw, (list, dict)):
        return json.dumps(raw, ensure_ascii=False)
    return "" if raw is None else str(raw)


def finding_target(row: dict[str, Any]) -> Target:
    """Where opening a finding row (``queries.finding_page``) goes: the finding itself (the
    report screen finds its words), its cells and section should the report lack it."""
    return Target(keys=row["keys"], section=row["section"], fingerprint=row["fingerprint"])


def finding_text(row: dict[str, Any], width: int = WIDTH) -> Text:
    """Every field of a finding row (``queries.finding_page``) as plain text, harmless."""
    out = Text()
    out.append(severity_text(row["severity"], with_word=True))
    out.append(plain(f"  {row['rule']}  ·  {row.get('agency', '')} {row.get('year', '')}\n\n"))
    message = (row.get("message_zh") if language() == "zh" else None) or row["message"]
    out.append(wrapped(message, width))
    out.append("\n")
    fields = [(_("expected"), _value(row.get("expected"))), (_("actual"), _value(row.get("actual"))),
              (_("where"), shown_place(_value(row.get("source")))),
              (_("figures"), ", ".join(row.get("keys") or [])),
              (_("fingerprint"), _value(row.get("fingerprint"))),
              (_("review"), review_name(row["review"]) if row.get("review") else _("open")),
              (_("note"), _value(row.get("note")))]
    for name, value in fields:
        if value:
            label = _("{name}: ").format(name=name)
            field = wrapped(value, width, first=label, indent="  ")  # cells, not characters
            field.stylize("bold", 0, len(label))
            out.append("\n")
            out.append(field)
    return out


class FindingDetail(ModalScreen[bool]):
    """Returns True when the person asks to open the report at the finding (enter)."""

    BINDINGS = [
        Binding("escape", "close", _("Close")),
        Binding("q", "close", _("Close"), show=False),
        Binding("i", "close", _("Close"), show=False),
        Binding("enter", "open", _("Open the report at it")),
    ]

    def __init__(self, row: dict[str, Any]):
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="finding-detail"):
            yield Static(finding_text(self.row), id="finding-text")

    def on_mount(self) -> None:
        self.query_one("#finding-detail").focus()

    def action_close(self) -> None:
        self.dismiss(False)

    def action_open(self) -> None:
        self.dismiss(True)
