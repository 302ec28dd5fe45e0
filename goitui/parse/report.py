"""A ``Document`` becomes a ``Report``: sections, template, agency, year, figures, findings.

The order matters: sections first (they bound the tables), then the tables read by their
labels, then the template decided from what was printed, never from the year.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from goitui import labels, limits
from goitui.i18n import Phrase, joined
from goitui.model import (
    ERROR,
    INFO,
    WARNING,
    Document,
    Finding,
    Line,
    Report,
    Section,
    source_phrase,
)
from goitui.names import same_agency
from goitui.parse import meta
from goitui.parse.classify import template_markers
from goitui.parse.place import rows_to_figures, unmatched_ocr_findings
from goitui.parse.rows import RowRead, read_rows
from goitui.parse.sections import Heading, find_headings, report_starts
from goitui.readers.base import join_parts


def parse_reports(doc: Document, agency: str | None = None, year: int | None = None,
                  part: int | None = None) -> list[Report]:
    """Every report a file holds, each read on its own (a compilation of an area's reports,
    or this year's and last year's on one page): its own agency, year, figures and lines.
    ``agency`` and ``year`` (given by a person) are for every report, or for report ``part``
    only (its place in the file) when that is given."""
    starts = report_starts(doc.lines, meta.title_at)
    if len(starts) == 1:
        return [parse_document(doc, agency, year) if part in (None, 1) else parse_document(doc)]
    bounds = [*starts, len(doc.lines)]
    reports = []
    for place, (start, end) in enumerate(zip(bounds, bounds[1:]), start=1):
        piece = Document(lines=doc.lines[start:end], format=doc.format, name=doc.name,
                         notes=doc.notes)
        limits.check()  # a compilation of hundreds of reports: between reports
        mine = part in (None, place)
        report = parse_document(piece, agency if mine else None, year if mine else None)
        report.part, report.parts = place, len(starts)
        reports.append(report)
    return reports


def parse_document(doc: Document, agency: str | None = None, year: int | None = None) -> Report:
    """Read every figure of a report exactly, or say why not (as findings)."""
    lines = doc.lines
    headings = find_headings(lines)
    spans = _spans(headings, len(lines))
    sections = {h.num: _section(h, lines, spans[h.num]) for h in headings}
    findings: list[Finding] = []

    first = headings[0].index if headings else min(len(lines), 6)
    wrapped = any(ln.joins for ln in lines)  # a PDF's wrapped lines: meta reads paragraphs
    preamble = (paragraphs(lines[:first]).split("\n") if wrapped else [ln.text for ln in lines[:first]])
    overview = sections[1].body if 1 in sections else ""
    m = meta.detect(preamble, overview, paragraphs(lines) if wrapped else doc.text, doc.name,
                    agency, year)

    table_lines = {t: lines[slice(*spans[labels.TABLE_SECTION[t]])] if labels.TABLE_SECTION[t] in spans
                   else [] for t in labels.TABLES}
    sec2_text = "\n".join([ln.text for ln in table_lines["proactive"]])
    has19, has21 = template_markers(sec2_text)
    sec2_template = labels.HYBRID if has19 and has21 else (labels.T2019 if has19 else
                                                     labels.T2021 if has21 else labels.UNKNOWN)
    figures = {}
    rows_found: dict[str, set[str]] = {}
    unmatched_rows: dict[str, list[RowRead]] = {}
    for table in labels.TABLES:
        rows = read_rows(table, table_lines[table])
        res = rows_to_figures(table, rows, sec2_template)
        figures.update(res.figures)
        findings += res.findings
        rows_found[table] = res.rows_found
        unmatched_rows[table] = res.unmatched
        if labels.TABLE_SECTION[table] in sections and not res.rows_found:
            findings.append(Finding(
                "S-CELLS", ERROR, Phrase("section {title} has no readable table (given as an "
                                         "image or attachment, or cut off)",
                                         title=labels.TABLE_TITLES[table]), section=labels.TABLE_SECTION[table],
                source=sections[labels.TABLE_SECTION[table]].title))

    template, why = _template(has19, has21, rows_found["applications"])
    findings.append(Finding("S-TEMPLATE", INFO, Phrase("template {template}: {why}",
                                                       template=template, why=why),
                            actual=template))
    missing = _missing(template, sec2_template, rows_found)
    findings += _missing_rows(missing, rows_found)
    for table, unmatched in unmatched_rows.items():
        findings += unmatched_ocr_findings(table, unmatched, missing.get(table, []))
    findings += _structure(headings, sections)

    findings += filing_findings(m, agency)
    return Report(agency=m.agency, year=m.year, template=template, title=m.title,
                  sections=sections, figures=figures, findings=findings,
                  agency_from=m.agency_from, year_from=m.year_from,
                  year_sources=dict(m.years_seen), filing=filing_of(m), text=doc.text,
                  format=doc.format, notes=list(doc.notes))


def filing_findings(m: meta.Meta, agency: str | None) -> list[Finding]:
    """The findings on a report's filing: an agency or a year that could not be determined,
    sources of the year that disagree, an ``agency`` option (as given) that is not the agency
    the report names. Worked out again from what is stored when a person re-files the report
    (``refiled_meta``), so that they follow where it is filed."""
    findings: list[Finding] = []
    if m.agency is None:
        findings.append(Finding("S-AGENCY", ERROR, Phrase(
            "the agency could not be determined from the title, the body or the file name; "
            "give it with --agency")))
    if m.year is None:
        findings.append(Finding("S-YEAR", ERROR, Phrase(
            "the report year could not be determined from the title, the statistics period, "
            "the body or the file name; give it with --year")))
    else:
        findings += _year_doubts(m)
    if agency and m.printed_agency and not same_agency(agency, m.printed_agency):
        findings.append(Finding("S-AGENCY", WARNING, Phrase(
            "filed as {agency} (--agency), but the report names {printed} (its {source})",
            agency=agency, printed=m.printed_agency, source=source_phrase(m.printed_agency_from)),
                                expected=agency, actual=m.printed_agency))
    return findings


def filing_of(m: meta.Meta) -> dict[str, Any]:
    """What ``Report.filing`` keeps of ``m``: what ``filing_findings`` needs beyond the
    report's agency, year and their sources."""
    return {"printed_agency": m.printed_agency, "printed_agency_from": m.printed_agency_from,
            "body_year_counts": {str(y): n for y, n in sorted((m.body_year_counts or {}).items())}}


