"""The errors goi raises for what a user did or gave: one root, the kinds the faces tell apart.

The CLI turns a ``GoiError`` into one line on stderr and exit code 2 (``commands.common``); the
browser shows it as a notification. Anything else reaching a face is a bug in goi.
"""

from __future__ import annotations

import errno

from goitui.i18n import N_, _


class GoiError(Exception):
    """Root of every error goi reports to a person; ``str(error)`` is the message."""


class NotFound(GoiError):
    """A named agency, year, report, finding or file is not in the archive."""


class Ambiguous(GoiError):
    """A name matches more than one agency; the message lists the candidates.

    ``query`` and ``candidates`` are kept apart too, so that a face can list them its way."""

    def __init__(self, message: str, *, query: str = "", candidates: list[str] | None = None):
        super().__init__(message)
        self.query = query
        self.candidates = list(candidates or [])


class ReadFailure(GoiError):
    """A file cannot be read as a report (format, encoding, damage); the message says why."""


class BadFilter(GoiError):
    """A filter, query or option value a person typed is not understood."""


class UnknownRule(BadFilter):
    """A rule id or group that the rule catalogue does not have."""


class ArchiveBusy(GoiError):
    """Another goi process holds the archive's write lock longer than we wait."""


class Refused(GoiError):
    """A change that cannot be made as asked (merging an agency into itself, taking a name
    another agency has); the message says what would be needed instead."""


class ArchiveProblem(GoiError):
    """The archive cannot be used: not a goi archive, made by a newer goi, damaged, read-only."""


#: why the system refused to read or write a file, in words goi translates (the system's own
#: words are English whatever the locale)
OS_REASONS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
    errno.EISDIR: N_("it is a folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.EROFS: N_("read-only file system"),
    errno.ENOSPC: N_("no space left on the disk"),
    errno.EDQUOT: N_("disk quota exceeded"),
    errno.ENAMETOOLONG: N_("the file name is too long"),
}


def os_reason(error: OSError) -> str:
    """Why a file could not be read or written, in the interface's language; an error goi has
    no words for keeps the system's (``strerror``)."""
    known = OS_REASONS.get(error.errno) if error.errno is not None else None
    return _(known) if known else str(error.strerror or error)
