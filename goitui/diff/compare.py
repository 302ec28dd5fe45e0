"""Two years of one agency side by side: figures by canonical key, prose sentence by sentence.

``diff_reports(old, new)`` gives a ``Diff``; ``Diff.to_dict()`` is the JSON of ``goi diff
--format json`` and what the browser's diff view shows, so both read the same object. Nothing
here validates: the cross-year rules (X-…) are those the archive stored for the newer report.
Blank and placeholder cells stay what they are; a blank is never compared as 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz import fuzz

from goitui import labels
from goitui.errors import BadFilter, NotFound
from goitui.i18n import _, listing
from goitui.model import NUMBER, Figure, Finding, Report, status_of
from goitui.text import clean, fold, parse_value
from goitui.validate.common import split_key

CHANGED, UNCHANGED, ONLY_OLD, ONLY_NEW = "changed", "unchanged", "only_old", "only_new"
#: why a figure is in one year only: its row is not in the other year's template, or it is
#: in that template but was not read (a table given as an image, a row missing…)
BY_TEMPLATE, NOT_READ = "template", "not read"

NEW, DROPPED, REPEATED, EDITED = "new", "dropped", "repeated", "edited"
#: rapidfuzz ratios (0–100) of two sentences: at least REPEAT repeats, at least EDIT is an edit
REPEAT, EDIT = 90.0, 60.0
PROSE_SECTIONS = (1, 5)
#: sections whose stated numbers (N条, N件) are compared; 六 often states 信息处理费
NUMBER_SECTIONS = (1, 5, 6)
CONTEXT_MATCH = 70.0  # how alike the words before two numbers must be to speak of one thing


# ------------------------------------------------------------------------------ data


def cell_dict(f: Figure | None) -> dict[str, Any] | None:
    """A cell as JSON: what it holds and where it was read."""
    if f is None:
        return None
    return {"kind": f.kind, "value": f.value, "raw": f.raw, "unit": f.unit, "line": f.line,
            "source": f.source, "label": f.label}


def _delta(old: Figure | None, new: Figure | None) -> int | float | None:
    """new − old, only when both are numbers in the same unit."""
    if old is None or new is None or old.kind != NUMBER or new.kind != NUMBER:
        return None
    if old.value is None or new.value is None or _unit(old) != _unit(new):
        return None
    d = new.value - old.value
    return round(d, 6) if isinstance(d, float) else d


def _unit(f: Figure) -> str | None:
    return None if f.unit in (None, "", "件") else f.unit


def same_cell(a: Figure, b: Figure) -> bool:
    """Equal as printed content: numbers by value and unit, anything else by kind and text."""
    if a.kind != b.kind:
        return False
    if a.kind == NUMBER:
        if a.value is None or b.value is None:
            return a.value == b.value
        return abs(a.value - b.value) < 1e-9 and _unit(a) == _unit(b)
    return clean(a.raw) == clean(b.raw)


@dataclass
class FigureDiff:
    """One figure that differs: changed, or present in one year only."""

    key: str
    status: str
    old: Figure | None
    new: Figure | None
    reason: str = ""  # for only_old / only_new: BY_TEMPLATE or NOT_READ

    @property
    def table(self) -> str:
        return split_key(self.key)[0]

    @property
    def row(self) -> str:
        return split_key(self.key)[1]

    @property
    def delta(self) -> int | float | None:
        return _delta(self.old, self.new)

    def to_dict(self) -> dict[str, Any]:
        table, row, column = split_key(self.key)
        return {"key": self.key, "table": table, "row": row, "column": column,
                "label": labels.label_of(self.key), "row_label": labels.row_label_of(self.key),
                "column_label": labels.column_label_of(self.key), "status": self.status,
                "reason": self.reason or None, "old": cell_dict(self.old),
                "new": cell_dict(self.new), "delta": self.delta}


@dataclass
class Regrouped:
    """A row of one template against the sub-rows that replace it in the other, per column.

    2019's （六）其他处理 is one row; 2021 splits it into three: their sum is compared to it.
    A blank or non-number sub-cell leaves the sum unknown (``total`` None), never 0.
    """

    column: str
    whole_key: str
    part_keys: list[str]
    whole: Figure | None
    parts: list[Figure | None]
    whole_is_old: bool

    @property
    def total(self) -> int | float | None:
        if not self.parts or any(p is None or p.kind != NUMBER or p.value is None
                                 for p in self.parts):
            return None
        return sum(p.value for p in self.parts if p is not None and p.value is not None)

    @property
    def delta(self) -> int | float | None:
        w = self.whole
        if self.total is None or w is None or w.kind != NUMBER or w.value is None:
            return None
        return self.total - w.value if self.whole_is_old else w.value - self.total

    @property
    def status(self) -> str:
        d = self.delta
        return "unknown" if d is None else (UNCHANGED if d == 0 else CHANGED)

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "column_label": labels.column_label_of(self.whole_key),
                "whole_key": self.whole_key, "whole_label": labels.row_label_of(self.whole_key),
                "whole_year": "old" if self.whole_is_old else "new",
                "whole": cell_dict(self.whole), "part_keys": self.part_keys,
                "parts": [cell_dict(p) for p in self.parts], "sum": self.total,
                "delta": self.delta, "status": self.status}


@dataclass
class Sentence:
    status: str  # new | dropped | repeated | edited
    text: str  # this year's sentence (last year's for dropped)
    old_text: str | None = None  # the sentence of last year it repeats or edits
    similarity: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "text": self.text, "old_text": self.old_text,
                "similarity": round(self.similarity, 1)}


@dataclass
class ProseDiff:
    """One narrative section, sentence by sentence, with its reuse ratio.

    ``reuse`` and ``counts`` describe the whole section even when ``sentences`` leaves the
    repeated ones out (``changed_only``).
    """

    section: int
    title: str
    sentences: list[Sentence]
    in_old: bool
    in_new: bool
    reuse: float | None = None  # share of this year's characters in repeated sentences, 0–1
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, section: int, title: str, sents: list[Sentence], in_old: bool,
           in_new: bool) -> ProseDiff:
        mine = [s for s in sents if s.status != DROPPED]
        total = sum(len(fold(s.text)) for s in mine)
        same = sum(len(fold(s.text)) for s in mine if s.status == REPEATED)
        reuse = round(same / total, 3) if total and in_old and in_new else None
        counts = {st: sum(1 for s in sents if s.status == st)
                  for st in (NEW, DROPPED, EDITED, REPEATED)}
        return cls(section, title, sents, in_old, in_new, reuse, counts)

    @property
    def differs(self) -> bool:
        return any(n for st, n in self.counts.items() if st != REPEATED)

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "title": self.title, "in_old": self.in_old,
                "in_new": self.in_new, "reuse": self.reuse, "counts": dict(self.counts),
                "sentences": [s.to_dict() for s in self.sentences]}


@dataclass
class Mention:
    """A number the prose states with its unit (2428条, 17件) and the words before it."""

    section: int
    value: int | float
    unit: str
    context: str
    sentence: str
    index: int = 0


@dataclass
class NumberChange:
    old: Mention
    new: Mention

    @property
    def delta(self) -> int | float:
        d = self.new.value - self.old.value
        return round(d, 6) if isinstance(d, float) else d

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.new.section, "unit": self.new.unit,
                "context": self.new.context, "old": self.old.value, "new": self.new.value,
                "delta": self.delta, "old_sentence": self.old.sentence,
                "new_sentence": self.new.sentence}


@dataclass
class Side:
    """What the summary says of one year's report."""

    id: int | None
    agency: str | None
    printed_as: str | None
    year: int | None
    template: str
    status: str
    counts: dict[str, int]
    source: str

    @classmethod
    def of(cls, r: Report) -> Side:
        return cls(r.id, r.agency_canonical or r.agency, r.agency, r.year, r.template,
                   r.status or status_of(r.findings), r.counts(), r.source_path)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Diff:
    old: Side
    new: Side
    figures: list[FigureDiff]  # every figure that differs; unchanged ones only counted
    unchanged: int
    regrouped: list[Regrouped] = field(default_factory=list)
    prose: list[ProseDiff] = field(default_factory=list)
    numbers: list[NumberChange] = field(default_factory=list)
    cross_year: list[Finding] = field(default_factory=list)
    cross_year_year: int | None = None  # the newer report, whose X findings these are
    tables: tuple[str, ...] = labels.TABLES
    changed_only: bool = False
    totals: dict[str, int] = field(default_factory=dict)  # counts() before changed_only

    @property
    def template_changed(self) -> bool:
        return self.old.template != self.new.template

    def counts(self) -> dict[str, int]:
        """Figures changed / unchanged / in one year only, before ``changed_only`` hid any."""
        if self.totals:
            return dict(self.totals)
        return tally(self.figures, self.unchanged)

    @property
    def differs(self) -> bool:
        """Anything shown that is not the same in both years (exit code 1 of ``goi diff``)."""
        return bool(self.figures or any(r.status == CHANGED for r in self.regrouped)
                    or any(p.differs for p in self.prose) or self.numbers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "template_changed": self.template_changed,
            "tables": list(self.tables),
            "changed_only": self.changed_only,
            "counts": self.counts(),
            "differs": self.differs,
            "cross_year": {"year": self.cross_year_year,
                           "findings": [f.to_dict() for f in self.cross_year]},
            "figures": [f.to_dict() for f in self.figures],
            "regrouped": [r.to_dict() for r in self.regrouped],
            "prose": [p.to_dict() for p in self.prose],
            "numbers": [n.to_dict() for n in self.numbers],
        }


