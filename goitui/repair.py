"""Repairing the archive's keys, and undoing a repair: merge, split, re-file, remove, versions.

Matching agency names and reading years can go wrong, and so can a person fixing them; every
operation here changes keys or versions in one write transaction, re-validates the agencies it
touched (the across-year rules depend on which report is current), and records what it did in
the ``history`` table with the rows before and after (migration 0009), which ``goi history``
prints and ``undo`` reads to put them back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any

from goitui.archive.history import history, record
from goitui.archive.search import index_written_again
from goitui.errors import GoiError, NotFound
from goitui.i18n import N_, Phrase, _, joined, listing, shown
from goitui.model import Figure, Finding, Report, Section
from goitui.pipeline import revalidate_agency

if TYPE_CHECKING:
    from goitui.archive.store import Archive

UNDOABLE = ("merge", "rename", "refile", "make-current", "review", "remove")
#: the history's operations as a person reads them (``history.operation`` stays as stored)
OPERATION_NAMES = {"merge": N_("merge"), "split": N_("split"), "rename": N_("rename"),
                   "refile": N_("re-file"), "make-current": N_("make current"),
                   "review": N_("review"), "remove": N_("remove"), "undo": N_("undo")}


def operation_name(operation: str) -> str:
    """A history entry's operation in the interface's language; an unknown one as stored."""
    return _(OPERATION_NAMES[operation]) if operation in OPERATION_NAMES else operation


class RepairError(GoiError):
    """A repair that cannot be done as asked; the message says why."""


# ------------------------------------------------------------------ merge and split


@dataclass
class MergePlan:
    """What ``goi agencies merge`` will do, shown before it is done."""

    keep: dict[str, Any]
    other: dict[str, Any]
    names: list[str]  # OTHER's names, which become names of KEEP
    moved: list[dict[str, Any]]  # OTHER's reports (year, version) that join KEEP
    earlier: list[dict[str, Any]]  # reports that become earlier versions (id, agency, year)
    reviews_joined: list[dict[str, Any]] = field(default_factory=list)  # both reviewed it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        out = [_("merge {other} into {keep}:").format(other=self.other["name"],
                                                       keep=self.keep["name"]),
               _("  names that join it: {names}").format(names=listing(self.names))]
        out += [_("  {year} v{version} joins it").format(**r) for r in self.moved]
        out += [_("  {agency} {year} v{version} becomes an earlier version").format(**r)
                for r in self.earlier]
        out += [_("  review of {rule} in {year}: both agencies reviewed it; the later verdict "
                  "stays, both notes are kept").format(**r) for r in self.reviews_joined]
        return out


def merge_plan(arch: Archive, keep: str, other: str) -> MergePlan:
    a, b = arch.find_agency(keep), arch.find_agency(other)
    if a["id"] == b["id"]:
        raise RepairError(_("{keep!r} and {other!r} are already one agency").format(
            keep=keep, other=other))
    rows = arch.q("SELECT r.id, r.agency_id, r.year, r.version, r.is_current, r.imported_at, "
                  "a.name AS agency FROM reports r JOIN agencies a ON a.id = r.agency_id "
                  "WHERE r.agency_id IN (?, ?) ORDER BY r.year, r.id", [a["id"], b["id"]])
    years_a = {r["year"] for r in rows if r["agency_id"] == a["id"]}
    years_b = {r["year"] for r in rows if r["agency_id"] == b["id"]}
    clash = years_a & years_b
    earlier = []
    for year in sorted(clash):
        ids = [r for r in rows if r["year"] == year]
        last = max(ids, key=lambda r: r["id"])
        earlier += [{"id": r["id"], "agency": r["agency"], "year": year, "version": r["version"]}
                    for r in ids if r["is_current"] and r is not last]
    joined = arch.q("SELECT b.year, b.rule FROM reviews b JOIN reviews a ON a.agency_id = ? AND "
                    "a.year = b.year AND a.fingerprint = b.fingerprint WHERE b.agency_id = ?",
                    [a["id"], b["id"]])
    return MergePlan(a, b, b["aliases"],
                     [{"year": r["year"], "version": r["version"]} for r in rows
                      if r["agency_id"] == b["id"]], earlier, joined)


def merge(arch: Archive, keep: str, other: str) -> dict[str, Any]:
    """Fold agency ``other`` into ``keep``: names, reports (where both have a year, versions
    follow the order the files were imported in and the last one is current), and reviews
    (where both reviewed one finding, the later verdict stays with both notes). Undone by
    ``split`` or ``undo``: everything it changed is recorded."""
    with arch.writing():
        plan = merge_plan(arch, keep, other)
        a, b = plan.keep["id"], plan.other["id"]
        before = {
            "keep": _agency_row(arch, a), "other": _agency_row(arch, b),
            "names": plan.names,
            "reports": arch.q("SELECT id, agency_id, year, version, is_current FROM reports "
                              "WHERE agency_id IN (?, ?)", [a, b]),
            "reviews": arch.q("SELECT * FROM reviews WHERE agency_id IN (?, ?)", [a, b]),
        }
        for year in sorted(_clash_years(arch, a, b)):
            ids = [rid for (rid,) in arch.conn.execute(
                "SELECT id FROM reports WHERE agency_id IN (?, ?) AND year = ? ORDER BY id",
                [a, b, year])]
            arch.conn.execute("UPDATE reports SET is_current = 0, version = -version "
                              "WHERE agency_id IN (?, ?) AND year = ?", [a, b, year])
            for version, rid in enumerate(ids, start=1):
                arch.conn.execute("UPDATE reports SET version = ?, is_current = ? WHERE id = ?",
                                  [version, int(rid == ids[-1]), rid])
        arch.conn.execute("UPDATE reports SET agency_id = ? WHERE agency_id = ?", [a, b])
        arch.conn.execute("UPDATE agency_names SET agency_id = ? WHERE agency_id = ?", [a, b])
        _join_reviews(arch, a, b)
        arch.conn.execute("DELETE FROM agencies WHERE id = ?", [b])
        record(arch, "merge", Phrase("merged {other} into {keep}",
                                     other=plan.other["name"], keep=plan.keep["name"]),
               before, plan.to_dict())
        revalidate_agency(arch, a)
    arch._forget()
    return arch.agency(a)


def _clash_years(arch: Archive, a: int, b: int) -> set[int]:
    return {y for (y,) in arch.conn.execute(
        "SELECT year FROM reports WHERE agency_id = ? INTERSECT SELECT year FROM reports "
        "WHERE agency_id = ?", [a, b])}


def _agency_row(arch: Archive, agency_id: int) -> dict[str, Any]:
    return arch.q("SELECT * FROM agencies WHERE id = ?", [agency_id])[0]


def _join_reviews(arch: Archive, a: int, b: int) -> None:
    """OTHER's reviews become KEEP's; where both reviewed one finding, the later verdict stays
    and both notes are kept (the rows as they were are in the history)."""
    for r in arch.q("SELECT * FROM reviews WHERE agency_id = ?", [b]):
        mine = arch.q("SELECT * FROM reviews WHERE agency_id = ? AND year = ? AND "
                      "fingerprint = ?", [a, r["year"], r["fingerprint"]])
        if not mine:
            continue
        first, last = sorted([mine[0], r], key=lambda x: x["reviewed_at"])
        notes = [n for n in dict.fromkeys((first["note"], last["note"])) if n]
        arch.conn.execute("UPDATE reviews SET state = ?, note = ?, reviewed_at = ? WHERE "
                          "agency_id = ? AND year = ? AND fingerprint = ?",
                          [last["state"], " / ".join(notes) or None, last["reviewed_at"], a,
                           r["year"], r["fingerprint"]])
        arch.conn.execute("DELETE FROM reviews WHERE agency_id = ? AND year = ? AND "
                          "fingerprint = ?", [b, r["year"], r["fingerprint"]])
    arch.conn.execute("UPDATE reviews SET agency_id = ? WHERE agency_id = ?", [a, b])


def split(arch: Archive, name: str) -> dict[str, Any]:
    """Undo the latest merge that folded an agency named ``name`` into another (or, given the
    agency kept, its latest merge): the agency comes back with its names, reports, versions
    and reviews as they were."""
    with arch.writing():
        for entry in history(arch):
            if entry["operation"] != "merge" or entry["undone_by"]:
                continue
            before = entry["before"]
            names = {before["other"]["name"], before["keep"]["name"], *before["names"]}
            if name in names or any(name in n for n in names):
                _undo(arch, entry)
                return arch.agency(before["other"]["id"])
    raise NotFound(_("no merge of an agency named {name!r} to split (goi history lists the "
                     "merges)").format(name=name))


def _unmerge(arch: Archive, before: dict[str, Any]) -> Phrase:
    a, b = before["keep"]["id"], before["other"]["id"]
    other = before["other"]
    if arch.q("SELECT 1 FROM agencies WHERE id = ?", [b]):
        raise RepairError(_("{name} exists again; it cannot be split off").format(
            name=other["name"]))
    arch.conn.execute("INSERT INTO agencies (id, name, note, created_at) VALUES (?, ?, ?, ?)",
                      [b, other["name"], other["note"], other["created_at"]])
    arch.conn.executemany("UPDATE agency_names SET agency_id = ? WHERE name = ?",
                          [(b, n) for n in before["names"]])
    _put_reports(arch, before["reports"])
    keys = [(r["year"], r["fingerprint"]) for r in before["reviews"]]
    arch.conn.executemany("DELETE FROM reviews WHERE agency_id = ? AND year = ? AND "
                          "fingerprint = ?", [(a, y, f) for y, f in keys])
    _put_reviews(arch, before["reviews"])
    revalidate_agency(arch, a)
    revalidate_agency(arch, b)
    return Phrase("split {other} off {keep} again", other=other["name"],
                  keep=before["keep"]["name"])


def _put_reports(arch: Archive, rows: list[dict[str, Any]]) -> None:
    """Reports back to their agency, year, version and currency, as recorded; the slots
    they go to are cleared first so that no two are current or share a version."""
    present = [r for r in rows if arch.q("SELECT 1 FROM reports WHERE id = ?", [r["id"]])]
    for r in present:
        arch.conn.execute("UPDATE reports SET is_current = 0, version = -id WHERE id = ?",
                          [r["id"]])
    for r in present:
        if r["is_current"]:
            arch.conn.execute("UPDATE reports SET is_current = 0 WHERE agency_id = ? AND "
                              "year = ? AND is_current = 1", [r["agency_id"], r["year"]])
    for r in present:
        arch.conn.execute("UPDATE reports SET agency_id = ?, year = ?, version = ?, "
                          "is_current = ? WHERE id = ?",
                          [r["agency_id"], r["year"], r["version"], r["is_current"], r["id"]])
        if "filing_findings" in r:  # a re-filing recorded them (since goi kept them)
            arch.conn.execute("UPDATE reports SET agency_from = ?, year_from = ? WHERE id = ?",
                              [r["agency_from"], r["year_from"], r["id"]])
            _put_filing_findings(arch, arch.load(r["id"]), set(FILING_RULES),
                                 [Finding(**f) for f in r["filing_findings"]])
    for agency_id, year in {(r["agency_id"], r["year"]) for r in present}:
        _ensure_current(arch, agency_id, year)


def _put_reviews(arch: Archive, rows: list[dict[str, Any]]) -> None:
    arch.conn.executemany(
        "INSERT OR REPLACE INTO reviews (agency_id, year, fingerprint, rule, state, note, "
        "reviewed_at) VALUES (:agency_id, :year, :fingerprint, :rule, :state, :note, "
        ":reviewed_at)", rows)


def _ensure_current(arch: Archive, agency_id: int, year: int) -> None:
    """The highest version of a slot is current when none is."""
    if not arch.q("SELECT 1 FROM reports WHERE agency_id = ? AND year = ? AND is_current = 1",
                  [agency_id, year]):
        arch.conn.execute("UPDATE reports SET is_current = 1 WHERE id = (SELECT id FROM "
                          "reports WHERE agency_id = ? AND year = ? ORDER BY version DESC "
                          "LIMIT 1)", [agency_id, year])


# ------------------------------------------------------------------ versions, remove, refile


def versions(arch: Archive, agency: str, year: int) -> list[dict[str, Any]]:
    """Every version of an agency's report for a year, oldest first."""
    a = arch.find_agency(agency)
    rows = arch.q("SELECT id, agency_id, year, version, is_current, imported_at, status, "
                  "errors, warnings, template, source_path, sha256, agency_name FROM reports WHERE agency_id = ? "
                  "AND year = ? ORDER BY version", [a["id"], year])
    if not rows:
        have = listing(a["years"]) or _("none")
        raise NotFound(_("{agency} has no report for {year} (years: {years})").format(
            agency=a["name"], year=year, years=have))
    for r in rows:
        r["agency"] = a["name"]
    return rows


