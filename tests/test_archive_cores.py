"""An archive written before ``names.core`` left control characters out of a name's core is
brought up to date when it is opened (migration 0015): the stored core is the key every match
asks, so a stale one made the same agency, printed cleanly, a stranger."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from goitui import names as agency_names
from goitui.archive import roster
from goitui.archive.store import Archive

NAMES = {"高台\x1b[31m县人民政府": "高台\x1b[31m县", "民乐县\x07人民政府": "民乐县\x07人民政府",
         "山丹\x9b2J县教育局": "山丹\x9b2J县教育局"}


def written_before(path: Path) -> None:
    """An archive whose names kept their escapes and control characters in their core, as the
    goi before migration 0015 stored them."""
    with Archive(path) as archive, archive.transaction():
        for name in NAMES:
            archive.agency_for_import(name)
    con = sqlite3.connect(path)
    con.executemany("UPDATE agency_names SET core = ? WHERE name = ?",
                    [(stale, name) for name, stale in NAMES.items()])
    con.execute("DELETE FROM _sqlite_migrations WHERE name = '0015_agency_cores_again'")
    con.commit()
    con.close()


def test_stale_cores_are_made_again_when_the_archive_is_opened(tmp_path: Path) -> None:
    db = tmp_path / "before.db"
    written_before(db)
    with Archive(db) as archive:
        cores = dict(archive.conn.execute("SELECT name, core FROM agency_names").fetchall())
        assert cores == {name: agency_names.core(name) for name in NAMES}
        assert set(cores.values()) == {"高台县", "民乐县", "山丹县教育局"}
        # the same agencies printed cleanly are found, joined and matched by a roster
        assert archive.find_agency("民乐县")["name"] == "民乐县\x07人民政府"
        agency_id, how = archive.agency_for_import("高台县政府")
        assert "joined" in str(how)
        assert archive.agency(agency_id)["name"] == "高台\x1b[31m县人民政府"
        roster.store_roster(archive, [roster.RosterEntry("山丹县教育局")])
        assert [e.agency for e in roster.roster(archive)] == ["山丹\x9b2J县教育局"]


def test_a_current_archive_is_left_as_it_is(tmp_path: Path) -> None:
    db = tmp_path / "current.db"
    with Archive(db) as archive, archive.transaction():
        archive.agency_for_import("临泽县人民政府")
    before = sqlite3.connect(db).execute("SELECT name, core FROM agency_names").fetchall()
    with Archive(db):
        pass
    assert sqlite3.connect(db).execute("SELECT name, core FROM agency_names").fetchall() == before
