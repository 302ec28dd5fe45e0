"""Tables ruled with horizontal lines only: the rules are row bands, the text makes the columns.

Some publishers draw a rule under every row and no column lines. pdfplumber's grid finder needs
both, so such a table came out as prose, each wrapped label line a paragraph of its own, split
from its numbers. Here every band between two rules is one row, whatever number of lines its
label wraps over; the value columns are where the numbers stand (their extents overlap from row
to row), the label columns are where labels printed side by side leave a gap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from goitui import labels
from goitui.readers.base import join_parts, tidy
from goitui.text import is_value

Obj = dict[str, Any]

_MIN_RULE = 60.0  # points: shorter horizontal strokes are underlines, not table rules
_SAME_EDGE = 8.0  # points: rules whose ends differ by less belong to one table
_MAX_BAND = 150.0  # points: a taller gap between two rules is not a row
_GAP = 0.6  # of the text size: a wider gap between glyphs on a line ends a segment


@dataclass
class Segment:
    """A run of glyphs on one line of one band, with no wide gap inside."""

    text: str
    x0: float
    x1: float
    top: float

    @property
    def value(self) -> bool:
        return is_value(self.text)


@dataclass
class Model:
    """The columns of a banded table: gaps between label columns, extents of value columns."""

    label_bounds: list[float]
    value_columns: list[tuple[float, float]]
    labelled: bool = True  # some text stands left of the values (else no label column)

    @property
    def nlabels(self) -> int:
        return len(self.label_bounds) + 1 if self.labelled else 0

    @property
    def start(self) -> float:
        return self.value_columns[0][0] if self.value_columns else float("inf")


@dataclass
class BandTable:
    top: float
    x0: float
    x1: float
    bands: list[tuple[float, float, list[Segment]]] = field(repr=False)
    model: Model
    rows: list[list[str]] = field(default_factory=list)
    boxes: list[list[tuple[float, float, float, float]]] = field(default_factory=list)

    def edges(self) -> list[float]:
        """Column edges, left to right (one more than there are columns)."""
        values = self.model.value_columns
        out = [self.x0, *self.model.label_bounds]
        if values and self.model.labelled:
            out.append(values[0][0] - 1)
        out += [(a[1] + b[0]) / 2 for a, b in zip(values, values[1:], strict=False)]
        return [*out, self.x1]

    def continues_with(self, other: BandTable) -> bool:
        """``other`` (first on the next page) goes on with this table: same rules, same values."""
        mine, theirs = self.model.value_columns, other.model.value_columns
        return (abs(self.x0 - other.x0) <= _SAME_EDGE and abs(self.x1 - other.x1) <= _SAME_EDGE
                and len(mine) == len(theirs)
                and all(a[0] < d and c < a[1] + _SAME_EDGE for a, (c, d) in zip(mine, theirs, strict=False)))

    def lay_out(self, model: Model | None = None) -> BandTable:
        """Cells of every band placed in the columns of ``model`` (its own by default)."""
        if model is not None:
            self.model = model
        edges = self.edges()
        nlabels = self.model.nlabels
        ncols = nlabels + len(self.model.value_columns)
        self.rows, self.boxes = [], []
        for top, bottom, segments in self.bands:
            texts: list[list[str]] = [[] for _ in range(ncols)]
            for seg in sorted(segments, key=lambda s: (round(s.top), s.x0)):
                texts[self._column(seg, nlabels)].append(seg.text)
            self.rows.append([join_parts(t) if len(t) > 1 or not t else t[0] for t in texts])
            self.boxes.append([(edges[c], top, edges[c + 1], bottom) for c in range(ncols)])
        return self

    def _column(self, seg: Segment, nlabels: int) -> int:
        values = self.model.value_columns
        if values and seg.x1 > self.model.start + 1:
            overlap = [min(seg.x1, b) - max(seg.x0, a) for a, b in values]
            best = max(range(len(values)), key=lambda i: (overlap[i], -i))
            if overlap[best] <= 0:  # between two columns: the nearest
                best = min(range(len(values)),
                           key=lambda i: abs((values[i][0] + values[i][1]) / 2 - (seg.x0 + seg.x1) / 2))
            return nlabels + best
        return sum(1 for b in self.model.label_bounds if seg.x0 >= b)


def _rules(edges: list[Obj], taken: Sequence[tuple[float, ...]]) -> list[Obj]:
    """Horizontal rules outside the ruled tables already found, one per height."""
    def inside(e: Obj) -> bool:
        return any(b[0] - 2 <= e["x0"] and e["x1"] <= b[2] + 2 and b[1] - 2 <= e["top"] <= b[3] + 2
                   for b in taken)

    rules = sorted((e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] >= _MIN_RULE
                    and not inside(e)), key=lambda e: (e["top"], e["x0"]))
    out: list[Obj] = []
    for e in rules:
        last = out[-1] if out else None
        if last is not None and e["top"] - last["top"] <= 1.0 and e["x0"] <= last["x1"] and \
                last["x0"] <= e["x1"]:
            out[-1] = {**last, "x0": min(last["x0"], e["x0"]), "x1": max(last["x1"], e["x1"])}
        else:
            out.append(e)
    return out


def _stacks(rules: list[Obj]) -> list[list[Obj]]:
    """Rules of the same extent stacked one under the other: a table's row separators."""
    stacks: list[list[Obj]] = []
    for rule in rules:
        for stack in stacks:
            last = stack[-1]
            if (abs(last["x0"] - rule["x0"]) <= _SAME_EDGE and abs(last["x1"] - rule["x1"]) <= _SAME_EDGE
                    and 1.0 < rule["top"] - last["top"] <= _MAX_BAND):
                stack.append(rule)
                break
        else:
            stacks.append([rule])
    return [s for s in stacks if len(s) >= 3]


