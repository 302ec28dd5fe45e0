"""A progress line for long imports on a terminal: count, rate, time left.

Drawn on stderr below the per-file lines and redrawn after each; nothing is drawn when stderr
is not a terminal (logs and pipes get the plain per-file lines only).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from goitui.i18n import _


class Progress:
    """``start(total)``, then ``step()`` per file; ``echo(line, stream)`` prints a line above it."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = 0
        self.done = 0
        self.started = time.monotonic()
        self.shown = False
        self.detail = ""  # what the current file is at: OCR's page

    def start(self, total: int) -> None:
        self.total, self.done, self.started = total, 0, time.monotonic()
        self._draw()

    def step(self) -> None:
        self.done = min(self.done + 1, self.total)  # a missing path is a result, not a file
        self.detail = ""
        self._draw()

    def page(self, name: str, page: int, pages: int) -> None:
        """OCR takes seconds a page: the line says which page of which file is being read."""
        self.detail = _("OCR {name}: page {page} of {pages}…").format(name=name, page=page,
                                                                    pages=pages)
        self._draw()

    def echo(self, line: str, stream: TextIO) -> None:
        self.clear()
        stream.write(line + "\n")
        stream.flush()
        self._draw()

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False

    def text(self) -> str:
        """``[ 12/200]  6%  3.4 files/s  ETA 0:55``"""
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else None
        width = len(str(self.total))
        percent = 100 * self.done // self.total if self.total else 100
        eta = "--:--" if left is None else f"{int(left) // 60}:{int(left) % 60:02d}"
        return _("[{done}/{total}] {percent}%  {rate:.1f} files/s  ETA {eta}").format(
            done=str(self.done).rjust(width), total=self.total, percent=percent, rate=rate,
            eta=eta)

    def _draw(self) -> None:
        if not self.enabled or (self.total < 2 and not self.detail):
            return
        bar_width = 20
        filled = bar_width * self.done // self.total if self.total else bar_width
        self.stream.write("\r\x1b[K" + "█" * filled + "░" * (bar_width - filled) + " "
                          + self.text() + (f"  {self.detail}" if self.detail else ""))
        self.stream.flush()
        self.shown = True
