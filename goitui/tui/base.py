"""What every screen shares: back, help text, and database work in a worker thread."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TypeVar
from weakref import WeakKeyDictionary

from textual.binding import Binding
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from goitui.archive.database import problem
from goitui.archive.queries import Target
from goitui.archive.store import Archive
from goitui.errors import GoiError
from goitui.i18n import _
from goitui.text import visible

T = TypeVar("T")

#: the keys of every paged list: [ and ] turn pages (``PagedScreen.action_page``)
PAGING = [
    Binding("right_square_bracket", "page(1)", _("Next page"), show=False),
    Binding("left_square_bracket", "page(-1)", _("Prev page"), show=False),
]


class Browser(Protocol):
    """What a screen asks of the app it runs in (``tui/app.py``'s GoiApp): the archive's
    path, and opening the other screens. A protocol, so that screens do not import the app
    that imports them."""

    db_path: Path

    def open_report(self, report_id: int, target: Target | None = None, *,
                    replace_top: bool = False) -> None: ...

    def open_diff(self, agency_id: int, old_year: int | None, new_year: int) -> None: ...


def key_footer() -> Footer:
    """The footer in Textual's compact style: a column less a key, so 80 columns hold every key a
    screen shows, in English as in Chinese."""
    return Footer(compact=True)


class GoiScreen(Screen):
    """A screen of the browser. ``HELP`` is what F1 shows above the keys."""

    HELP = ""
    BINDINGS = [
        # one of the two q is active (``check_action``): the first screen has none to go
        # back to, so there q quits and says so
        Binding("q", "back", _("Back")),
        Binding("q", "quit_browser", _("Quit")),
        Binding("escape", "escape", _("Back"), show=False),
        # from a text box (a filter, a query), down goes to the list under it: the footer
        # shows the way there while the box has the keys
        Binding("down", "to_list", _("List"), priority=True),
    ]
    #: the widget that gets focus back when escape leaves an input
    MAIN = ""
    #: the app's action that opens this screen (``GoiApp.check_action``: not shown on it)
    OPENED_BY: str | None = None

    _keys_shown: tuple[object, ...] | None = None

    @property
    def goi(self) -> Browser:
        return self.app  # type: ignore[return-value]

    def refresh_bindings(self) -> None:
        """Tell the footer only when the keys it shows change: Textual asks on every focus
        change, and the footer then builds all its keys anew (half the time of a tab switch)."""
        shown = (self.app.app_focus, *((b.key, b.description, enabled, tooltip) for
                                       _node, b, enabled, tooltip in
                                       self.active_bindings.values() if b.show))
        if shown != self._keys_shown:
            self._keys_shown = shown
            super().refresh_bindings()

    @property
    def is_root(self) -> bool:
        return len(self.app.screen_stack) <= 1

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """q goes back, or quits on the first screen (its label says which); down moves from
        a text box to the list only while a text box has focus."""
        if action == "back":
            return not self.is_root
        if action == "quit_browser":
            return self.is_root
        if action == "to_list":
            return bool(self.MAIN) and isinstance(self.focused, Input)
        return True

    def action_back(self) -> None:
        """q: back to the screen before; on the first screen, quit."""
        if self.is_root:
            self.app.exit()
        else:
            self.app.pop_screen()

    def action_quit_browser(self) -> None:
        """q on the first screen: there is no screen to go back to."""
        self.app.exit()

    def action_to_list(self) -> None:
        """down in a text box: to the list, as enter does."""
        if self.MAIN:
            self.query_one(self.MAIN).focus()

    def action_escape(self) -> None:
        """escape: leave an input first, then go back (never quits)."""
        if isinstance(self.focused, Input) and self.MAIN:
            self.query_one(self.MAIN).focus()
        elif not self.is_root:
            self.app.pop_screen()

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast. Messages carry report text (agency names, findings): shown as written,
        never read as markup, control characters made visible."""
        super().notify(visible(message), title=visible(title), severity=severity,
                       timeout=timeout, markup=markup)

    def db(self, job: Callable[[Archive], T], then: Callable[[T], Any], *,
           group: str = "db", write: bool = False) -> None:
        """Run ``job`` in a thread on the group's connection; ``then`` gets its result on the
        UI (``database_work``). The worker is the screen's: it ends with the screen."""
        database_work(self, self.goi.db_path, job, then, group=group, write=write)

    def on_unmount(self) -> None:
        """The screen is gone: its reading connections are closed (``close_reads``)."""
        close_reads(self)


@dataclass
class _Reads:
    """A group's reads (``database_work``): one running at a time, and the newest request
    made meanwhile, which runs when it ends.

    The group keeps one read-only archive from read to read (``archive``): opening one costs
    its schema check and pragmas on every read, and what a connection keeps (the search's
    found reports, SQLite's page cache) is kept only as long as the connection. One read at a
    time uses it, in the worker's thread; each read is its own snapshot, ended when the read
    ends, so the next sees what other processes committed meanwhile (WAL)."""

    running: bool = False
    waiting: tuple[Callable[[Archive], Any], Callable[[Any], Any]] | None = None
    #: the running read's answer is no longer wanted (``stop_reads``)
    stopped: bool = False
    #: the running read's connection: a newer request interrupts its query
    connection: sqlite3.Connection | None = None
    #: the group's archive, opened by its first read; closed after an error (the next read
    #: opens it again) and when its owner goes (``close_reads``)
    archive: Archive | None = None
    #: a read is using ``archive`` now (in a worker's thread): ``close_reads`` leaves the
    #: closing to it
    in_use: bool = False
    closing: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def interrupt(self) -> None:
        """Stop the running read's query (called from the UI thread, as SQLite means it)."""
        connection = self.connection
        if connection is not None:
            try:
                connection.interrupt()
            except sqlite3.ProgrammingError:  # closed meanwhile: its read has ended
                pass

    def open(self, db_path: Path) -> Archive | None:
        """The group's archive for one read, opened if it is not (``None``: its owner has
        gone). The read gives it back with ``release``."""
        with self.lock:
            if self.closing:
                return None
            if self.archive is None:
                self.archive = Archive(db_path, create=False, write=False)
                self.archive.conn.execute(f"PRAGMA mmap_size = {READ_MMAP}")
            self.in_use = True
            return self.archive

    def release(self, healthy: bool) -> None:
        """The read has ended: its snapshot too, so that the next read sees other processes'
        commits. Not ``healthy`` (the read failed other than by an interrupt), or the owner
        gone: the archive is closed, and the next read opens it anew."""
        with self.lock:
            self.in_use = False
            archive = self.archive
            if archive is None:
                return
            if healthy and not self.closing:
                try:
                    if archive.conn.in_transaction:  # its COMMIT interrupted: ended here
                        archive.conn.execute("ROLLBACK")
                    return
                except sqlite3.Error:
                    pass
            self.archive = None
            _close_quietly(archive)

    def close(self) -> None:
        """The owner has gone: the archive is closed now, or by the read using it when it
        ends."""
        with self.lock:
            self.closing, self.waiting = True, None
            archive = self.archive
            if archive is None or self.in_use:
                return
            self.archive = None
        _close_quietly(archive)


#: SQLite's memory map of the archive for the browser's reads, in bytes (``PRAGMA mmap_size``;
#: SQLite takes at most its build's limit, 2 GB): pages are read from the operating system's
#: cache in place, not copied into the connection's own, a quarter less CPU for a search on
#: 20,000 reports (README, Speed). Only worth it on a connection kept from read to read.
READ_MMAP = 1 << 31


def _close_quietly(archive: Archive) -> None:
    """Close a reading archive whatever state its connection is in (nothing is written)."""
    try:
        archive.close()
    except sqlite3.Error:
        archive.conn.close()


def _nothing() -> None:
    """The answer of a read interrupted for a newer one: none."""


#: per owner (a screen, the app) and group, its reads
_READS: WeakKeyDictionary[DOMNode, dict[str, _Reads]] = WeakKeyDictionary()


def database_work(owner: DOMNode, db_path: Path, job: Callable[[Archive], T],
                  then: Callable[[T], Any], *, group: str = "db", write: bool = False) -> None:
    """Run ``job`` on its own connection in a thread of ``owner`` (a screen, or the app);
    ``then`` gets its result on the UI.

    A read job's connection is read-only (one snapshot per library call, never a write,
    so an import running meanwhile is never in its way); ``write`` for reviews.

    Reads run one at a time per group: a request made while one runs interrupts its query
    (SQLite's ``interrupt``) and runs when it has stopped (the newest request only: one
    waiting is replaced); the answer of the one before is dropped, so a slow answer never
    overwrites a newer one. A thread cannot be stopped otherwise: starting each request at
    once (a search a keystroke) would run them side by side, each slowing the one that is
    wanted. A write runs at once, never interrupted (a newer one drops the answer of an
    older). A problem is a toast naming it (``GoiError``, or the database's own, as
    ``problem`` words it).
    """
    if write:
        _run(owner, db_path, job, then, group, write=True)
        return
    reads = _READS.setdefault(owner, {}).setdefault(group, _Reads())
    if reads.running:
        reads.waiting = (job, then)
        reads.interrupt()
        return
    reads.running = True

    def finished(answer: Callable[[], Any]) -> None:
        reads.running = False
        stopped, reads.stopped = reads.stopped, False
        if reads.waiting is not None:  # asked again meanwhile: this answer is old already
            waiting, reads.waiting = reads.waiting, None
            database_work(owner, db_path, waiting[0], waiting[1], group=group)
        elif not stopped:
            answer()

    def ended() -> None:  # the owner's workers were cancelled: nothing is waited for
        reads.running, reads.waiting = False, None

    _run(owner, db_path, job, then, group, write=False, finished=finished, ended=ended,
         reads=reads)


def stop_reads(owner: DOMNode, group: str) -> None:
    """The read of ``owner``'s ``group`` running now is no longer wanted: its query is
    interrupted and its answer dropped (a request waiting is dropped too). A count of a
    query typed over takes no CPU from the page of the query as typed now."""
    reads = _READS.get(owner, {}).get(group)
    if reads is None or not reads.running:
        return
    reads.waiting, reads.stopped = None, True
    reads.interrupt()


def close_reads(owner: DOMNode) -> None:
    """``owner`` (a screen, the app) has gone: the connections its groups kept for their reads
    are closed (a running read's when it ends)."""
    for reads in _READS.pop(owner, {}).values():
        reads.interrupt()
        reads.close()


def _run(owner: DOMNode, db_path: Path, job: Callable[[Archive], T], then: Callable[[T], Any],
         group: str, *, write: bool, finished: Callable[[Callable[[], Any]], None] | None = None,
         ended: Callable[[], None] | None = None, reads: _Reads | None = None) -> None:
    """One worker of ``database_work``: ``finished`` (on the UI) gets what to do with the
    answer, else it is done at once; a cancelled worker answers nothing (``ended``). A
    read's connection is in ``reads`` while it runs, for a newer request to interrupt."""
    app = owner.app

    def work() -> None:
        worker = get_current_worker()
        answer: Callable[[], Any]
        try:
            if reads is None:
                with Archive(db_path, create=False, write=write) as arch:
                    result = job(arch)
            else:
                result = _read(reads, db_path, job)
            answer = partial(then, result)
        except (GoiError, sqlite3.DatabaseError) as e:
            if (isinstance(e, sqlite3.OperationalError) and str(e) == "interrupted"
                    and reads is not None
                    and (reads.waiting is not None or reads.stopped or reads.closing)):
                answer = _nothing  # stopped for a newer request, which runs next
            else:
                shown = problem(e, db_path) if isinstance(e, sqlite3.DatabaseError) else e
                answer = partial(app.notify, visible(str(shown)), severity="error",
                                 markup=False)
        if worker.is_cancelled:
            if ended is not None:
                ended()
            return
        app.call_from_thread(finished or (lambda answer: answer()), answer)

    # a read's group has one worker at a time already (``database_work``); the one whose
    # answer starts the next is still running while it answers: not to be cancelled
    owner.run_worker(work, thread=True, exclusive=write, group=group, name=group)


def _read(reads: _Reads, db_path: Path, job: Callable[[Archive], T]) -> T:
    """``job`` on the group's archive, in one snapshot ended when it ends. Its connection is
    in ``reads`` meanwhile, for a newer request to interrupt; an interrupted query leaves the
    connection usable, any other error closes it (the next read opens the archive anew)."""
    arch = reads.open(db_path)
    if arch is None:  # the owner has gone: nobody waits for the answer
        raise sqlite3.OperationalError("interrupted")
    healthy = False
    try:
        with arch.reading():
            reads.connection = arch.conn
            try:
                result = job(arch)
            finally:
                reads.connection = None
        healthy = True
        return result
    except sqlite3.Error as e:  # its own problem is the archive's, or the connection's
        healthy = str(e) == "interrupted"
        raise
    except BaseException:  # the job's (a report not found): the connection is as it was
        healthy = True
        raise
    finally:
        reads.release(healthy)


#: rows in one page of a list
PAGE = 100


class PagedScreen(GoiScreen):
    """A screen of one paged list (reports, findings): ``[`` and ``]`` turn pages, and coming
    back to the screen loads the page it was on again. A subclass says how a page is loaded
    (``page_job``, called on the UI thread so that it takes the filter as it is now) and
    shown (``show``).

    A list's counts (its total, its facets) are a subclass's ``count_job``: they read every
    row under the filter, where a page reads a hundred, so the page is shown first and the
    counts fill in when known (``show_counts``). They depend on the filter alone
    (``count_key``): turning a page or the order keeps them; a new filter counts again, and
    so does coming back to the screen or a review (``forget_counts``), which may have changed
    them.
    """

    def __init__(self) -> None:
        super().__init__()
        self.row_offset = 0
        self.loaded: Any = None
        #: the counts last known, the filter (``count_key``) they are of, and whether they
        #: are still to be trusted (``forget_counts``)
        self.counts: Any = None
        self.counts_key: object = None
        self.counts_fresh = False
        self._counting: object = None  # the filter being counted now
        #: the first page, read before the screen is shown (``first_page``)
        self.ready: Any = None
        self._first_shown = False

    def page_job(self, offset: int) -> Callable[[Archive], Any]:
        raise NotImplementedError

    def show(self, loaded: Any) -> None:
        raise NotImplementedError

    def count_key(self) -> object:
        """What the counts depend on: the filter as it is now (None: a list without counts)."""
        return None

    def count_job(self) -> Callable[[Archive], Any]:
        raise NotImplementedError

    def with_counts(self, loaded: Any, counts: Any) -> None:
        """Put ``counts`` into ``loaded`` (its page's total, its facets)."""

    def counts_given(self, loaded: Any) -> Any:
        """The counts a page came with, if it did (None: they are read after it)."""
        return None

    def show_counts(self) -> None:
        """Show the counts just put into ``self.loaded``."""

    def forget_counts(self) -> None:
        """Count again on the next page; the counts known are shown till then (coming back
        to a list, they are most likely right still, and it does not flicker)."""
        self.counts_fresh = False
        self._counting = None

    def first_page(self, loaded: Any) -> None:
        """Give the screen its first page, read before it is shown
        (``GoiApp.action_validation``): its first frame has the rows (``show_first``), and
        showing the screen reads nothing again."""
        self.ready = loaded
        self._first_shown = True

    def show_first(self) -> None:
        """Show the first page given (``first_page``), if any, and count it; call on mount."""
        if self.ready is not None:
            ready, self.ready = self.ready, None
            self._paged(self.count_key(), ready)

    def on_screen_resume(self) -> None:
        if self._first_shown:
            self._first_shown = False  # shown already, as it was read for it
            return
        self.forget_counts()
        self.reload()

    def reload(self, offset: int | None = None) -> None:
        if offset is not None:
            self.row_offset = offset
        key = self.count_key()
        if self._counting is not None and self._counting != key:
            stop_reads(self, "count")  # of a filter no longer asked for
            self._counting = None
        self.db(self.page_job(self.row_offset), lambda loaded: self._paged(key, loaded))

    def _paged(self, key: object, loaded: Any) -> None:
        given = self.counts_given(loaded)
        if key is not None and given is not None:
            self.counts, self.counts_key, self.counts_fresh = given, key, True
        known = key is not None and key == self.counts_key
        if known:
            self.with_counts(loaded, self.counts)
        self.show(loaded)
        if key is not None and not (known and self.counts_fresh) and key != self._counting:
            self._counting = key
            # once the page is drawn: a count holds the interpreter for a while, and the
            # frame that shows the page waits for it else
            self.call_after_refresh(self._count, key)

    def _count(self, key: object) -> None:
        if key == self._counting == self.count_key():  # still the filter shown
            self.db(self.count_job(), lambda counts: self._counted(key, counts),
                    group="count")

    def _counted(self, key: object, counts: Any) -> None:
        self.counts, self.counts_key, self.counts_fresh = counts, key, True
        if self._counting == key:
            self._counting = None
        if self.loaded is not None and key == self.count_key():  # still the list shown
            self.with_counts(self.loaded, counts)
            self.show_counts()

    def action_page(self, step: int) -> None:
        if self.loaded is None:
            return
        offset = self.row_offset + step * PAGE
        total = self.loaded.page.total
        more = len(self.loaded.page.rows) >= PAGE if total is None else offset < total
        if offset >= 0 and (step < 0 or more):
            self.reload(offset)
