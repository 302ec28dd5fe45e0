"""Acknowledge, dismiss or reopen a finding from any screen: a note first, then one write."""

from __future__ import annotations

from collections.abc import Callable

from goitui.archive.findings import ACKNOWLEDGED, DISMISSED, review_finding
from goitui.archive.store import Archive
from goitui.i18n import N_, _
from goitui.tui.base import GoiScreen
from goitui.tui.note import NoteDialog

ACK, DISMISS = ACKNOWLEDGED, DISMISSED

#: the note dialog's title per review asked, and the toast once it is saved (None: reopened),
#: in the interface's language: the state's word is the library's ``acknowledged``
ASKED = {ACK: N_("acknowledge: {what}"), DISMISS: N_("dismiss: {what}")}
SAVED = {ACK: N_("acknowledged: {what}"), DISMISS: N_("dismissed: {what}"),
         None: N_("reopened: {what}")}


def apply_review(arch: Archive, report_id: int, fingerprint: str, state: str | None,
                 note: str | None) -> None:
    """Record (or with ``state`` None, remove) a person's review of one finding: the library's
    ``review_finding``, as ``goi review`` does it (every finding with that fingerprint shares
    the one review)."""
    review_finding(arch, arch.load(report_id), fingerprint, state, note or None, every=True)


def review(screen: GoiScreen, report_id: int, fingerprint: str, state: str | None,
           done: Callable[[], None], what: str = "") -> None:
    """Ask for a note (not when reopening), save in a worker, then call ``done``."""

    def saved(_result: None) -> None:
        screen.notify(_(SAVED[state]).format(what=what)[:120])
        done()

    def save(note: str | None) -> None:
        if note is None:
            return
        screen.db(lambda arch: apply_review(arch, report_id, fingerprint, state, note), saved,
                  group="review", write=True)

    if state is None:
        save("")
    else:
        screen.app.push_screen(NoteDialog(_(ASKED[state]).format(what=what)), save)
