"""Acknowledge, dismiss or reopen a finding from any screen: a note first, then one write."""

from __future__ import annotations

from collections.abc import Callable

from goitui.archive.store import Archive
from goitui.errors import NotFound
from goitui.tui.base import GoiScreen
from goitui.tui.note import NoteDialog

ACK, DISMISS = "acknowledged", "dismissed"


def apply_review(arch: Archive, report_id: int, fingerprint: str, state: str | None,
                 note: str | None) -> None:
    """Record (or with ``state`` None, remove) a person's review of one finding."""
    report = arch.load(report_id)
    finding = next((f for f in report.findings if f.fingerprint == fingerprint), None)
    if finding is None:
        raise NotFound("that finding is gone (the report was re-validated)")
    if state is None:
        arch.clear_review(report, finding)
    else:
        arch.set_review(report, finding, state, note or None)


def review(screen: GoiScreen, report_id: int, fingerprint: str, state: str | None,
           done: Callable[[], None], what: str = "") -> None:
    """Ask for a note (not when reopening), save in a worker, then call ``done``."""

    def save(note: str | None) -> None:
        if note is None:
            return
        screen.db(lambda arch: apply_review(arch, report_id, fingerprint, state, note),
                  lambda _: (screen.notify(f"{state or 'reopened'}: {what}"[:120]), done()),
                  group="review")

    if state is None:
        save("")
    else:
        screen.app.push_screen(NoteDialog(f"{state}: {what}"), save)
