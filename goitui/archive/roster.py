"""The roster: which agencies an office expects a report from, and who has not submitted.

A county's 政务公开 office lists its townships and departments once (``goi roster import``, a
CSV or XLSX sheet); each name is matched to an archive agency when a question is asked, with
the rules imports use (``goitui.names.same_agency``): an exact name or alias, or the same core
(洪泽区人民政府 / 淮安市洪泽区). A looser match (one character apart) is shown as a near
candidate and never joined. Regions nest: a roster row names its region, which may itself be a
roster row (county → township), so ``--region 某县`` means the county and everything under it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from goitui import names as agency_names
from goitui.archive.store import Archive, now
from goitui.errors import BadFilter, NotFound, ReadFailure
from goitui.i18n import _
from goitui.model import MISSING as MISSING

#: header words accepted for each roster column (English, and what offices write in Chinese)
COLUMNS = {
    "name": ("name", "agency", "名称", "单位", "单位名称", "机关", "机关名称", "部门", "部门名称"),
    "region": ("region", "parent", "上级", "上级单位", "所属", "所属地区", "地区", "区域", "辖区"),
    "level": ("level", "层级", "级别", "行政级别"),
}
PASS, WARN, FAIL = "pass", "warn", "fail"


@dataclass
class RosterEntry:
    """One expected agency, and the archive agency it was matched to (``None``: no report yet)."""

    name: str
    region: str | None = None
    level: str | None = None
    agency_id: int | None = None
    agency: str | None = None          # the archive's name for the matched agency
    near: list[str] = field(default_factory=list)   # near candidates, never joined

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def read_roster_file(path: Path) -> list[RosterEntry]:
    """The rows of a roster sheet: CSV (UTF-8 with or without BOM, or GB18030) or XLSX.

    The first row is the header; a column headed name/名称/单位… is required, region/上级/所属…
    and level/层级/级别 are optional. Raises ``ReadFailure`` naming the file and the reason.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadFailure(_("{path}: cannot read the roster: {reason}").format(
            path=path, reason=error.strerror or error)) from None
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path, data)
    else:
        rows = _csv_rows(path, data)
    return _entries(path, rows)