# ------------------------------------------------------------------------------ figures


def tally(figures: list[FigureDiff], unchanged: int) -> dict[str, int]:
    c = {CHANGED: 0, UNCHANGED: unchanged, ONLY_OLD: 0, ONLY_NEW: 0}
    for f in figures:
        c[f.status] += 1
    return c


def _template_keys(template: str) -> set[str]:
    """Keys a report on ``template`` can hold (both templates' for hybrid or unknown)."""
    if template in (labels.T2019, labels.T2021):
        return set(labels.keys_for(template))
    return set(labels.keys_for(labels.T2019)) | set(labels.keys_for(labels.T2021))


def _order() -> dict[str, int]:
    """Template order of every key, 2019 rows before the 2021 rows that replace them."""
    keys = labels.keys_for(labels.T2019) + labels.keys_for(labels.T2021) + labels.keys_for(labels.HYBRID)
    return {k: i for i, k in enumerate(dict.fromkeys(keys))}


_ORDER = _order()


def compare_figures(old: Report, new: Report,
                    tables: tuple[str, ...] = labels.TABLES) -> tuple[list[FigureDiff], int]:
    """Every figure key of either year in ``tables``: what differs, and how many are equal."""
    keys = [k for k in {**old.figures, **new.figures} if k.split(".", 1)[0] in tables]
    keys.sort(key=lambda k: (labels.TABLES.index(k.split(".", 1)[0]), _ORDER.get(k, len(_ORDER)), k))
    old_has, new_has = _template_keys(old.template), _template_keys(new.template)
    out: list[FigureDiff] = []
    same = 0
    for k in keys:
        a, b = old.figures.get(k), new.figures.get(k)
        if a is not None and b is not None:
            if same_cell(a, b):
                same += 1
            else:
                out.append(FigureDiff(k, CHANGED, a, b))
        elif a is not None:
            out.append(FigureDiff(k, ONLY_OLD, a, None, NOT_READ if k in new_has else BY_TEMPLATE))
        else:
            out.append(FigureDiff(k, ONLY_NEW, None, b, NOT_READ if k in old_has else BY_TEMPLATE))
    return out, same


