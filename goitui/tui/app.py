"""The browser app: screens over one archive file, keys everywhere, no mouse needed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES

from goitui.archive.queries import Target
from goitui.errors import BadFilter
from goitui.i18n import _
from goitui.tui.base import close_reads, database_work

ANSI_THEME = "textual-ansi"


class GoiApp(App):
    """goi browse: the archive, its reports, findings, diffs and full-text search."""

    TITLE = "goi"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("f1", "help", _("Help")),
        Binding("slash", "search", _("Search")),
        Binding("v", "validation", _("Findings")),
        Binding("m", "coverage", _("Coverage"), show=False),
        Binding("ctrl+p", "command_palette", _("Commands"), show=False),
    ]

    def __init__(self, db_path: Path | str, *, theme: str | None = None):
        super().__init__()
        self.db_path = Path(db_path)
        # the terminal's own 16 colours, under the name the docs use
        self.register_theme(replace(BUILTIN_THEMES["ansi-dark"], name=ANSI_THEME))
        if theme:
            if theme not in self.available_themes:
                raise BadFilter(_("unknown theme {theme!r}; one of: {themes}").format(
                    theme=theme, themes=", ".join(sorted(self.available_themes))))
            self.theme = theme
        self.animation_level = "none"  # over SSH every frame costs; nothing needs motion

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The key to the screen shown (v on the findings, / on the search) is left out of
        its footer and does nothing there: the room is the screen's own keys'. A dialog over
        the screen (a finding's detail) does not change which screen that is."""
        shown = next((screen for screen in reversed(self.screen_stack)
                      if not screen.is_modal), self.screen)
        return action != getattr(shown, "OPENED_BY", None)

    def on_unmount(self) -> None:
        """The browser is closing: the connections kept for its reads are closed (its screens
        close their own as they go)."""
        close_reads(self)

    def get_default_screen(self) -> Screen:
        from goitui.tui.archive_screen import ArchiveScreen

        return ArchiveScreen()

    # ---------------------------------------------------------------- navigation

    def open_report(self, report_id: int, target: Target | None = None, *,
                    replace_top: bool = False) -> None:
        """Read the report, then show its screen: drawn once, whole (a screen shown first
        and filled after is drawn twice, the first time to say "loading…"). The read takes
        milliseconds; meanwhile the screen before stays, and keys still work."""
        from goitui.tui.report_screen import Loaded, load, reusable

        def ready(loaded: Loaded) -> None:
            screen = reusable(self, report_id, target, loaded)
            if replace_top:
                self.switch_screen(screen)
            else:
                self.push_screen(screen)

        database_work(self, self.db_path, lambda arch: load(arch, report_id), ready,
                      group="open-report")

    def open_diff(self, agency_id: int, old_year: int | None, new_year: int) -> None:
        from goitui.tui.diff_screen import DiffScreen

        self.push_screen(DiffScreen(agency_id, old_year, new_year))

    def action_search(self) -> None:
        from goitui.tui.search_screen import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    def action_validation(self) -> None:
        """The findings list, its first page read before it is shown (as ``open_report``)."""
        from goitui.tui.validation_screen import Loaded, ValidationScreen

        if isinstance(self.screen, ValidationScreen):
            return
        screen = ValidationScreen()

        def ready(loaded: Loaded) -> None:
            if not isinstance(self.screen, ValidationScreen):  # v twice: one list
                screen.first_page(loaded)
                self.push_screen(screen)

        database_work(self, self.db_path, screen.page_job(0), ready, group="open-list")

    def action_coverage(self) -> None:
        from goitui.tui.coverage_screen import CoverageScreen

        if not isinstance(self.screen, CoverageScreen):
            self.push_screen(CoverageScreen())

    def action_help(self) -> None:
        from goitui.tui.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # ---------------------------------------------------------------- palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """goi's own actions only: every key of the screen and the app under its name, once
        (no widget internals such as a table's cursor keys, no Textual housekeeping)."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            b = active.binding
            if (not b.description or b.action == "command_palette"
                    or b.action not in _goi_actions(type(active.node))
                    or b.description in seen):
                continue
            seen.add(b.description)
            where = getattr(active.node, "TITLE", None) or _("everywhere")
            yield SystemCommand(b.description, _("{where} · key {key}").format(
                                    where=where, key=self.get_key_display(b)),
                                partial(self.run_action, b.action, active.node))
        if _("Quit") not in seen:  # the first screen's q is Quit already
            yield SystemCommand(_("Quit"), _("leave goi browse"), self.exit)


def _goi_actions(cls: type) -> set[str]:
    """Actions bound by goi's own screens and app (not those Textual's classes bring)."""
    return {binding.action for klass in cls.__mro__ if klass.__module__.startswith("goitui.")
            for binding in klass.__dict__.get("BINDINGS", ()) if isinstance(binding, Binding)}