def _csv_rows(path: Path, data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ReadFailure(_("{path}: the roster is not UTF-8 or GB18030 text").format(path=path))
    dialect = csv.excel_tab if text.count("\t") > text.count(",") else csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(path: Path, data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # imported here: only XLSX rosters need it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a damaged file
        raise ReadFailure(_("{path}: not a readable XLSX workbook ({reason})").format(
            path=path, reason=type(error).__name__)) from None
    sheet = book.worksheets[0]
    return [["" if cell is None else str(cell).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)]


def _entries(path: Path, rows: Sequence[Sequence[str]]) -> list[RosterEntry]:
    rows = [list(row) for row in rows if any(str(cell).strip() for cell in row)]
    if not rows:
        raise ReadFailure(_("{path}: the roster is empty").format(path=path))
    header = [str(cell).strip().lower() for cell in rows[0]]
    where = {column: next((i for i, h in enumerate(header) if h in words), None)
             for column, words in COLUMNS.items()}
    if where["name"] is None:
        raise ReadFailure(_("{path}: the roster has no name column (a header such as "
                            "名称, 单位 or name)").format(path=path))
    entries: dict[str, RosterEntry] = {}
    for row in rows[1:]:
        def cell(column: str, row: Sequence[str] = row) -> str | None:
            index = where[column]
            value = str(row[index]).strip() if index is not None and index < len(row) else ""
            return value or None
        name = cell("name")
        if name:
            entries[name] = RosterEntry(name=name, region=cell("region"), level=cell("level"))
    return list(entries.values())


def store_roster(archive: Archive, entries: Iterable[RosterEntry], replace: bool = False) -> int:
    """Add (or with ``replace``, first clear) roster rows; returns how many rows are stored."""
    rows = [(e.name, e.region, e.level, now()) for e in entries]
    with archive.writing():
        if replace:
            archive.conn.execute("DELETE FROM roster")
        archive.conn.executemany(
            "INSERT INTO roster (name, region, level, added_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET region = excluded.region, level = excluded.level",
            rows)
    return len(rows)


def roster(archive: Archive, region: str | None = None) -> list[RosterEntry]:
    """The roster (limited to ``region`` and everything under it), each row matched to an agency.

    Raises ``NotFound`` when ``region`` is neither a roster row nor any row's region.
    """
    rows = archive.q("SELECT name, region, level FROM roster ORDER BY id")
    entries = [RosterEntry(r["name"], r["region"], r["level"]) for r in rows]
    if region is not None:
        entries = within_region(entries, region)
    _match(archive, entries)
    return entries


def within_region(entries: list[RosterEntry], region: str) -> list[RosterEntry]:
    """The entries in ``region``: the region's own row (if listed) and every row under it."""
    known = {e.name for e in entries} | {e.region for e in entries if e.region}
    chosen = next((k for k in known if k == region), None)
    if chosen is None:
        same = [k for k in known if agency_names.same_agency(k, region)]
        if len(same) != 1:
            raise NotFound(_("no region named {region!r} in the roster").format(region=region)
                           if not same else
                           _("{region!r} names several roster regions: {names}").format(
                               region=region, names="、".join(sorted(same))))
        chosen = same[0]
    parent = {e.name: e.region for e in entries}
    def under(name: str) -> bool:
        seen: set[str] = set()
        current: str | None = name
        while current is not None and current not in seen:
            if current == chosen:
                return True
            seen.add(current)
            current = parent.get(current)
        return False
    return [e for e in entries if under(e.name)]


def _match(archive: Archive, entries: list[RosterEntry]) -> None:
    """Each entry's agency: by its name, else by the name its regions qualify (a roster lists
    东关镇 under 清河县: the archive's 清河县东关镇人民政府 is that township, while a bare
    东关镇 alone is never joined — there is one in many counties).

    The names are asked through the archive's name index, as an import asks them (the names
    a row may join by their cores' endings, ``NearIndex`` for the near ones), instead of
    every name of the archive for every roster row."""
    index = archive._names()
    canonical = {r["id"]: r["name"] for r in archive.q("SELECT id, name FROM agencies")}
    exact = {name: agency_id for name, agency_id in index.owners}
    parent = {e.name: e.region for e in entries}
    for entry in entries:
        near: set[int] = set()
        for name in _qualified(entry, parent):
            if name in exact:
                entry.agency_id = exact[name]
                entry.agency = canonical[entry.agency_id]
                break
            same = {index.owners[i][1] for i in index.candidates(name)
                    if agency_names.same_agency(name, index.owners[i][0])}
            # a core too short for ``candidates`` is found by itself
            same |= {index.owners[i][1] for i in index.by_core.get(agency_names.core(name), ())}
            if len(same) == 1:
                entry.agency_id = same.pop()
                entry.agency = canonical[entry.agency_id]
                break
            near |= same or {index.owners[i][1] for i in index.similar.near(name)}
        else:
            entry.near = sorted({canonical[agency_id] for agency_id in near})


def _qualified(entry: RosterEntry, parent: dict[str, str | None]) -> list[str]:
    """The entry's name, then with its region in front, then that region's region, …"""
    forms = [entry.name]
    region, seen = entry.region, {entry.name}
    while region and region not in seen and len(forms) < 6:
        seen.add(region)
        prefix = agency_names.core(region)
        if not forms[-1].startswith(prefix):
            forms.append(prefix + forms[-1])
        region = parent.get(region)
    return forms


@dataclass
class Coverage:
    """Agencies × years: each cell ``pass``/``warn``/``fail`` (the current report's status) or
    ``missing``. Rows come from the roster (or every agency when there is none)."""

    years: list[int]
    #: {"agency", "region", "matched", "agency_id", "near", "cells": {year: status}}
    rows: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"years": self.years,
                "rows": [{**row, "cells": {str(y): s for y, s in row["cells"].items()}}
                         for row in self.rows]}

    def missing(self, year: int) -> list[dict[str, Any]]:
        return [row for row in self.rows if row["cells"].get(year) == MISSING]

    def missing_count(self) -> int:
        """How many cells have no report: the figure an office reports upwards."""
        return sum(1 for row in self.rows for year in self.years if row["cells"][year] == MISSING)


def coverage(archive: Archive, years: Sequence[int] | None = None,
             region: str | None = None) -> Coverage:
    """Who submitted which year. ``years`` default: every year the archive holds.

    With a roster, its rows (limited to ``region``); without one, every archive agency (a
    ``region`` then needs a roster: ``BadFilter``).
    """
    has_roster = bool(archive.q("SELECT 1 FROM roster LIMIT 1"))
    if has_roster:
        entries = roster(archive, region)
    elif region is not None:
        raise BadFilter(_("--region needs a roster (goi roster import FILE)"))
    else:
        entries = [RosterEntry(a["name"], agency_id=a["id"], agency=a["name"])
                   for a in archive.q("SELECT id, name FROM agencies ORDER BY name")]
    status = {(r["agency_id"], r["year"]): r["status"] for r in archive.q(
        "SELECT agency_id, year, status FROM reports WHERE is_current = 1")}
    chosen = sorted(set(years) if years else {year for _a, year in status})
    rows = []
    for entry in entries:
        cells = {year: status.get((entry.agency_id, year), MISSING) for year in chosen}
        rows.append({"agency": entry.name, "region": entry.region, "matched": entry.agency,
                     "agency_id": entry.agency_id, "near": entry.near, "cells": cells})
    return Coverage(chosen, rows)


def regions(archive: Archive) -> list[tuple[str, int]]:
    """The roster's regions (every name some row gives as its region), each with its depth,
    in tree order: a county, then the regions under it, indented by a chooser."""
    rows = archive.q("SELECT name, region FROM roster ORDER BY id")
    parent = {r["name"]: r["region"] for r in rows}
    named = list(dict.fromkeys(r["region"] for r in rows if r["region"]))
    is_region = set(named)
    children: dict[str | None, list[str]] = {}
    for name in named:
        above = parent.get(name)
        children.setdefault(above if above in is_region else None, []).append(name)
    out: list[tuple[str, int]] = []
    listed: set[str] = set()
    # depth first, without recursion (a sheet may nest deeply); regions inside a cycle have
    # no root and are listed at the top level, each once
    for root in children.get(None, []) + named:
        stack = [(root, 0)]
        while stack:
            name, depth = stack.pop()
            if name in listed:
                continue
            listed.add(name)
            out.append((name, depth))
            stack.extend((child, depth + 1) for child in reversed(children.get(name, [])))
    return out


def region_agencies(archive: Archive, region: str) -> dict[int, str]:
    """Archive agencies in ``region`` (id → the archive's name), for limiting any command to a
    region. Raises ``NotFound`` for an unknown region."""
    return {e.agency_id: e.agency for e in roster(archive, region)
            if e.agency_id is not None and e.agency is not None}