def _splits() -> dict[str, list[str]]:
    """Rows of the 2019 template replaced by numbered sub-rows in 2021 (from labels)."""
    out: dict[str, list[str]] = {}
    for table in labels.TABLES:
        rows = labels.rows_for(table, labels.HYBRID) if table != "proactive" else labels.PROACTIVE_2019
        for r in rows:
            if r.templates == labels.ONLY19:
                subs = [s.key for s in labels.rows_for(table, labels.T2021)
                        if s.key.startswith(r.key + ".")]
                if subs:
                    out[f"{table}.{r.key}"] = subs
    return out


SPLIT_ROWS = _splits()


def regroup(old: Report, new: Report, tables: tuple[str, ...] = labels.TABLES) -> list[Regrouped]:
    """The single 2019 row against the sum of its 2021 sub-rows, where one year has each."""
    out: list[Regrouped] = []
    for whole_row, subs in SPLIT_ROWS.items():
        table, row = whole_row.split(".", 1)
        if table not in tables:
            continue
        for whole_side, parts_side, whole_is_old in ((old, new, True), (new, old, False)):
            row_def = next(r for r in labels.rows_for(table, labels.HYBRID) if r.key == row)
            cols = [c.key for c in row_def.columns]
            if not any(f"{whole_row}.{c}" in whole_side.figures for c in cols):
                continue
            if not any(f"{table}.{s}.{c}" in parts_side.figures for s in subs for c in cols):
                continue
            for c in cols:
                part_keys = [f"{table}.{s}.{c}" for s in subs]
                out.append(Regrouped(c, f"{whole_row}.{c}", part_keys,
                                     whole_side.figures.get(f"{whole_row}.{c}"),
                                     [parts_side.figures.get(k) for k in part_keys],
                                     whole_is_old))
    return out