def _slot_row(arch: Archive, agency: str, year: int, version: int | None) -> dict[str, Any]:
    rows = versions(arch, agency, year)
    chosen = [r for r in rows if (r["version"] == version if version else r["is_current"])]
    if not chosen:
        raise NotFound(_("{agency} {year} has no version {version} (versions: {known})").format(
            agency=rows[0]["agency"], year=year, version=version,
            known=", ".join(str(r["version"]) for r in rows)))
    return chosen[0]


def make_current(arch: Archive, agency: str, year: int, version: int) -> dict[str, Any]:
    """Make an earlier version the current one (the one shown, validated and compared)."""
    with arch.writing():
        row = _slot_row(arch, agency, year, version)
        was = arch.q("SELECT id, version FROM reports WHERE agency_id = ? AND year = ? AND "
                     "is_current = 1", [row["agency_id"], year])[0]
        before = [{"id": was["id"], "is_current": 1}, {"id": row["id"], "is_current": 0}]
        arch.conn.execute("UPDATE reports SET is_current = 0 WHERE id = ?", [was["id"]])
        arch.conn.execute("UPDATE reports SET is_current = 1 WHERE id = ?", [row["id"]])
        record(arch, "make-current", Phrase("{agency} {year}: v{version} made current (was "
                                            "v{was})", agency=row["agency"], year=year,
                                            version=version, was=was["version"]),
               before, [{"id": was["id"], "is_current": 0}, {"id": row["id"], "is_current": 1}])
        revalidate_agency(arch, row["agency_id"])
    arch._forget()
    return row


