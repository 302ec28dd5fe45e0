"""``goi validate``, ``goi rules`` and ``goi review``: printing what the library found.

Every answer is a library object (``ValidationResult``, the rule catalogue, a reviewed
finding); ``--format json`` prints exactly that object, the text form is laid out for 80
columns. Exit codes: 0 no report has an error, 1 some report has, 2 a usage error.
"""

from collections.abc import Iterator
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from goitui.commands.common import (
    BomOption,
    DbOption,
    Format,
    FormatOption,
    RegionOption,
    TableFormat,
    TableFormatOption,
    archive,
    echo_lines,
    emit_json,
    emit_json_stream,
    emit_sheets,
    fail,
)
from goitui.i18n import _, language
from goitui.model import (
    Finding,
    review_name,
    severity_name,
    shown_place,
    status_name,
    template_name,
)
from goitui.render.display import STATUS_MARK, fit, pad, plural, shown_path, width
from goitui.render.wrap import wrap
from goitui.text import visible
from goitui.validate import rules

if TYPE_CHECKING:  # the archive's and the pipeline's code: imported by the commands that run
    from goitui.archive.findings import ArchiveFindings, Filter, ReportResult, ValidationResult
    from goitui.archive.store import Archive

WIDTH = 80


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


def _message_lines(severity: str, rule: str, text: str) -> list[str]:
    """A finding's severity, rule and message (``text``, in the language shown), wrapped."""
    head = f"  {pad(severity_name(severity), 8)}{rule:<16}"
    body = wrap(visible(text), WIDTH - width(head))
    return [head + body[0]] + [" " * width(head) + b for b in body[1:]]


def _finding_lines(f: Finding, full: bool) -> list[str]:
    head = f"  {pad(severity_name(f.severity), 8)}{f.rule:<16}"
    lines = _message_lines(f.severity, f.rule, f.shown())
    if not full:
        return lines
    facts = []
    if f.expected is not None and f.actual is not None:
        facts.append(_("expected {expected}, actual {actual}").format(
            expected=_plain(f.expected), actual=_plain(f.actual)))
    elif f.expected is not None or f.actual is not None:
        facts.append(_("expected {expected}").format(expected=_plain(f.expected))
                     if f.actual is None else _("found {actual}").format(actual=_plain(f.actual)))
    if f.source:
        facts.append(visible(shown_place(f.source)))
    facts.append(f"#{f.fingerprint}")
    said = [" · ".join(facts)]
    if f.review:
        said.append(review_name(f.review) + (f": {visible(f.note)}" if f.note else ""))
    for text in said:
        lines += [" " * width(head) + chunk for chunk in wrap(text, WIDTH - width(head))]
    return lines