# ------------------------------------------------------------------------------ prose

_SENTENCE_END = re.compile(r"(?<=[。！？!?])")
_TERMINAL = ("。", "！", "？", "!", "?", "：", ":", "；", ";")
_WRAPPED = 30  # a line this wide ending mid-sentence was wrapped by the PDF, not a heading


def sentences(body: str) -> list[str]:
    """A section body as sentences: split after 。！？ and at short lines (sub-headings).

    PDF text wraps long lines mid-sentence; such a line is joined to the next first.
    """
    paras: list[str] = []
    carry = ""
    for line in body.splitlines():
        line = clean(line)
        if not line:
            continue
        line = carry + line
        carry = ""
        if len(line) >= _WRAPPED and not line.endswith(_TERMINAL):
            carry = line
            continue
        paras.append(line)
    if carry:
        paras.append(carry)
    out = []
    for p in paras:
        out += [s.strip() for s in _SENTENCE_END.split(p) if fold(s).strip("，,、。；;：: ")]
    return out


def _placed_dropped(matched_new: list[int | None], dropped: set[int]) -> dict[int, list[int]]:
    """Where each dropped old sentence shows: after the new sentence matching its predecessor."""
    anchor: dict[int, list[int]] = {}
    owner = {o: n for n, o in enumerate(matched_new) if o is not None}
    for i in sorted(dropped):
        before = [owner[j] for j in range(i - 1, -1, -1) if j in owner]
        anchor.setdefault(before[0] if before else -1, []).append(i)
    return anchor


def compare_prose(num: int, old: Report, new: Report) -> ProseDiff | None:
    """Sentences of section ``num`` this year against last year's, one-to-one, best first."""
    so, sn = old.sections.get(num), new.sections.get(num)
    if so is None and sn is None:
        return None
    olds = sentences(so.body) if so else []
    news = sentences(sn.body) if sn else []
    match: list[int | None] = [None] * len(news)
    score = [0.0] * len(news)
    if olds and news:
        fo, fn = [fold(s) for s in olds], [fold(s) for s in news]
        scored = ((fuzz.ratio(a, b, score_cutoff=EDIT), i, j)
                  for i, a in enumerate(fn) for j, b in enumerate(fo))
        pairs = sorted((p for p in scored if p[0]), key=lambda p: (-p[0], abs(p[1] - p[2])))
        taken: set[int] = set()
        for similarity, i, j in pairs:
            if match[i] is None and j not in taken:
                match[i], score[i] = j, similarity
                taken.add(j)
    dropped = set(range(len(olds))) - {j for j in match if j is not None}
    where = _placed_dropped(match, dropped)
    out = [Sentence(DROPPED, olds[j]) for j in where.get(-1, [])]
    for i, sentence in enumerate(news):
        old_at = match[i]
        if old_at is None:
            out.append(Sentence(NEW, sentence))
        else:
            out.append(Sentence(REPEATED if score[i] >= REPEAT else EDITED, sentence,
                                olds[old_at], score[i]))
        out += [Sentence(DROPPED, olds[k]) for k in where.get(i, [])]
    shown = sn or so
    title = shown.title if shown is not None else labels.SECTION_TITLES[num]
    return ProseDiff.of(num, title or labels.SECTION_TITLES[num], out, so is not None, sn is not None)


_MENTION = re.compile(r"(?<![\d.,，])(\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
                      r"(万元|元|人次|条|件|个|期|次|项|篇|场|家)")
_CLAUSE = re.compile(r"[，,。；;：:、（(）)\s]")
_YEARISH = re.compile(r"\d+\s*年(?:度)?|\d+")