def remove(arch: Archive, agency: str, year: int, version: int | None = None) -> dict[str, Any]:
    """Remove one version of a report (the current one by default); the next highest version
    becomes current. The history keeps a copy of the report as it was read (figures,
    sections, findings) and the reviews of its year, so that ``undo`` brings it back."""
    with arch.writing():
        row = _slot_row(arch, agency, year, version)
        kept = {k: row[k] for k in ("id", "agency", "agency_id", "year", "version",
                                    "is_current", "sha256", "source_path", "imported_at")}
        kept["copy"] = _copy_of(arch, row["id"])
        arch.conn.execute("DELETE FROM reports WHERE id = ?", [row["id"]])
        _ensure_current(arch, row["agency_id"], year)
        record(arch, "remove", Phrase("removed {agency} {year} v{version} ({path})",
                                      agency=row["agency"], year=year,
                                      version=row["version"], path=row["source_path"]),
               kept, None)
        revalidate_agency(arch, row["agency_id"])
    arch._forget()
    return row


def _copy_of(arch: Archive, report_id: int) -> dict[str, Any]:
    """A stored report as the model holds it (``Archive.load``), in JSON: what ``undo``
    writes back through ``Archive.write_report``, whatever tables the archive keeps it in."""
    report = arch.load(report_id)
    extra = arch.q("SELECT size, file_sha256 FROM reports WHERE id = ?", [report_id])[0]
    fields = {k: getattr(report, k) for k in (
        "agency", "year", "template", "title", "agency_from", "year_from", "year_sources",
        "filing", "part", "parts", "text", "format", "source_path", "sha256")}
    return {
        "report": fields, "size": extra["size"], "file_sha256": extra["file_sha256"],
        "sections": [asdict(s) for s in report.sections.values()],
        "figures": [asdict(f) for f in report.figures.values()],
        "findings": [{**asdict(f), "review": None, "note": None} for f in report.findings],
        "reviews": arch.q("SELECT * FROM reviews WHERE agency_id = ? AND year = ?",
                          [report.agency_id, report.year]),
    }


