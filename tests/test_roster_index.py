"""A roster's rows are matched through the archive's name index, as an import matches a name:
the same agencies and near candidates as comparing each row with every archive name, at a cost
that grows with the roster and the archive, not with their product."""

from __future__ import annotations

import random
from pathlib import Path

from test_hostile import LINEAR
from test_name_index import realistic_names

from goitui import names as agency_names
from goitui.archive import roster
from goitui.archive.store import Archive
from goitui.testing import hostile


def every_name(archive: Archive, entries: list[roster.RosterEntry]) -> None:
    """The matching as it was before the index (each row against every archive name): the
    reference the index must agree with."""
    names = archive.q("SELECT n.name, n.agency_id, a.name AS canonical FROM agency_names n "
                      "JOIN agencies a ON a.id = n.agency_id")
    exact = {r["name"]: (r["agency_id"], r["canonical"]) for r in names}
    cores = [agency_names.core(r["name"]) for r in names]
    parent = {e.name: e.region for e in entries}
    for entry in entries:
        near: set[tuple[int, str]] = set()
        for name in roster._qualified(entry, parent):
            if name in exact:
                entry.agency_id, entry.agency = exact[name]
                break
            same = {(names[i]["agency_id"], names[i]["canonical"])
                    for i in agency_names.candidates(name, cores)
                    if agency_names.same_agency(name, names[i]["name"])}
            same |= {(r["agency_id"], r["canonical"]) for r, c in zip(names, cores)
                     if c == agency_names.core(name)}
            if len(same) == 1:
                entry.agency_id, entry.agency = same.pop()
                break
            near |= same or {(names[i]["agency_id"], names[i]["canonical"])
                             for i in agency_names.near(name, cores)}
        else:
            entry.near = sorted({canonical for _id, canonical in near})


def archived(path: Path, names: list[str]) -> Archive:
    archive = Archive(path)
    with archive.transaction():
        for name in names:
            archive.agency_for_import(name)
    return archive


#: a county office's sheet: short names under their region, names one character off the
#: archive's (沐阳/沭阳, 体育/教育), bare names found in many counties (城关镇), short cores
ROWS = [("绵阳市", None), ("三台县", "绵阳市"), ("公安局", "三台县"), ("城关镇", "三台县"),
        ("城关镇", None), ("龙泉镇", None), ("正定县教育局", None), ("正定县体育局", None),
        ("沭阳县教育局", None), ("沐阳县财政局", None), ("江苏省教育厅", None),
        ("洪泽区", None), ("淮安市洪泽区", None), ("洪泽区政府", None), ("湖山乡", "瑞安市"),
        ("塘下镇", "瑞安市"), ("瑞安市", None), ("温州市鹿城区教育局", None), ("财政局", "芜湖市"),
        ("芜湖县财政局", None), ("岳阳市", None), ("岳阳楼区", "岳阳市"), ("教育局", "岳阳楼区"),
        ("柏林乡政府", None), ("花桥乡", "于都县"), ("西渡镇", "于都县"), ("镇", None),
        ("晋江市城关镇", None), ("大同市发展改革局", None), ("三台县人民政府办公室", None)]


def rows(pairs: list[tuple[str, str | None]]) -> list[roster.RosterEntry]:
    return [roster.RosterEntry(name, region) for name, region in pairs]


def answers(entries: list[roster.RosterEntry]) -> list[tuple]:
    return [(e.name, e.region, e.agency_id, e.agency, e.near) for e in entries]


def test_the_index_matches_as_every_name_did(tmp_path: Path) -> None:
    names = realistic_names()
    random.Random(11).shuffle(names)
    with archived(tmp_path / "a.db", names) as archive:
        roster.store_roster(archive, rows(ROWS))
        got = roster.roster(archive)
        want = rows(list(dict(ROWS).items()))  # a sheet's repeated name is one row, the last
        every_name(archive, want)
    assert answers(got) == answers(want)
    assert sum(e.agency is not None for e in got) >= 10  # the test compares matches …
    assert sum(bool(e.near) for e in got) >= 4  # … and near candidates
    matched = {e.name: e.agency for e in got}
    assert matched["公安局"] == "三台县公安局"  # qualified by its region
    assert matched["正定县体育局"] is None and matched["镇"] is None  # near is never joined
    assert next(e.near for e in got if e.name == "正定县体育局") == ["正定县教育局"]


def test_regional_rosters_read_the_same_through_the_index(tmp_path: Path) -> None:
    names = realistic_names()
    with archived(tmp_path / "b.db", names) as archive:
        roster.store_roster(archive, rows(ROWS))
        for region in ("三台县", "瑞安市", "岳阳市"):
            got = roster.roster(archive, region)
            want = roster.within_region(rows(list(dict(ROWS).items())), region)
            every_name(archive, want)
            assert answers(got) == answers(want), region


#: characters for made-up place names: many, so that names share few of them, as real ones do
PLACE = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def township_names(count: int, seed: int) -> list[str]:
    """Townships and counties of made-up places, as a county office's roster lists them.
    (Names ending in the same words, …街道 or …教育局, are compared with one another through
    the index's ``tails``, as an import compares them: not what this check measures.)"""
    rng = random.Random(seed)
    return ["".join(rng.sample(PLACE, 3)) + rng.choice(["镇人民政府", "乡人民政府", "县人民政府"])
            for _ in range(count)]


def test_matching_a_roster_grows_linearly(tmp_path: Path) -> None:
    """Each row asked every archive name before (a roster and an archive four times larger
    cost sixteen times more); through the index only the few that can match or come near."""
    made: list[Archive] = []

    def make(size: int) -> Archive:
        names = township_names(size, seed=size)
        archive = archived(tmp_path / f"{size}.db", names)
        sheet = [(agency_names.core(name), None) for name in names[::2]]  # the same cores
        sheet += [("乙" + name[1:], None) for name in names[1::2]]  # one character off: near
        roster.store_roster(archive, rows(sheet))
        made.append(archive)
        return archive

    try:
        assert hostile.growth(roster.roster, make, 400) < LINEAR
        small = roster.roster(made[0])
        assert sum(e.agency is not None for e in small) == 200 and any(e.near for e in small)
    finally:
        for archive in made:
            archive.close()