def mentions(num: int, body: str) -> list[Mention]:
    """Numbers the prose states with a unit, each with the words just before it."""
    out: list[Mention] = []
    for sent in sentences(body):
        flat = re.sub(r"(?<=\d)\s+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\s+(?=\d)", "", sent)
        for m in _MENTION.finditer(flat):
            before = _YEARISH.sub("", flat[: m.start()])
            clauses = [c for c in _CLAUSE.split(before) if c]
            context = clauses[-1] if clauses else ""
            if len(context) < 3 and len(clauses) > 1:
                context = clauses[-2] + context
            value = parse_value(m[1]).value  # 1,234 is 1234, as in a table cell
            assert value is not None
            out.append(Mention(num, value, m[2], context[-16:], sent, len(out)))
    return out


def compare_numbers(old: Report, new: Report) -> list[NumberChange]:
    """Stated numbers about the same thing (same unit, alike words before) that changed."""
    out: list[NumberChange] = []
    for num in NUMBER_SECTIONS:
        so, sn = old.sections.get(num), new.sections.get(num)
        if so is None or sn is None:
            continue
        mo, mn = mentions(num, so.body), mentions(num, sn.body)
        pairs = sorted(((fuzz.ratio(a.context, b.context), i, j)
                        for i, a in enumerate(mo) for j, b in enumerate(mn)
                        if a.unit == b.unit and a.context and b.context),
                       key=lambda p: (-p[0], abs(p[1] - p[2])))
        used_o: set[int] = set()
        used_n: set[int] = set()
        for s, i, j in pairs:
            if s < CONTEXT_MATCH or i in used_o or j in used_n:
                continue
            used_o.add(i)
            used_n.add(j)
            if mo[i].value != mn[j].value:
                out.append(NumberChange(mo[i], mn[j]))
    return sorted(out, key=lambda c: (c.new.section, c.new.index))


# ------------------------------------------------------------------------------ the diff


def diff_reports(old: Report, new: Report, *, tables: tuple[str, ...] | None = None,
                 prose: bool | None = None, changed_only: bool = False) -> Diff:
    """``new`` against ``old`` (usually the year before): what changed, and what is in one only.

    ``tables`` limits the figures compared (default: all three); prose is compared by default
    only when no table was picked. ``changed_only`` leaves out what is in one year only and
    sentences repeated unchanged, keeping what changed from one year to the other.
    """
    picked = tuple(t for t in labels.TABLES if t in tables) if tables else labels.TABLES
    with_prose = prose if prose is not None else not tables
    figures, same = compare_figures(old, new, picked)
    regrouped = regroup(old, new, picked)
    proses = [p for n in PROSE_SECTIONS if (p := compare_prose(n, old, new))] if with_prose else []
    numbers = compare_numbers(old, new) if with_prose else []
    newer = new if (new.year or 0) >= (old.year or 0) else old
    cross = [f for f in newer.findings if f.rule.startswith("X-")]
    counts = tally(figures, same)
    if changed_only:
        figures = [f for f in figures if f.status == CHANGED]
        regrouped = [r for r in regrouped if r.status == CHANGED]
        proses = [replace(p, sentences=[s for s in p.sentences if s.status != REPEATED])
                  for p in proses]
    return Diff(Side.of(old), Side.of(new), figures, same, regrouped, proses, numbers, cross,
                newer.year, picked, changed_only, counts)


def choose_years(agency: str, have: list[int], asked: list[int]) -> tuple[int, int]:
    """The two years a diff compares, (old, new), among ``have`` (the agency's years, in
    order): the two ``asked``; or the one asked (default: the latest) and the archived year
    before it. An agency's first year has nothing before it: that is said, not replaced by
    the year after (the browser, asked from that year, then shows it against the next and
    says so: ``tui.diff_screen.load``).
    """
    if len(asked) > 2:
        raise BadFilter(_("give at most two years"))
    if len(asked) == 2:
        if asked[0] == asked[1]:
            raise BadFilter(_("give two different years"))
        return asked[0], asked[1]
    new = asked[0] if asked else (have[-1] if have else None)
    before = [y for y in have if new is not None and y < new]
    if new not in have or not before:
        listed = listing(have) or _("none")
        if new in have:
            raise NotFound(_("{agency} has no year before {year} to compare with (years: "
                             "{years})").format(agency=agency, year=new, years=listed))
        raise NotFound(_("{agency} has no report for {year} to compare with (years: {years})")
                       .format(agency=agency, year=new, years=listed))
    return before[-1], new