def _report_of(copy: dict[str, Any]) -> Report:
    """The report a copy holds; a field the model no longer has (a copy made by an older
    goi) is left out, one it has since takes its default."""
    def known(kind: type, values: dict[str, Any]) -> dict[str, Any]:
        names = {f.name for f in fields(kind)}
        return {k: v for k, v in values.items() if k in names}

    return Report(**known(Report, copy["report"]),
                  sections={s["num"]: Section(**known(Section, s)) for s in copy["sections"]},
                  figures={f["key"]: Figure(**known(Figure, f)) for f in copy["figures"]},
                  findings=[Finding(**known(Finding, f)) for f in copy["findings"]])


def _unremove(arch: Archive, before: dict[str, Any]) -> tuple[Phrase, dict[str, Any]]:
    """A removed report back in its agency and year, with its figures, sections, findings
    and reviews, indexed for search; current again if it was and no later version came
    since. Written as a new report (``write_report``), under a new id."""
    copy = before.get("copy")
    if copy is None:
        raise RepairError(_("this removal was recorded without a copy of the report (an older "
                            "goi): import the file again to bring it back"))
    report = _report_of(copy)
    again = arch.q("SELECT r.year, r.version, a.name AS agency FROM reports r JOIN agencies a "
                   "ON a.id = r.agency_id WHERE r.sha256 = ?", [report.sha256])
    if again:
        raise RepairError(_("the removed report's file was imported again (as {agency} {year} "
                            "v{version}): nothing to bring back").format(**again[0]))
    agency_id = _agency_of(arch, before["agency_id"], report.agency or "")
    year = before["year"]
    slot = arch.q("SELECT id, version, is_current FROM reports WHERE agency_id = ? AND "
                  "year = ?", [agency_id, year])
    top = max((r["version"] for r in slot), default=0)
    taken = {r["version"] for r in slot}
    report.version = before["version"] if before["version"] not in taken else top + 1
    report.agency_id, report.agency_canonical = agency_id, arch._canonical(agency_id)
    current = bool(before["is_current"]) and report.version > top
    was_current = [r["id"] for r in slot if r["is_current"]]
    arch.conn.execute("UPDATE reports SET is_current = 0 WHERE agency_id = ? AND year = ?",
                      [agency_id, year])
    stored = arch.write_report(report, path=report.source_path, sha=report.sha256,
                               size=copy["size"], joined="existing",
                               file_sha=copy["file_sha256"])
    arch.conn.execute("UPDATE reports SET imported_at = ? WHERE id = ?",
                      [before["imported_at"], stored.report_id])
    if not current and was_current:
        arch.conn.execute("UPDATE reports SET is_current = 0 WHERE id = ?", [stored.report_id])
        arch.conn.execute("UPDATE reports SET is_current = 1 WHERE id = ?", [was_current[0]])
    arch.conn.executemany(  # reviews changed since are kept as they are now
        "INSERT OR IGNORE INTO reviews (agency_id, year, fingerprint, rule, state, note, "
        "reviewed_at) VALUES (:agency_id, :year, :fingerprint, :rule, :state, :note, "
        ":reviewed_at)",
        [{**r, "agency_id": agency_id, "year": year} for r in copy["reviews"]])
    if arch.q("SELECT 1 FROM reports WHERE id = ? AND is_current", [stored.report_id]):
        arch.refresh_status(stored.report_id)
    revalidate_agency(arch, agency_id)
    index_written_again(arch, stored.report_id)
    summary = Phrase("brought back {agency} {year} v{version} ({path})",
                     agency=report.agency_canonical, year=year, version=report.version,
                     path=report.source_path)
    return summary, {"id": stored.report_id, "agency_id": agency_id, "year": year,
                     "version": report.version, "is_current": int(current or not was_current)}


