"""Support for the browser tests (no tests here): the small archive they drive, and settling.

The archive: the seeds, plus a second year of two of them.

紫溪镇 gets a 2020 report (figures and a sentence changed) so there is a diff; 远觉镇's 2020
report carries Rich markup and terminal escapes in its prose, which must show as typed.
"""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot

from goitui.archive.store import Archive
from goitui.importer import import_paths

SAMPLES = Path(__file__).resolve().parents[1] / "sample_reports"
HOSTILE = "[bold red]注意[/] \x1b[2J\x07 警示"


def _next_year(src: Path, dst: Path, edits: list[tuple[str, str]]) -> None:
    text = src.read_text(encoding="utf-8").replace("2019", "2020")
    for old, new in edits:
        text = text.replace(old, new, 1)
    dst.write_text(text, encoding="utf-8")


def build(directory: Path) -> Path:
    """Write the reports under ``directory`` and import them; returns the archive path."""
    src = directory / "reports"
    src.mkdir(parents=True, exist_ok=True)
    for seed in sorted(SAMPLES.glob("0*.txt")):
        shutil.copy(seed, src / seed.name)
    _next_year(SAMPLES / "001_617dfa8ade4c1a0e.txt", src / "101_zixi_2020.txt",
               [("乡镇动态94条", "乡镇动态120条"),
                ("一、本年新收政府信息公开申请数量 |\n0 |", "一、本年新收政府信息公开申请数量 |\n3 |"),
                ("(二)压实公开责任,确保高效开展", "(二)压实公开责任,确保高效开展\n"
                 "今年新建了政务公开专区,方便群众查阅。")])
    _next_year(SAMPLES / "003_4dc9de511fba0bae.txt", src / "103_yuanjue_2020.txt",
               [("各项工作取得了较好成效。", f"各项工作取得了较好成效。{HOSTILE}")])
    path = directory / "archive.db"
    here = Path.cwd()
    os.chdir(directory)  # relative source paths: the same on every machine (snapshots)
    try:
        with Archive(path) as arch:
            results = import_paths(arch, ["reports"])
    finally:
        os.chdir(here)
    assert all(r.outcome == "archived" for r in results), [r.line() for r in results]
    return path


async def settle(pilot: Pilot, app: App | None = None) -> None:
    """Wait until every database worker has answered and the screen has caught up."""
    app = app or pilot.app
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def sync(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async test with asyncio (no async pytest plugin needed)."""

    @functools.wraps(test)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(test(*args, **kwargs))  # type: ignore[arg-type]

    return run


def screen_text(app: App) -> str:
    """What the terminal shows, as plain text (the README capture comes from here too)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type ``text`` key by key, as a person would."""
    for ch in text:
        await pilot.press(ch)


def pages_of(monkeypatch: pytest.MonkeyPatch, screen_module: object, size: int) -> None:
    """Lists of ``size`` rows a page, in the browser's base and in ``screen_module`` (each
    reads ``PAGE`` where it is used), so that a small archive has several pages."""
    import goitui.tui.base as base

    for module in (base, screen_module):
        monkeypatch.setattr(module, "PAGE", size)


def endless_read(started: threading.Event, took: list[float]) -> Callable[[Archive], str]:
    """A read that never ends by itself (a recursive count): it sets ``started`` when it
    runs and puts into ``took`` how long it ran once an interrupt stopped it."""
    def run(arch: Archive) -> str:
        started.set()
        start = time.monotonic()
        try:
            arch.conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                              "SELECT count(*) FROM n").fetchone()
        finally:
            took.append(time.monotonic() - start)
        return "endless"
    return run