def _plain(v: object) -> str:
    if v is None:
        return "—"
    if isinstance(v, list):
        return "、".join(visible(str(x)) for x in v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return visible(str(v))


def _report_head(r: "ReportResult") -> str:
    """The report's status mark, agency, year, status and counts (and its version)."""
    c = r.counts()
    mark, tail = _head_tail((c["error"], c["warning"], c["info"]), r.version)
    return f"{mark} {visible(r.agency)} {r.year}  {tail}"


def counts_text(c: dict[str, int]) -> str:
    return _(", ").join(plural(c[s], s) for s in ("error", "warning", "info"))


def summary_line(res: "ValidationResult | ArchiveFindings") -> str:
    """The counts, saying when they are of a selection of rules or severities only."""
    s = res.summary()
    f = res.filter
    scope = _("; ").join(p for p in (
        _("rules {rules}").format(rules=", ".join(sorted(f.rule_ids))) if f.rule_ids else "",
        _("severity {severity} and above").format(severity=severity_name(f.severity))
        if f.severity else "") if p)
    return (plural(s["reports"], "report")
            + (_(" (counting only {scope})").format(scope=scope) if scope else "")
            + _(": {passed} pass, {warned} warn, {failed} fail").format(
                passed=s["pass"], warned=s["warn"], failed=s["fail"])
            + f" · {counts_text(s)}"
            + (_(" · {count} reviewed, not counted").format(count=s["reviewed"])
               if s["reviewed"] and not res.filter.include_reviewed else ""))


def archive_text(res: "ValidationResult | ArchiveFindings", show_info: bool) -> Iterator[str]:
    """The summary, then each report that is not clean with its findings, one line each
    (a report at a time: ``ArchiveFindings`` reads them as they are printed)."""
    from goitui.archive.findings import ArchiveFindings

    yield summary_line(res)
    # the same finding message (and the same counts) recur across reports: each is laid out
    # once, in the language of this listing
    lines_of = lru_cache(maxsize=4096)(
        lambda severity, rule, text: _message_lines(severity, rule, text))
    said_of = lru_cache(maxsize=4096)(_head_tail)
    zh = language() == "zh"  # Finding.shown, asked once rather than of every finding
    briefs = (res.briefs(info=show_info) if isinstance(res, ArchiveFindings)
              else (r.brief(show_info) for r in res.reports))
    for r in briefs:
        status = r.status
        if status == "pass" and not (show_info and r.shown):
            continue
        yield ""
        mark, tail = said_of(r.counts, r.version)
        yield fit(f"{mark} {visible(r.agency)} {r.year}  {tail}", WIDTH)
        for f in r.shown:
            yield from lines_of(f.severity, f.rule,
                                f.message_zh if zh and f.message_zh else f.message)


def _head_tail(counts: tuple[int, int, int], version: int) -> tuple[str, str]:
    """``_report_head`` of a report with these counts and version, but its agency and year:
    its status mark, and what follows the year."""
    c = dict(zip(("error", "warning", "info"), counts))
    status = "fail" if counts[0] else "warn" if counts[1] else "pass"
    return STATUS_MARK.get(status, " "), (
        _("{status}: {counts}").format(status=status_name(status), counts=counts_text(c))
        + (_("  (v{version})").format(version=version) if version > 1 else ""))


def report_text(res: "ValidationResult", archive_path: Path | None = None) -> list[str]:
    """One report: every finding grouped by rule group, expected vs actual, reviewed apart."""
    out: list[str] = []
    for r in res.reports:
        out.append(_report_head(r))
        source = visible(shown_path(r.source, archive_path))
        out.append(fit(_("  template {template} · source {source}").format(
            template=template_name(r.template), source=source), WIDTH))
        for group, title in rules.GROUPS.items():
            fs = [f for f in r.findings if f.rule.startswith(group + "-")]
            if fs:
                out += ["", f"{group} — {_(title)}"]
                out += [line for f in fs for line in _finding_lines(f, full=True)]
        if r.reviewed:
            out += ["", _("reviewed (counted)") if res.filter.include_reviewed
                    else _("reviewed (not counted; --all counts them)")]
            out += [line for f in r.reviewed for line in _finding_lines(f, full=True)]
        if not r.findings and not r.reviewed:
            out += ["", _("no findings")]
    return out


def validate_cmd(
    agency: Annotated[str | None, typer.Argument(help=_(
        "One agency: every finding of its report (any name or an unambiguous part)."))] = None,
    year: Annotated[int | None, typer.Argument(help=_(
        "Year of that agency's report (default: its latest)."))] = None,
    rule: Annotated[list[str] | None, typer.Option("--rule", "-r", help=_(
        "Only this rule or group (A-BALANCE, A, X-CARRY); repeatable."))] = None,
    severity: Annotated[Severity | None, typer.Option(help=_(
        "Only findings at least this severe."))] = None,
    agency_opt: Annotated[str | None, typer.Option("--agency", help=_(
        "Whole-archive view of one agency (all its years)."))] = None,
    year_opt: Annotated[int | None, typer.Option("--year", help=_(
        "Only reports of this year."))] = None,
    all_: Annotated[bool, typer.Option("--all", help=_(
        "Reviewed findings count towards the status again."))] = False,
    info: Annotated[bool, typer.Option("--info", help=_(
        "Archive view: show info findings too."))] = False,
    recheck: Annotated[bool, typer.Option(help=_(
        "Run the rules again (and store the result) instead of reading the stored "
        "findings."))] = False,
    region: RegionOption = None,
    db: DbOption = None,
    format: TableFormatOption = TableFormat.text,
    bom: BomOption = True,
) -> None:
    """Validation findings: of the whole archive (summary, then each report that is not
    clean), or of one report (every finding, grouped, with expected and actual values).

    Exit code 0 when no report has an error, 1 when any has, 2 on a usage error.
    """
    from goitui.archive.findings import Filter, check_archive, check_report

    flt = Filter(rules=rule, severity=severity.value if severity else None, include_reviewed=all_)
    with archive(db, write=recheck) as arch:
        if recheck:  # the agencies asked about, every year: the X rules join neighbouring years
            from goitui.pipeline import recheck as recheck_reports  # the validators

            recheck_reports(arch, agency=agency if agency is not None else agency_opt,
                            year=None if agency is not None else year_opt)
        if agency is None and format in (TableFormat.json, TableFormat.text):
            _stream_archive(arch, flt, agency_opt, year_opt, region, format,
                            info or severity == Severity.info)
        inside = _region(arch, region)
        if agency is not None:
            res = check_report(arch, agency, year, flt=flt)
            if inside is not None:
                res.reports = [r for r in res.reports if r.agency in inside.values()]
        else:
            res = check_archive(arch, flt, agency=agency_opt, year=year_opt, agency_ids=inside)
        where = arch.path
    if format == TableFormat.json:
        emit_json(res.to_dict())
    elif format != TableFormat.text:
        from goitui.export.records import findings_sheet

        emit_sheets([findings_sheet(res.to_dict())], format, bom)
    else:
        lines = report_text(res, where) if agency is not None else archive_text(
            res, info or severity == Severity.info)
        typer.echo("\n".join(lines))
    raise typer.Exit(res.exit_code)


def _region(arch: "Archive", region: str | None) -> dict[int, str] | None:
    """The agencies of a roster region, id → name (None: no region asked)."""
    if region is None:
        return None
    from goitui.archive.roster import region_agencies

    return region_agencies(arch, region)


def _stream_archive(arch: "Archive", flt: "Filter", agency: str | None, year: int | None,
                    region: str | None, format: TableFormat, show_info: bool) -> NoReturn:
    """``goi validate`` of the whole archive (or an agency's years, a year, a region), in
    text or JSON, printed a report at a time as it is read: the same text and the same
    JSON as the whole ``ValidationResult`` would print, in the memory of one report."""
    from goitui.archive.findings import archive_findings

    found = archive_findings(arch, flt, agency=agency, year=year,
                             agency_ids=_region(arch, region))
    if format == TableFormat.json:
        emit_json_stream(found.records(), found.head(), "reports")
    else:
        echo_lines(archive_text(found, show_info))
    raise typer.Exit(found.exit_code)


def rules_cmd(
    ids: Annotated[list[str] | None, typer.Argument(help=_(
        "Rule ids or groups (default: all)."))] = None,
    format: FormatOption = Format.text,
) -> None:
    """The catalogue of rules: id, severity, what it checks and why it matters."""
    chosen = rules.select(ids)
    if format == Format.json:
        emit_json([r.to_dict() for r in chosen])
        return
    out: list[str] = []
    for group, title in rules.GROUPS.items():
        rs = [r for r in chosen if r.group == group]
        if not rs:
            continue
        if out:
            out.append("")
        out.append(f"{group} — {_(title)}")
        for r in rs:
            head = f"  {pad(r.id, 16)}{pad('/'.join(severity_name(s) for s in r.severities), 14)}"
            body = wrap(_(r.checks), WIDTH - width(head))
            out.append(head + body[0])
            out += [" " * width(head) + b for b in body[1:]]
            out += [" " * width(head) + b for b in wrap(_("why: {why}").format(why=_(r.why)),
                                                        WIDTH - width(head))]
    typer.echo("\n".join(out))


def review_cmd(
    agency: Annotated[str, typer.Argument(help=_(
        "Agency: any of its names or an unambiguous part."))],
    year: Annotated[int, typer.Argument(help=_("Year of the report."))],
    finding: Annotated[str, typer.Argument(help=_(
        "Rule id (C-INJECTED) or the finding's fingerprint (shown by goi validate AGENCY "
        "YEAR)."))],
    ack: Annotated[bool, typer.Option("--ack", help=_("Acknowledge: true, and known."))] = False,
    dismiss: Annotated[bool, typer.Option("--dismiss", help=_("Dismiss: not a problem."))] = False,
    clear: Annotated[bool, typer.Option("--clear", help=_("Remove the review."))] = False,
    note: Annotated[str | None, typer.Option(help=_("Why (kept with the review)."))] = None,
    every: Annotated[bool, typer.Option("--every", help=_(
        "Every finding of that rule in the report, when there are several."))] = False,
    db: DbOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Acknowledge or dismiss a finding (with a note), or clear the review.

    Kept by the finding's fingerprint: it survives re-importing and re-validating. Reviewed
    findings no longer count towards the report's status (goi validate --all counts them).
    """
    from goitui.archive.findings import ACKNOWLEDGED, DISMISSED, review

    if ack + dismiss + clear != 1:
        fail(_("give exactly one of --ack, --dismiss or --clear"))
    state = ACKNOWLEDGED if ack else DISMISSED if dismiss else None
    with archive(db, write=True) as arch:
        report, found = review(arch, agency, year, finding, state, note, every=every)
    if format == Format.json:
        emit_json({"agency": report.agency_canonical, "year": report.year,
                   "status": report.status, "counts": report.counts(),
                   "findings": [f.to_dict() for f in found]})
        return
    for f in found:
        typer.echo("\n".join(_finding_lines(f, full=True)))
    typer.echo(_("{agency} {year} is now {mark} {status}: {counts}").format(
        agency=visible(report.agency_canonical or ""), year=report.year,
        mark=STATUS_MARK.get(report.status, ""), status=status_name(report.status),
        counts=counts_text(report.counts())))


def register(app: typer.Typer) -> None:
    app.command("validate")(
        validate_cmd)
    app.command("rules")(rules_cmd)
    app.command("review")(review_cmd)