def _agency_of(arch: Archive, agency_id: int, printed: str) -> int:
    """The agency a removed report goes back to: its own, or the one its printed name has
    joined since (a merge)."""
    if arch.q("SELECT 1 FROM agencies WHERE id = ?", [agency_id]):
        return agency_id
    row = arch.q("SELECT agency_id FROM agency_names WHERE name = ?", [printed])
    if not row:
        raise RepairError(_("the agency of the removed report ({name}) is no longer in the "
                            "archive").format(name=printed))
    return int(row[0]["agency_id"])


def refile(arch: Archive, report_id: int, *, agency: str | None, year: int | None) -> dict[str, Any]:
    """File an archived report under another agency and/or year (it becomes that slot's
    current version; where it was, the highest remaining version becomes current)."""
    return refile_reports(arch, [report_id], agency=agency, year=year)[0]


def refile_reports(arch: Archive, report_ids: list[int], *, agency: str | None,
                   year: int | None) -> list[dict[str, Any]]:
    """File archived reports (those of one file, say) under another agency and/or year, in
    one transaction and one history entry (one ``undo`` puts them all back). Each becomes its
    new slot's current version. Refused when two of them would land in one slot: the options
    would file them as versions of one report."""
    with arch.writing():
        olds = [arch.q("SELECT r.id, r.agency_id, r.year, r.version, r.is_current, "
                       "a.name AS agency FROM reports r JOIN agencies a ON a.id = r.agency_id "
                       "WHERE r.id = ?", [rid])[0] for rid in report_ids]
        target_agency = arch.agency_for_import(agency)[0] if agency else None
        targets = [(target_agency or old["agency_id"], year if year is not None else old["year"])
                   for old in olds]
        clash = {t for t in targets if targets.count(t) > 1}
        if clash:
            raise RepairError(_("--agency/--year would file {count} reports of this file as "
                                "{agency} {year}; give --part N to re-file one of them").format(
                count=targets.count(min(clash)), agency=arch._canonical(min(clash)[0]),
                year=min(clash)[1]))
        moves = [(old, t) for old, t in zip(olds, targets) if t != (old["agency_id"], old["year"])]
        before = {old["id"]: {**{k: old[k] for k in ("id", "agency_id", "year", "version",
                                                     "is_current")},
                              **_filing_before(arch, old["id"])} for old, _t in moves}
        for _old, (target_id, target_year) in moves:
            for r in arch.q("SELECT id, agency_id, year, version, is_current FROM reports "
                            "WHERE agency_id = ? AND year = ?", [target_id, target_year]):
                before.setdefault(r["id"], r)
        results, news = [], []
        for old, (target_id, target_year) in moves:
            top = arch.conn.execute("SELECT coalesce(max(version), 0) FROM reports WHERE "
                                    "agency_id = ? AND year = ?",
                                    [target_id, target_year]).fetchone()[0]
            arch.conn.execute("UPDATE reports SET is_current = 0 WHERE agency_id = ? AND "
                              "year = ?", [target_id, target_year])
            arch.conn.execute(
                "UPDATE reports SET agency_id = ?, year = ?, version = ?, is_current = 1, "
                "agency_from = CASE WHEN ? THEN 'option' ELSE agency_from END, "
                "year_from = CASE WHEN ? THEN 'option' ELSE year_from END WHERE id = ?",
                [target_id, target_year, top + 1, agency is not None, year is not None,
                 old["id"]])
            _ensure_current(arch, old["agency_id"], old["year"])
            _refile_findings(arch, old["id"], agency, year is not None)
            new = {"id": old["id"], "agency_id": target_id, "year": target_year,
                   "version": top + 1, "is_current": 1, "agency": arch._canonical(target_id)}
            news.append(new)
            results.append({**new, "changed": True, "was": old})
        if moves:
            record(arch, "refile", joined([
                Phrase("re-filed {agency} {year} v{version} as {new_agency} {new_year} "
                       "v{new_version}",
                       agency=old["agency"], year=old["year"], version=old["version"],
                       new_agency=new["agency"], new_year=new["year"],
                       new_version=new["version"])
                for (old, _t), new in zip(moves, news)], Phrase("; ")),
                list(before.values()), news)
        for agency_id in dict.fromkeys(a for old, t in moves for a in (old["agency_id"], t[0])):
            revalidate_agency(arch, agency_id)
    arch._forget()
    moved = {r["id"]: r for r in results}
    return [moved.get(old["id"], {**old, "changed": False}) for old in olds]