def refiled_meta(report: Report, agency: str | None) -> meta.Meta:
    """The ``Meta`` a stored report, filed as it is now (its year and where the year came
    from), would have been read with, the agency given as ``agency`` (an option, as a person
    typed it) or else as stored. What the report says of itself is as stored (``year_sources``,
    ``filing``); for a report stored before ``filing`` was kept, its stored agency counts as
    the one it prints when that was not an option."""
    filing = report.filing
    if "printed_agency" in filing:
        printed, printed_from = filing["printed_agency"], filing["printed_agency_from"]
    else:
        printed, printed_from = ((report.agency, report.agency_from)
                                 if report.agency_from != "option" else (None, ""))
    counts = Counter({int(y): n for y, n in (filing.get("body_year_counts") or {}).items()})
    a, a_from = (agency, "option") if agency else (report.agency, report.agency_from)
    return meta.Meta(a, a_from, report.year, report.year_from, report.title,
                     dict(report.year_sources), printed, printed_from, counts)


def _year_doubts(m: meta.Meta) -> list[Finding]:
    """S-YEAR warnings: sources that disagree, an option that contradicts the report, or a
    year taken from a body that names another year as often."""
    seen = dict(m.years_seen)
    if m.year_from == "option" and m.year is not None:
        seen["option"] = m.year
    if len(set(seen.values())) > 1:
        said = joined([Phrase("{source} {year}", source=source_phrase(k), year=v)
                       for k, v in seen.items()], Phrase(", "))
        return [Finding("S-YEAR", WARNING, Phrase(
            "the year is given differently: {said}; read as {year} (from the {source})",
            said=said, year=m.year, source=source_phrase(m.year_from)), expected=m.year,
                        actual=sorted(set(seen.values())))]
    counts: dict[int, int] = m.body_year_counts or {}
    if m.year_from == "body" and m.year is not None and any(n >= counts.get(m.year, 0) for y, n in counts.items()
                                     if y != m.year):
        named = "、".join(f"{y} ({n}×)" for y, n in sorted(counts.items()))
        return [Finding("S-YEAR", WARNING, Phrase(
            "no title or statistics period gives the year; read as {year} from the body, "
            "which names {named}: check it, or give --year", year=m.year, named=named),
            expected=m.year, actual=sorted(counts))]
    return []


def _spans(headings: list[Heading], n: int) -> dict[int, tuple[int, int]]:
    out = {}
    for i, h in enumerate(headings):
        end = headings[i + 1].index if i + 1 < len(headings) else n
        out[h.num] = (h.index + 1, end)
    return out