def _segments(chars: list[Obj]) -> list[Segment]:
    """A band's glyphs as runs on lines: a wide gap separates two cells."""
    lines: list[list[Obj]] = []
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and abs(ch["top"] - lines[-1][0]["top"]) <= 0.5 * (ch.get("size") or 5):
            lines[-1].append(ch)
        else:
            lines.append([ch])
    out = []
    for line in lines:
        line.sort(key=lambda c: c["x0"])
        run = [line[0]]
        for ch in line[1:]:
            if ch["x0"] - run[-1]["x1"] > _GAP * max(ch.get("size") or 5, run[-1].get("size") or 5):
                out.append(_segment(run))
                run = []
            run.append(ch)
        out.append(_segment(run))
    return [s for s in out if s.text]


def _segment(chars: list[Obj]) -> Segment:
    text = ""
    for prev, ch in zip([None, *chars], chars, strict=False):
        if prev is not None and ch["x0"] - prev["x1"] > 0.15 * (ch.get("size") or 5):
            text += " "
        text += ch["text"]
    return Segment(tidy(text), chars[0]["x0"], max(c["x1"] for c in chars), chars[0]["top"])


def _model(bands: list[tuple[float, float, list[Segment]]]) -> Model | None:
    """Value columns from the numbers' extents; label columns from gaps between labels."""
    spans = sorted((s.x0, s.x1) for _, _, segs in bands for s in segs if s.value)
    values: list[tuple[float, float]] = []
    for a, b in spans:
        if values and a <= values[-1][1] + 0.5:
            values[-1] = (values[-1][0], max(values[-1][1], b))
        else:
            values.append((a, b))
    if len(values) < 2:
        return None
    start = values[0][0]
    gaps = []
    for _, _, segs in bands:
        labels = sorted((s for s in segs if not s.value and s.x1 <= start + 1), key=lambda s: (s.top, s.x0))
        for left, right in zip(labels, labels[1:], strict=False):
            if abs(left.top - right.top) <= 1.0 and right.x0 > left.x1:
                gaps.append((left.x1, right.x0))
    bounds: list[tuple[float, float]] = []
    for a, b in sorted(gaps, key=lambda g: g[1] - g[0]):
        hits = [i for i, (c, d) in enumerate(bounds) if a < d and c < b]
        if len(hits) == 1:
            c, d = bounds[hits[0]]
            bounds[hits[0]] = (max(a, c), min(b, d))
        elif not hits:
            bounds.append((a, b))
    labelled = any(not s.value and s.x1 <= start + 1 for _, _, segs in bands for s in segs)
    return Model(sorted((a + b) / 2 for a, b in bounds), values, labelled)


def band_tables(page: Any, taken: Sequence[tuple[float, ...]]) -> list[BandTable]:
    """The page's tables ruled by horizontal lines only (none where columns are ruled too)."""
    edges = page.edges
    verticals = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 2]
    out = []
    for stack in _stacks(_rules(edges, taken)):
        ys = [r["top"] for r in stack]
        x0, x1 = min(r["x0"] for r in stack), max(r["x1"] for r in stack)
        crossing = [v for v in verticals if x0 + 2 < v["x0"] < x1 - 2 and v["top"] < ys[-1]
                    and v["bottom"] > ys[0]]
        if crossing:
            continue  # column lines: the grid finder's table, not a banded one
        chars = [c for c in page.chars if c.get("upright", True)
                 and x0 - 2 <= (c["x0"] + c["x1"]) / 2 <= x1 + 2 and ys[0] < (c["top"] + c["bottom"]) / 2 < ys[-1]]
        bands = []
        for top, bottom in zip(ys, ys[1:], strict=False):
            inside = [c for c in chars if top < (c["top"] + c["bottom"]) / 2 < bottom]
            if inside:
                bands.append((top, bottom, _segments(inside)))
        for run in _runs(bands):
            model = _model(run)
            if model is not None and len(run) >= 2:
                out.append(BandTable(run[0][0], x0, x1, run, model).lay_out())
    return out


_SECTION = re.compile(r"^[一二三四五六七八九十]+、")


def _is_heading(text: str) -> bool:
    """A section heading of the report format (``三、收到和处理政府信息公开申请情况``)."""
    return bool(_SECTION.match(text)) and any(
        title in text for title in labels.SECTION_TITLES.values())


def _runs(bands: list[tuple[float, float, list[Segment]]]) -> list[list[tuple[float, float, list[Segment]]]]:
    """Bands split where a rule-framed line is a section heading or a sentence, not a row:
    two tables ruled alike, one under the other, are two tables."""
    runs: list[list[tuple[float, float, list[Segment]]]] = [[]]
    for band in bands:
        segments = band[2]
        if len(segments) == 1 and not segments[0].value and (
                _is_heading(segments[0].text) or segments[0].text.endswith("。")):
            runs.append([])
            continue
        runs[-1].append(band)
    return [r for r in runs if r]