#: the rules of the findings on where a report is filed (``parse.report.filing_findings``)
FILING_RULES = ("S-AGENCY", "S-YEAR")


def _filing_before(arch: Archive, report_id: int) -> dict[str, Any]:
    """What a re-filing changes of a report beside its slot: where its agency and year came
    from and its findings on them, as they are; ``undo`` puts them back exactly."""
    row = arch.q("SELECT agency_from, year_from FROM reports WHERE id = ?", [report_id])[0]
    return {**row, "filing_findings": [
        {**asdict(f), "review": None, "note": None} for f in arch.load(report_id).findings
        if f.origin == "parse" and f.rule in FILING_RULES]}


def _refile_findings(arch: Archive, report_id: int, agency: str | None, year_given: bool) -> None:
    """A re-filed report's findings on its filing worked out again from what it says of
    itself and where it is filed now: a year given (``year_given``) replaces the S-YEAR ones,
    an ``agency`` given the S-AGENCY ones (as a fresh import with those options reads them)."""
    from goitui.parse.report import filing_findings, refiled_meta

    report = arch.load(report_id)
    option = agency or (report.agency if report.agency_from == "option" else None)
    rules = {rule for rule, given in (("S-AGENCY", agency is not None), ("S-YEAR", year_given))
             if given}
    found = [f for f in filing_findings(refiled_meta(report, agency), option) if f.rule in rules]
    _put_filing_findings(arch, report, rules, found)


