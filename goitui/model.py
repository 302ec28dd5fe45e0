"""Plain data shared by every layer: what a reader extracts, what the parser reads, what is archived.

Readers turn a file into a ``Document`` (lines of cells with their location); the parser turns
a ``Document`` into a ``Report`` (figures, sections, findings). The archive stores a ``Report``
and gives it back, so validation, diff and the browser work on the same objects.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple

from goitui.errors import BadFilter
from goitui.i18n import N_, Phrase, _, joined, language, shown

#: 《政府信息公开条例》 took effect on 1 May 2008: no annual report is for an earlier year
FIRST_REPORT_YEAR = 2008


def last_report_year() -> int:
    """The latest year a report can be for: this one (a draft checked before it is published)."""
    return date.today().year


def check_report_year(year: int) -> int:
    """``year`` when a report can be for it, else ``BadFilter`` saying the years that can be."""
    if not FIRST_REPORT_YEAR <= year <= last_report_year():
        raise BadFilter(_("{year} is not a report year: reports are for {first}–{last} (the "
                          "Regulations took effect in 2008)").format(
            year=year, first=FIRST_REPORT_YEAR, last=last_report_year()))
    return year


# kinds of a figure's value (spec/keys.md "Values")
NUMBER = "number"
BLANK = "blank"  # nothing printed: NOT zero
PLACEHOLDER = "placeholder"  # '/', '-', '—', 无, 不适用
UNREADABLE = "unreadable"  # printed, but not a number
UNPLACED = "unplaced"  # the row had more or fewer values than its template row

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)
#: severities and report statuses as a person reads them (the JSON keeps the English words)
SEVERITY_NAMES = {ERROR: N_("error"), WARNING: N_("warning"), INFO: N_("info")}
STATUS_NAMES = {"pass": N_("pass"), "warn": N_("warn"), "fail": N_("fail")}
REVIEW_NAMES = {"acknowledged": N_("acknowledged"), "dismissed": N_("dismissed")}
TEMPLATE_NAMES = {"hybrid": N_("hybrid"), "unknown": N_("unknown")}


def severity_name(severity: str) -> str:
    """``error`` → 错误 in Chinese; an unknown word as it is."""
    return _(SEVERITY_NAMES[severity]) if severity in SEVERITY_NAMES else severity


def template_name(template: str) -> str:
    """``2019`` / ``2021`` as printed; ``hybrid`` → 混合 and ``unknown`` → 未知 in Chinese."""
    return _(TEMPLATE_NAMES[template]) if template in TEMPLATE_NAMES else template


def review_name(state: str) -> str:
    """``acknowledged`` / ``dismissed`` (a person's review of a finding) as a person reads them."""
    return _(REVIEW_NAMES[state]) if state in REVIEW_NAMES else state


def status_name(status: str) -> str:
    """``fail`` → 不通过 in Chinese; an unknown word as it is."""
    return _(STATUS_NAMES[status]) if status in STATUS_NAMES else status


#: where an agency or a year was read (``Report.agency_from``, ``year_from``), as a message
#: names it; here beside the report, not in ``parse.meta`` which reads them, so that showing
#: a report (``goi show``) does not compile the parser's patterns
SOURCE_NAMES = {"title": N_("title"), "body": N_("body"), "contact sentence": N_("contact sentence"),
                "source line": N_("source line"), "file name": N_("file name"),
                "statistics period": N_("statistics period"), "option": N_("option")}


def source_phrase(source: str) -> Phrase | str:
    """Where an agency or a year came from, as a ``Phrase`` (a finding words it in both
    languages); an unknown source as it is."""
    return Phrase(SOURCE_NAMES[source]) if source in SOURCE_NAMES else source


def source_name(source: str) -> str:
    """Where an agency or a year came from (``agency_from``, ``year_from``), in the active language."""
    return shown(source_phrase(source))


def decided(agency_from: str, year_from: str) -> str:
    """How the agency and the year were decided: ``agency from title, year from statistics period``."""
    return _("agency from {agency_source}, year from {year_source}").format(
        agency_source=source_name(agency_from), year_source=source_name(year_from))


class Mark(NamedTuple):
    """How OCR read one cell: its confidence and where it is on the page image.

    ``confidence`` is the recognizer's, 0–1 (the lowest of the cell's text boxes), or None
    for a table cell in which nothing was read; ``box`` is ``x0,y0,x1,y1`` in pixels of the
    page image as given (before deskewing), so a person can find the digits on the scan.
    """

    confidence: float | None
    box: str


#: the parts of a place in a source (``Line.source``, ``Figure.source``, ``Finding.source``),
#: as readers write them in English: ``page 3, table 2, row 9``, ``line 83``, ``lines 4–7``
PLACE_PARTS = {
    "line": N_("line {n}"), "lines": N_("lines {n}"), "page": N_("page {n}"),
    "table": N_("table {n}"), "row": N_("row {n}"), "paragraph": N_("paragraph {n}"),
    "box": N_("box {n}"), "section": N_("section {n}"),
}
_PLACE_PART = re.compile(r"(?P<word>[a-z]+) (?P<n>\S+)")


def place(source: str) -> Phrase | str:
    """Where in its file something was read, as a person reads it in either language
    (``page 3, table 2, row 9`` is ``第 3 页，第 2 张表，第 9 行``). The stored source stays English:
    it is data (JSON, the archive); only what is shown is translated. A part goi did not write
    (an embedded file's name) is kept as it is."""
    if not source:
        return source
    parts: list[Phrase | str] = []
    for part in source.split(", "):
        match = _PLACE_PART.fullmatch(part)
        template = PLACE_PARTS.get(match["word"]) if match else None
        parts.append(Phrase(template, n=match["n"]) if match and template else part)
    return joined(parts, Phrase(", "))


def shown_place(source: str) -> str:
    """``place`` in the active language: what a face prints for a source."""
    return shown(place(source))


class Line:
    """One line of a source, split into cells.

    ``grid`` is true when the cells come from a real table row (a tab- or pipe-separated
    line, a markdown/HTML/Word/PDF table row): then an empty cell between values is a
    blank cell. In one-cell-per-line text an empty line says nothing about cells.
    ``text`` is the non-empty cells joined by spaces. A plain slotted class: a report has
    hundreds of lines, and the text reader passes ``text`` when it has it already.
    ``joins``: the line goes on with the paragraph of the line before it (the printed page
    wrapped it there); the line stays as printed, a section's body joins the two.
    ``marks``: for a line read by OCR, each cell's ``Mark`` (same positions as ``cells``).
    """

    __slots__ = ("cells", "line", "source", "grid", "text", "joins", "marks")

    def __init__(self, cells: list[str], line: int, source: str = "", grid: bool = False,
                 text: str | None = None, joins: bool = False,
                 marks: list[Mark | None] | None = None) -> None:
        self.cells, self.line, self.source, self.grid = cells, line, source, grid
        self.joins, self.marks = joins, marks
        if text is None:
            if len(cells) == 1:
                text = cells[0] if cells[0].strip() else ""
            else:
                text = " ".join(c for c in cells if c.strip())
        self.text = text

    def __repr__(self) -> str:
        return f"Line({self.cells!r}, {self.line}, {self.source!r}, grid={self.grid})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Line):
            return NotImplemented
        return (self.cells, self.line, self.source, self.grid) == (
            other.cells, other.line, other.source, other.grid)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaced

    def where(self) -> str:
        return self.source or f"line {self.line}"


@dataclass
class Document:
    """What a reader extracted from one file, before any interpretation."""

    lines: list[Line]
    format: str  # text, html, docx, pdf
    name: str = ""  # file name, used as a last resort for agency and year
    notes: list[str] = field(default_factory=list)  # what the reader had to say (encoding…)

    @cached_property
    def text(self) -> str:
        return "\n".join([ln.text for ln in self.lines])


@dataclass(slots=True)  # hundreds per report
class Figure:
    """One cell of a template table, exactly as read."""

    key: str
    value: int | float | None
    kind: str
    raw: str
    unit: str | None = None
    line: int | None = None
    source: str = ""
    label: str = ""  # the row label as printed
    score: float = 100.0  # how well that label matched the official one (rapidfuzz, 0–100)
    confidence: float | None = None  # read by OCR: the recognizer's confidence, 0–1
    box: str = ""  # read by OCR: x0,y0,x1,y1 of the cell's text on the page image

    def detail(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("key")
        d.pop("value")
        return d


@dataclass
class Finding:
    """Something a reader of the report should know: a parse problem or a broken rule."""

    rule: str
    severity: str
    message: str
    keys: list[str] = field(default_factory=list)
    section: int | None = None
    expected: Any = None
    actual: Any = None
    source: str = ""
    line: int | None = None
    origin: str = "parse"  # parse | validate
    review: str | None = None  # acknowledged | dismissed, once a person reviewed it
    note: str | None = None
    #: the message in Chinese; set from a ``Phrase`` message (None: worded in English only)
    message_zh: str | None = None
    #: the report's own words the finding is about, exactly as its section's text has them
    #: (the spam term, the sentence whose number disagrees, the copied sentences), so the
    #: browser can show and highlight them; not part of the fingerprint, which must not move
    words: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if isinstance(self.message, Phrase):
            if self.message_zh is None:
                self.message_zh = self.message.render("zh")
            self.message = str.__str__(self.message)

    def shown(self) -> str:
        """The message in the language of the interface."""
        return self.message_zh if language() == "zh" and self.message_zh else self.message

    @cached_property
    def fingerprint(self) -> str:
        """Stable across re-imports: rule, keys and values, not wording or line numbers."""
        basis = json.dumps([self.rule, sorted(self.keys), self.section, _plain(self.expected),
                            _plain(self.actual)], ensure_ascii=False, sort_keys=True)
        return hashlib.sha1(basis.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d = {"rule": d.pop("rule"), "severity": d.pop("severity"), "message": d.pop("message"),
             "message_zh": d.pop("message_zh"), **d}
        d["fingerprint"] = self.fingerprint
        return d


def _plain(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


@dataclass
class Section:
    num: int
    title: str
    body: str
    line_start: int | None = None
    line_end: int | None = None


@dataclass
class Report:
    """A report as parsed (or as loaded back from the archive)."""

    agency: str | None
    year: int | None
    template: str
    title: str = ""
    sections: dict[int, Section] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    agency_from: str = ""  # title, body, contact sentence, source line, file name, option
    year_from: str = ""  # statistics period, title, body, file name, option
    year_sources: dict[str, int] = field(default_factory=dict)  # every year the report gives, by where
    #: what the report itself says of its agency beside an option and how often its body
    #: names each year (``printed_agency``, ``printed_agency_from``, ``body_year_counts``):
    #: kept so that the findings on its filing (S-AGENCY, S-YEAR) follow a re-filing
    #: (``parse.report.filing_findings``); not part of the JSON form
    filing: dict[str, Any] = field(default_factory=dict)
    part: int = 1  # the report's place in its file, for a file that holds several
    parts: int = 1
    text: str = ""
    format: str = "text"
    notes: list[str] = field(default_factory=list)  # what the reader said of the file: encoding, OCR…
    # set by the archive
    id: int | None = None
    agency_id: int | None = None
    agency_canonical: str | None = None
    source_path: str = ""
    sha256: str = ""
    version: int = 1
    status: str = ""

    def value(self, key: str) -> int | float | None:
        f = self.figures.get(key)
        return f.value if f is not None else None

    def figures_json(self) -> dict[str, int | float | None]:
        return {k: f.value for k, f in self.figures.items()}

    def counts(self) -> dict[str, int]:
        c = {s: 0 for s in SEVERITIES}
        for f in self.findings:
            if f.review is None:
                c[f.severity] += 1
        return c

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of a report (``goi show --format json``)."""
        return {
            "id": self.id,
            "agency": self.agency_canonical or self.agency,
            "agency_as_written": self.agency,
            "agency_from": self.agency_from,
            "year": self.year,
            "year_from": self.year_from,
            "year_sources": self.year_sources,
            "template": self.template,
            "title": self.title,
            "version": self.version,
            "status": self.status or status_of(self.findings),
            "counts": self.counts(),
            "source": self.source_path,
            "part": self.part,
            "parts": self.parts,
            "sha256": self.sha256,
            "format": self.format,
            "sections": {str(n): {"title": s.title, "body": s.body, "line_start": s.line_start,
                                  "line_end": s.line_end}
                         for n, s in sorted(self.sections.items())},
            "figures": self.figures_json(),
            "details": {k: f.detail() for k, f in self.figures.items()},
            "findings": [f.to_dict() for f in self.findings],
        }


#: how a status shows in a list: pass ✓, warn !, fail ✗
STATUS_MARK = {"pass": "✓", "warn": "!", "fail": "✗"}
#: a coverage cell (``archive.roster.coverage``) where the roster expects a report and none is
MISSING = "missing"


def status_of(findings: list[Finding]) -> str:
    """fail with an error, warn with a warning, else pass (reviewed findings do not count)."""
    live = [f.severity for f in findings if f.review is None]
    if ERROR in live:
        return "fail"
    if WARNING in live:
        return "warn"
    return "pass"