def _section(h: Heading, lines: list[Line], span: tuple[int, int]) -> Section:
    body = lines[span[0]:span[1]]
    return Section(h.num, h.title, paragraphs(body),
                   lines[h.index].line, body[-1].line if body else lines[h.index].line)


def paragraphs(lines: list[Line]) -> str:
    """Lines as text, one paragraph a line: a line the page wrapped (``joins``) goes on the
    one before, so the prose rules, the diff's sentences and the browser read it whole."""
    out: list[list[str]] = []  # each paragraph's lines, joined once (rejoining the paragraph
    for ln in lines:           # at every wrapped line took time quadratic in its length)
        if ln.joins and out:
            out[-1].append(ln.text)
        else:
            out.append([ln.text])
    return "\n".join(p[0] if len(p) == 1 else join_parts(p) for p in out)


def _template(has19: bool, has21: bool, app_rows: set[str]) -> tuple[str, Phrase]:
    """2019, 2021 or hybrid, from the labels printed (format-spec §0)."""
    t3_21 = any(k.startswith("other.") for k in app_rows)
    t3_19 = "other" in app_rows
    votes19 = has19 or t3_19
    votes21 = has21 or t3_21
    if votes19 and votes21:
        parts = []
        parts.append(Phrase("section 二 on the 2019 columns") if has19 and not has21 else
                     Phrase("section 二 on the 2021 columns") if has21 and not has19 else
                     Phrase("section 二 mixes both") if has19 else "")
        parts.append(Phrase("（六）其他处理 as one row (2019)") if t3_19 else
                     Phrase("（六）其他处理 in three sub-rows (2021)") if t3_21 else "")
        shown = [p for p in parts if p]
        return labels.HYBRID, Phrase("labels of both templates: {parts}",
                                     parts=joined(shown, Phrase("; ")))
    if votes19:
        return labels.T2019, Phrase("2019 labels (本年新制作数量, 上一年项目数量, one （六）其他处理 row)")
    if votes21:
        return labels.T2021, Phrase("2021 labels (本年制发件数, 本年处理决定数量, （六）其他处理 sub-rows)")
    return labels.UNKNOWN, Phrase("no template-specific label was found")


def _missing(template: str, sec2_template: str,
             found: dict[str, set[str]]) -> dict[str, list[labels.Row]]:
    """The template rows of tables 二 and 三 not found, per table (none where the template
    the table is printed on cannot be told)."""
    out: dict[str, list[labels.Row]] = {}
    for table in labels.TABLES:
        if table == "reviews":
            continue
        if table == "proactive":
            t = sec2_template if sec2_template in (labels.T2019, labels.T2021) else None
        else:
            t = (labels.T2021 if any(k.startswith("other.") for k in found[table]) else
                 labels.T2019 if "other" in found[table] else
                 template if template in (labels.T2019, labels.T2021) else None)
        if t is not None:
            out[table] = [r for r in labels.rows_for(table, t) if r.key not in found[table]]
    return out


def _missing_rows(missing: dict[str, list[labels.Row]],
                  found: dict[str, set[str]]) -> list[Finding]:
    out = []
    for table, rows in missing.items():
        if rows and found[table]:  # a whole table missing is said once above
            out.append(Finding(
                "S-CELLS", ERROR, Phrase("rows not found in {table}: {rows}",
                                         table=labels.TABLE_TITLES[table],
                                         rows="、".join(r.label for r in rows)),
                keys=[k for r in rows for k in r.keys()], section=labels.TABLE_SECTION[table],
                expected=[r.label for r in rows]))
    return out


def _structure(headings: list[Heading], sections: dict[int, Section]) -> list[Finding]:
    out = []
    for num, title in labels.SECTION_TITLES.items():
        if num not in sections:
            sev = ERROR if num in (2, 3, 4) else WARNING
            out.append(Finding("S-SECTIONS", sev, Phrase("section {title} is missing", title=title),
                               section=num,
                               expected=title))
    order = [h.num for h in headings]
    if order != sorted(order):
        out.append(Finding("S-ORDER", WARNING, Phrase(
            "sections are out of order: {order}",
            order=" ".join(labels.SECTION_TITLES[n][0] for n in order)), actual=order))
    renumbered = [h for h in headings if h.printed is not None and h.printed != h.num]
    if renumbered:
        moved = [Phrase("{title} is section {number}", title=h.title,
                        number=labels.SECTION_TITLES[h.num][0]) for h in renumbered]
        out.append(Finding("S-ORDER", WARNING, Phrase(
            "sections are numbered differently from the template: {moved}",
            moved=joined(moved, Phrase("; "))),
                           actual=[h.title for h in renumbered]))
    return out