def _put_filing_findings(arch: Archive, report: Report, rules: set[str],
                         found: list[Finding]) -> None:
    """``found`` in place of the report's parse findings of ``rules``, in their place: after
    the other parse findings, before the validation's (rewritten after them)."""
    assert report.id is not None
    arch._recent.pop(report.id, None)  # a copy kept from an import holds the findings it had
    checks = [f for f in report.findings if f.origin == "validate"]
    marks = ", ".join("?" * len(rules))
    arch.conn.execute(f"DELETE FROM findings WHERE report_id = ? AND (origin = 'validate' OR "
                      f"(origin = 'parse' AND rule IN ({marks})))", [report.id, *sorted(rules)])
    arch._insert_findings(report.id, found + checks)
    arch.refresh_status(report.id)


def _version_of(arch: Archive, report_id: int) -> int:
    return int(arch.conn.execute("SELECT version FROM reports WHERE id = ?",
                                 [report_id]).fetchone()[0])


# ------------------------------------------------------------------ undo


def undo(arch: Archive, entry_id: int | None = None) -> dict[str, Any]:
    """Undo the latest operation that can be undone (or the one given): its rows go back to
    what the history recorded before it; a removed report comes back from its copy."""
    with arch.writing():
        entries = [e for e in history(arch)
                   if not e["undone_by"] and e["operation"] not in ("undo", "split")]
        if entry_id is not None:
            entries = [e for e in entries if e["id"] == entry_id]
        if not entries:
            raise NotFound(_("nothing to undo"))
        entry = entries[0]
        if entry["operation"] not in UNDOABLE:
            raise RepairError(_("#{id} ({summary}) cannot be undone").format(
                id=entry["id"], summary=shown(entry["summary"])))
        _undo(arch, entry)
    arch._forget()
    return entry


def _undo(arch: Archive, entry: dict[str, Any]) -> None:
    before, operation = entry["before"], entry["operation"]
    after = None
    summary: Phrase
    if operation == "merge":
        summary = _unmerge(arch, before)
    elif operation == "remove":
        summary, after = _unremove(arch, before)
    elif operation == "rename":
        arch.conn.execute("UPDATE agencies SET name = ? WHERE id = ?",
                          [before["name"], before["id"]])
        summary = Phrase("renamed back to {name}", name=before["name"])
    elif operation in ("refile", "make-current"):
        rows = [{**_current_place(arch, r["id"]), **r} for r in before]
        _put_reports(arch, [r for r in rows if "agency_id" in r])
        for agency_id in {r["agency_id"] for r in rows if "agency_id" in r}:
            revalidate_agency(arch, agency_id)
        summary = Phrase("undid: {summary}", summary=entry["summary"])
    else:  # review
        key = entry["after"] or before
        arch.conn.execute("DELETE FROM reviews WHERE agency_id = ? AND year = ? AND "
                          "fingerprint = ?", [key["agency_id"], key["year"], key["fingerprint"]])
        if before:
            _put_reviews(arch, [before])
        for (rid,) in arch.conn.execute("SELECT id FROM reports WHERE agency_id = ? AND "
                                        "year = ? AND is_current = 1",
                                        [key["agency_id"], key["year"]]).fetchall():
            arch.refresh_status(rid)
        summary = Phrase("undid: {summary}", summary=entry["summary"])
    undo_id = record(arch, "undo" if operation != "merge" else "split", summary,
                     {"undoes": entry["id"]}, after)
    arch.conn.execute("UPDATE history SET undone_by = ? WHERE id = ?", [undo_id, entry["id"]])


def _current_place(arch: Archive, report_id: int) -> dict[str, Any]:
    rows = arch.q("SELECT id, agency_id, year, version, is_current FROM reports WHERE id = ?",
                  [report_id])
    return rows[0] if rows else {}
