"""OCR: scanned pages — image-only PDF pages and .jpg/.png/.tif files — read offline.

Many township reports are published as scans of the stamped paper copy. Each page is read by
RapidOCR (the PP-OCR Chinese models ship inside its wheel: nothing is downloaded) in steps
that each exist for a reason of the paper:

1. the page is taken in its *max channel*: black print stays black while a red stamp over it
   turns pale, so the seal over a table's corner does not hide digits;
2. rotation by quarter turns (a page scanned sideways: its text boxes are tall) and skew (the
   angle at which the rows of ink are sharpest) are corrected before anything is read, so rows
   and columns are horizontal and vertical;
3. text boxes are found; the table rules are found apart from the text (long thin runs of ink),
   and the ruled cells, merged ones included, placed on a grid — the way the PDF reader places
   a PDF's cells — so the table reader gets the same ``Document`` as from any other file;
4. a text box that runs over a rule is cut at it, and each box is read from its upright
   rectangle (no per-box 180° classifier: it turns a 9 into a 6); a number is read twice, the
   second time with specks filtered out, and two readings that differ make it doubtful;
5. every cell keeps its ``Mark``: the recognizer's confidence and its box on the page image as
   given, so every figure read this way can say how sure it is and where it is.

Prose lines and tables then go through the PDF reader's own block builder (paragraphs joined
over lines and pages, a table cut by a page break joined again).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from goitui import limits
from goitui.i18n import _
from goitui.model import Document, Mark
from goitui.readers.base import NeedsOcr, Progress, ReadError, join_parts
from goitui.readers.grid import Cell
from goitui.readers.pdf import _FURNITURE, _Part, _Text, build_lines
from goitui.text import is_value

if TYPE_CHECKING:
    import numpy as np

RENDER_SCALE = 2.0  # PDF pages are rendered at 144 dpi: 10.5 pt type is ~20 px high
LONG_SIDE = 1800  # larger pages are scaled down to this (det costs grow with the area) …
SHORT_PAGE = 1200  # … and smaller ones up, so small print is not lost
MAX_PAGES = 60  # a report has a dozen pages; OCR takes seconds a page
MAX_SKEW = 8.0  # degrees: a scan tilted more than this is rather turned by a quarter
_POINTS = 595.0  # page coordinates are given as A4 points, like the PDF reader's


class OcrUnavailable(ReadError):
    """OCR is not installed (goi's ``ocr`` extra) or was turned off (``--no-ocr``)."""


def available() -> bool:
    """Whether the OCR engine can be loaded (the ``ocr`` extra is installed)."""
    try:
        _engine()
    except OcrUnavailable:
        return False
    return True


@lru_cache(maxsize=1)
def _engine() -> Any:
    """One RapidOCR per process: loading its three models takes half a second."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise OcrUnavailable(_("it needs OCR, which is not installed (pip install 'goi[ocr]')")) from None
    return RapidOCR()


# ------------------------------------------------------------------ geometry


@dataclass
class _Box:
    """A text box on the working page: an upright rectangle, then what was read in it."""

    x0: int
    y0: int
    x1: int
    y1: int
    text: str = ""
    confidence: float = 0.0
    inked: bool = False  # found as ink in a cell the detector left empty

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class _Page:
    """A page image being straightened; ``to_page`` maps the image as given onto it."""

    image: np.ndarray  # grey, uint8
    to_page: np.ndarray  # 2×3 affine: original pixel → working pixel

    def transform(self, matrix: np.ndarray, size: tuple[int, int]) -> None:
        import cv2
        import numpy as np

        self.image = cv2.warpAffine(self.image, matrix, size, flags=cv2.INTER_LINEAR,
                                    borderMode=cv2.BORDER_CONSTANT, borderValue=255)
        full = np.vstack([matrix, [0, 0, 1]]) @ np.vstack([self.to_page, [0, 0, 1]])
        self.to_page = full[:2]

    def original_box(self, box: _Box) -> str:
        """The box on the page image as given (``x0,y0,x1,y1``), where a person finds it."""
        import cv2
        import numpy as np

        back = cv2.invertAffineTransform(self.to_page)
        corners = np.array([[box.x0, box.y0, 1], [box.x1, box.y0, 1], [box.x0, box.y1, 1],
                            [box.x1, box.y1, 1]], dtype=float) @ back.T
        x0, y0 = corners.min(axis=0)
        x1, y1 = corners.max(axis=0)
        return f"{max(round(x0), 0)},{max(round(y0), 0)},{round(x1)},{round(y1)}"


def _grey(rgb: np.ndarray) -> np.ndarray:
    """The max channel: black print stays dark, a red (or blue) stamp over it turns pale."""
    import numpy as np

    if rgb.ndim == 2:
        return rgb.astype(np.uint8)
    return rgb[:, :, :3].max(axis=2).astype(np.uint8)


def _new_page(rgb: np.ndarray) -> _Page:
    import cv2
    import numpy as np

    grey = _grey(rgb)
    page = _Page(grey, np.array([[1.0, 0, 0], [0, 1.0, 0]]))
    h, w = grey.shape
    long = max(h, w)
    factor = LONG_SIDE / long if long > LONG_SIDE else SHORT_PAGE / long if long < SHORT_PAGE else 1.0
    if factor != 1.0:
        size = (max(round(w * factor), 1), max(round(h * factor), 1))
        page.image = cv2.resize(grey, size, interpolation=cv2.INTER_AREA if factor < 1
                                else cv2.INTER_CUBIC)
        page.to_page = np.array([[factor, 0, 0], [0, factor, 0]])
    return page


def _ink(grey: np.ndarray) -> np.ndarray:
    """Dark pixels (Otsu's threshold), as 255."""
    import cv2

    _t, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def skew_angle(grey: np.ndarray) -> float:
    """The angle (degrees, counter-clockwise) by which the page's rows of ink are tilted.

    Projected on the right axis, rows of text and table rules give the sharpest profile
    (the largest sum of squared row counts); tried in steps of 0.25°, then 0.02°.
    """
    import cv2
    import numpy as np

    h, w = grey.shape
    factor = min(1.0, 1000 / max(h, w))
    small = cv2.resize(grey, (max(int(w * factor), 1), max(int(h * factor), 1)),
                       interpolation=cv2.INTER_AREA) if factor < 1 else grey
    ys, xs = np.nonzero(_ink(small))
    if len(ys) < 50:
        return 0.0
    if len(ys) > 80_000:
        pick = np.random.default_rng(0).choice(len(ys), 80_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    ys, xs = ys.astype(float), xs.astype(float)

    def sharpness(angle: float) -> float:
        t = math.radians(angle)
        rows = ys * math.cos(t) + xs * math.sin(t)
        counts = np.bincount((rows - rows.min()).astype(int))
        return float((counts.astype(float) ** 2).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.25), key=sharpness)
    fine = best + np.arange(-12, 13) * 0.02
    scores = np.array([sharpness(a) for a in fine])
    # the profile is as sharp over a plateau of angles (pixels are coarse): its middle
    return round(float(fine[scores >= scores.max() * 0.995].mean()), 2)


def _rotate(page: _Page, angle: float) -> None:
    """Turn the page by ``angle`` degrees (counter-clockwise), growing it to keep the corners."""
    import cv2

    h, w = page.image.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    nw, nh = int(h * sin + w * cos + 0.5), int(h * cos + w * sin + 0.5)
    matrix[0, 2] += nw / 2 - w / 2
    matrix[1, 2] += nh / 2 - h / 2
    page.transform(matrix, (nw, nh))


def _deskew(page: _Page) -> None:
    angle = skew_angle(page.image)
    if abs(angle) >= 0.05:
        _rotate(page, -angle)


def _detect(page: _Page) -> list[_Box]:
    import cv2
    import numpy as np

    boxes, _elapsed = _engine().text_det(cv2.cvtColor(page.image, cv2.COLOR_GRAY2BGR))
    out = []
    for quad in boxes if boxes is not None else []:
        x0, y0 = np.floor(quad.min(axis=0)).astype(int)
        x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
        if x1 - x0 >= 2 and y1 - y0 >= 2:
            out.append(_Box(int(x0), int(y0), int(x1), int(y1)))
    return out


def _sideways(boxes: list[_Box]) -> bool:
    """Text boxes mostly tall: the page was scanned a quarter turn off."""
    wide = sum((b.x1 - b.x0) * b.height for b in boxes if b.x1 - b.x0 >= 1.5 * b.height)
    tall = sum((b.x1 - b.x0) * b.height for b in boxes if b.height >= 1.5 * (b.x1 - b.x0))
    return tall > 2 * wide


def _upside_down(page: _Page, boxes: list[_Box]) -> bool:
    """The direction classifier's majority over the page's widest lines of text."""
    widest = sorted(boxes, key=lambda b: b.x1 - b.x0, reverse=True)[:15]
    crops = [_crop(page, b) for b in widest if b.x1 - b.x0 >= 3 * b.height]
    if len(crops) < 3:
        return False
    _imgs, verdicts, _elapsed = _engine().text_cls(crops)
    flipped = sum(1 for label, score in verdicts if label == "180" and score >= 0.8)
    return flipped > len(crops) / 2


def _turn(page: _Page, quarter_turns: int) -> None:
    """Turn the page clockwise by quarter turns."""
    import numpy as np

    h, w = page.image.shape
    if quarter_turns % 4 == 1:
        matrix, size = np.array([[0.0, -1, h - 1], [1, 0, 0]]), (h, w)
    elif quarter_turns % 4 == 2:
        matrix, size = np.array([[-1.0, 0, w - 1], [0, -1, h - 1]]), (w, h)
    else:
        return
    page.transform(matrix, size)


def _upright(page: _Page) -> list[_Box]:
    """Deskew, turn a sideways or upside-down page, and find its text boxes."""
    _deskew(page)
    boxes = _detect(page)
    if boxes and _sideways(boxes):
        _turn(page, 1)
        _deskew(page)
        boxes = _detect(page)
    if boxes and _upside_down(page, boxes):
        _turn(page, 2)
        boxes = _detect(page)
    return boxes


def _crop(page: _Page, box: _Box) -> np.ndarray:
    import cv2

    h, w = page.image.shape
    part = page.image[max(box.y0 - 1, 0):min(box.y1 + 1, h), max(box.x0 - 1, 0):min(box.x1 + 1, w)]
    return cv2.cvtColor(part, cv2.COLOR_GRAY2BGR)


def _recognize(page: _Page, boxes: list[_Box]) -> list[_Box]:
    """Read every box; boxes with no text are dropped.

    A tall box is a digit or a label printed top to bottom (``本年度办理结果`` in a merged
    cell): it is read both upright and turned, and the surer reading kept.
    """
    import numpy as np

    if not boxes:
        return []
    crops = [_crop(page, b) for b in boxes]
    tall = [i for i, b in enumerate(boxes) if b.height >= 1.5 * (b.x1 - b.x0)]
    results = _read(crops + [np.ascontiguousarray(np.rot90(crops[i])) for i in tall])
    for n, i in enumerate(tall):
        turned = results[len(boxes) + n]
        if len(turned[0].strip()) > 1 and turned[1] > results[i][1]:
            results[i] = turned
    _read_again(crops, results, len(boxes))
    out = []
    for box, (text, confidence) in zip(boxes, results):
        text = text.strip()
        if text:
            box.text, box.confidence = text, round(float(confidence), 4)
            out.append(box)
        elif box.inked:  # ink that reads as nothing: a cell that is not blank, unread
            box.text, box.confidence = "?", 0.0
            out.append(box)
    return out


RECHECK = 0.97  # readings less sure than this are read again, padded to the full width


def _read(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Each crop's text and confidence.

    Crops are read padded to 96 px (three times faster than the model's 320), and those read
    with less confidence, or as nothing, again at 320. Two readings that differ make the
    surer one's confidence the lower of the two: a doubt stays a doubt.
    """
    engine = _engine()
    results: list[tuple[str, float]] = []
    for width, todo in ((96, list(range(len(crops)))), (320, None)):
        if todo is None:
            todo = [i for i, (text, conf) in enumerate(results) if not text or conf < RECHECK]
        if not todo:
            break
        engine.text_rec.rec_image_shape = [3, 48, width]
        found, _elapsed = engine.text_rec([crops[i] for i in todo])
        read = [(text.strip(), float(conf)) for text, conf in found]
        if not results:
            results = read
            continue
        for i, (text, conf) in zip(todo, read):
            before, sure = results[i]
            if not before or text == before:
                results[i] = (text or before, max(conf, sure) if text == before else conf)
            elif text:
                results[i] = (text if conf > sure else before, min(conf, sure))
    return results


_NUMERIC = re.compile(r"^[\d.,，。·\-+%\s]+$")
DISAGREE = 0.5  # the confidence of a number two readings disagree on: below any threshold


def _read_again(crops: list[np.ndarray], results: list[tuple[str, float]], n: int) -> None:
    """Numbers are read a second time with specks filtered out (a 3×3 median): a dot or a
    1 that is dust, or a digit the grain changed, reads differently then. Where the two
    readings differ, the number keeps the first reading with a confidence below any
    threshold, so S-OCR shows it rather than a confident misreading passing silently."""
    import cv2

    numbers = [i for i in range(n) if _NUMERIC.match(results[i][0])]
    if not numbers:
        return
    again = _read([cv2.medianBlur(crops[i], 3) for i in numbers])
    for i, (text, conf) in zip(numbers, again):
        first, sure = results[i]
        if text.replace(" ", "") != first.replace(" ", ""):
            results[i] = (first, min(sure, conf, DISAGREE))


# ------------------------------------------------------------------ table rules


@dataclass
class _Rules:
    """The page's ruled lines, drawn apart from the text."""

    horizontal: np.ndarray
    vertical: np.ndarray
    tolerance: int
    ink: np.ndarray

    def vertical_at(self, x: float, y0: float, y1: float) -> float:
        """The share of ``y0..y1`` along which a vertical rule runs at ``x``."""
        return _coverage(self.vertical, x, y0, y1, self.tolerance, axis=1)

    def horizontal_at(self, y: float, x0: float, x1: float) -> float:
        return _coverage(self.horizontal.T, y, x0, x1, self.tolerance, axis=1)


def _coverage(mask: np.ndarray, at: float, start: float, end: float, tolerance: int,
              axis: int) -> float:
    margin = max(2, int((end - start) * 0.1))
    lo, hi = int(start) + margin, int(end) - margin
    if hi <= lo:
        return 0.0
    band = mask[lo:hi, max(int(at) - tolerance, 0):int(at) + tolerance + 1]
    if band.size == 0:
        return 0.0
    return float(band.any(axis=axis).mean())


def _find_rules(page: _Page, text_height: float) -> _Rules:
    """Long thin runs of ink: horizontal ones longer than two lines of text are high, vertical
    ones longer than one (a glyph's stroke is shorter than its box)."""
    import cv2

    ink = _ink(page.image)
    along = max(15, int(2 * text_height))
    down = max(10, int(0.9 * text_height))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                                  cv2.getStructuringElement(cv2.MORPH_RECT, (along, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                                cv2.getStructuringElement(cv2.MORPH_RECT, (1, down)))
    # a rule broken by noise or a pale scan is one rule
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE,
                                  cv2.getStructuringElement(cv2.MORPH_RECT, (7, 1)))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE,
                                cv2.getStructuringElement(cv2.MORPH_RECT, (1, 7)))
    return _Rules(horizontal, vertical, max(3, int(text_height * 0.15)), ink)


def _positions(mask: np.ndarray, horizontal: bool, tolerance: int,
               region: tuple[int, int, int, int], ends: list[float] | None = None,
               reach: list[float] | None = None) -> list[float]:
    """Distinct positions of the rules in a region (merged within ``tolerance``).

    ``ends``: the horizontal rules' positions; a vertical rule runs from one of them to
    another, which the strokes of a label printed top to bottom never do. A table cut by a
    page break has no rule at its cut: a vertical rule that crosses a whole row (two of the
    ``ends``) and stops at the edge of the region also counts — the strokes of a heading
    printed just under a table touch its last rule only. ``reach`` is given the top and the
    bottom of the vertical rules found.
    """
    import cv2

    x0, y0, x1, y1 = region
    n, _labels, stats, centroids = cv2.connectedComponentsWithStats(mask[y0:y1, x0:x1])
    near = 2 * tolerance

    def joins(i: int) -> bool:
        top, bottom = stats[i][1] + y0, stats[i][1] + stats[i][3] + y0
        at_top = any(abs(top - y) <= near for y in ends or ())
        at_bottom = any(abs(bottom - y) <= near for y in ends or ())
        if at_top and at_bottom:
            return True
        crossed = sum(1 for y in ends or () if top - near <= y <= bottom + near)
        return crossed >= 2 and (at_top or top - y0 <= near) and (at_bottom or y1 - bottom <= near)

    chosen = [i for i in range(1, n) if ends is None or joins(i)]
    if reach is not None and chosen:
        reach += [float(min(stats[i][1] for i in chosen) + y0),
                  float(max(stats[i][1] + stats[i][3] for i in chosen) + y0)]
    found = sorted(float(centroids[i][1] + y0 if horizontal else centroids[i][0] + x0)
                   for i in chosen)
    out: list[list[float]] = []
    for v in found:
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


@dataclass
class _Ruled:
    """A ruled table on the page: its rule positions and its (merged) cells."""

    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int]]  # row0, col0, row1, col1 (inclusive)

    @property
    def region(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def contains(self, box: _Box) -> bool:
        x0, y0, x1, y1 = self.region
        return x0 <= box.cx <= x1 and y0 <= box.cy <= y1

    def rect(self, cell: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
        r0, c0, r1, c1 = cell
        return self.xs[c0], self.ys[r0], self.xs[c1 + 1], self.ys[r1 + 1]


def _tables(page: _Page, rules: _Rules, text_height: float) -> list[_Ruled]:
    """Every ruled table: rule positions, then adjacent grid cells joined where no rule
    separates them (a merged cell)."""
    import cv2

    both = cv2.dilate(cv2.bitwise_or(rules.horizontal, rules.vertical),
                      cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(both)
    out = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i][:4])
        if w < 4 * text_height or h < 1.5 * text_height:
            continue
        region = (x, y, x + w, y + h)
        ys = _positions(rules.horizontal, True, rules.tolerance, region)
        # a table cut by a page break has no rule at its cut edge: where its column rules
        # run on past the first or last rule, their ends bound that row
        reach: list[float] = []
        xs = _positions(rules.vertical, False, rules.tolerance, region, ys, reach)
        if reach and ys and ys[0] - reach[0] > text_height:
            ys.insert(0, reach[0])
        if reach and ys and reach[1] - ys[-1] > text_height:
            ys.append(reach[1])
        if len(xs) < 3 or len(ys) < 2:
            continue  # one column is a framed paragraph, as in the PDF reader
        out.append(_Ruled(xs, ys, _merged_cells(rules, xs, ys)))
    return out


def _merged_cells(rules: _Rules, xs: list[float], ys: list[float]) -> list[tuple[int, int, int, int]]:
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(rows):
        for c in range(cols):
            here = r * cols + c
            if c + 1 < cols and rules.vertical_at(xs[c + 1], ys[r], ys[r + 1]) < 0.5:
                parent[find(here)] = find(here + 1)
            if r + 1 < rows and rules.horizontal_at(ys[r + 1], xs[c], xs[c + 1]) < 0.5:
                parent[find(here)] = find(here + cols)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(rows):
        for c in range(cols):
            groups.setdefault(find(r * cols + c), []).append((r, c))
    return sorted((min(r for r, _ in g), min(c for _, c in g), max(r for r, _ in g),
                   max(c for _, c in g)) for g in groups.values())


def _split_at_rules(boxes: list[_Box], tables: list[_Ruled], rules: _Rules) -> list[_Box]:
    """A text box that runs over a column rule (two cells' digits read as one) is cut there."""
    out = []
    for box in boxes:
        table = next((t for t in tables if t.contains(box)), None)
        cuts = [] if table is None else [
            x for x in table.xs[1:-1] if box.x0 + rules.tolerance < x < box.x1 - rules.tolerance
            and rules.vertical_at(x, box.y0, box.y1) >= 0.5]
        edges = [box.x0, *(int(x) for x in cuts), box.x1]
        out += [_Box(a, box.y0, b, box.y1) for a, b in zip(edges, edges[1:]) if b - a >= 3]
    return out


def _missed(tables: list[_Ruled], boxes: list[_Box], rules: _Rules,
            text_height: float) -> list[_Box]:
    """Ink in a table cell where the detector found no text (a lone small digit can be
    missed): read it too, so a printed ``0`` is never taken for a blank cell."""
    import cv2

    out = []
    for table in tables:
        for spec in table.cells:
            x0, y0, x1, y1 = (int(v) for v in table.rect(spec))
            if any(x0 <= b.cx <= x1 and y0 <= b.cy <= y1 for b in boxes):
                continue
            pad = rules.tolerance + 1
            inside = (rules.ink[y0 + pad:y1 - pad, x0 + pad:x1 - pad]
                      & ~rules.horizontal[y0 + pad:y1 - pad, x0 + pad:x1 - pad]
                      & ~rules.vertical[y0 + pad:y1 - pad, x0 + pad:x1 - pad])
            if inside.size == 0:
                continue
            # a thin digit (a 7, a 1) can fall apart at Otsu's threshold into pieces each
            # shorter than a speck's limit: pieces a few pixels apart are one mark
            joined = cv2.morphologyEx(inside, cv2.MORPH_CLOSE,
                                      cv2.getStructuringElement(cv2.MORPH_RECT, (3, 5)))
            n, _labels, stats, _c = cv2.connectedComponentsWithStats(joined)
            marks = [stats[i] for i in range(1, n) if stats[i][3] >= 0.35 * text_height]
            if not marks:
                continue  # empty, or specks of noise
            left = min(m[0] for m in marks)
            top = min(m[1] for m in marks)
            right = max(m[0] + m[2] for m in marks)
            bottom = max(m[1] + m[3] for m in marks)
            grow = max(2, int(text_height * 0.15))
            out.append(_Box(x0 + pad + left - grow, y0 + pad + top - grow,
                            x0 + pad + right + grow, y0 + pad + bottom + grow, inked=True))
    return out


# ------------------------------------------------------------------ a page to blocks


def _mark(page: _Page, boxes: list[_Box]) -> Mark:
    union = _Box(min(b.x0 for b in boxes), min(b.y0 for b in boxes), max(b.x1 for b in boxes),
                 max(b.y1 for b in boxes))
    return Mark(min(b.confidence for b in boxes), page.original_box(union))


def _in_lines(boxes: list[_Box]) -> list[list[_Box]]:
    """Boxes grouped into lines of text (their middles level), each left to right."""
    lines: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        line = lines[-1] if lines else None
        if line is not None and abs(box.cy - sum(b.cy for b in line) / len(line)) <= 0.5 * max(
                box.height, min(b.height for b in line)):
            line.append(box)
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _text(boxes: list[_Box]) -> str:
    return join_parts([b.text for line in _in_lines(boxes) for b in line])


def _table_part(page: _Page, table: _Ruled, boxes: list[_Box], page_no: int,
                unit: float) -> _Part:
    cells: list[Cell] = []
    rects: dict[int, tuple[float, float, float, float]] = {}
    taken: set[int] = set()
    for spec in table.cells:
        x0, y0, x1, y1 = table.rect(spec)
        inside = [b for b in boxes if id(b) not in taken and x0 <= b.cx <= x1 and y0 <= b.cy <= y1]
        taken.update(id(b) for b in inside)
        r0, c0, r1, c1 = spec
        # a cell with nothing read in it keeps its place on the page (no confidence: nothing
        # was recognized), so a blank that a sum says should hold a number can be found
        empty = Mark(None, page.original_box(_Box(int(x0), int(y0), int(x1), int(y1))))
        cell = Cell(r0, c0, _text(inside), r1 - r0 + 1, c1 - c0 + 1,
                    _mark(page, inside) if inside else empty)
        cells.append(cell)
        rects[id(cell)] = (x0 / unit, y0 / unit, x1 / unit, y1 / unit)
    chars = [{"x0": b.x0 / unit, "x1": b.x1 / unit, "top": b.y0 / unit, "bottom": b.y1 / unit}
             for b in boxes]
    # columns compared from the table's left rule: a scan shifts each page a little
    xs = [(x - table.xs[0]) / unit for x in table.xs]
    return _Part(page_no, 0, table.ys[0] / unit, cells, len(table.ys) - 1, xs, rects, chars)


def _prose_lines(page: _Page, boxes: list[_Box], page_no: int, unit: float,
                 height: float) -> list[_Text]:
    out = []
    for line in _in_lines(boxes):
        text = join_parts([b.text for b in line])
        top, bottom = min(b.y0 for b in line), max(b.y1 for b in line)
        margin = "top" if top < height * 0.1 else "bottom" if bottom > height * 0.88 else ""
        if not text or (margin and _FURNITURE.match(text)):
            continue
        out.append(_Text(page_no, top / unit, line[0].x0 / unit, line[-1].x1 / unit,
                         (bottom - top) / unit, text, margin=margin, mark=_mark(page, line),
                         parts=_row_parts(page, line)))
    return out


def _row_parts(page: _Page, line: list[_Box]) -> list[tuple[str, Mark]] | None:
    """A line of a table printed without rules — a label, then two values or more, each a box
    of its own — as its label and its values, each with its own confidence and box (else the
    line's lowest confidence would doubt every number on it, and its box cover them all).
    None for any other line: prose keeps its one text."""
    first = next((i for i, b in enumerate(line) if is_value(b.text)), len(line))
    if len(line) - first < 2 or not all(is_value(b.text) for b in line[first:]):
        return None
    label = [(join_parts([b.text for b in line[:first]]), _mark(page, line[:first]))] if first else []
    return label + [(b.text, _mark(page, [b])) for b in line[first:]]


def read_page(rgb: np.ndarray, page_no: int) -> list[_Part | _Text]:
    """One page image to its tables and prose lines, top to bottom (the PDF reader's blocks)."""
    import numpy as np

    page = _new_page(rgb)
    boxes = _upright(page)
    if not boxes:
        return []
    text_height = float(np.median([b.height for b in boxes]))
    rules = _find_rules(page, text_height)
    tables = _tables(page, rules, text_height)
    boxes = _split_at_rules(boxes, tables, rules)
    boxes = _recognize(page, boxes + _missed(tables, boxes, rules, text_height))
    h, w = page.image.shape
    unit = w / _POINTS
    blocks: list[_Part | _Text] = []
    free = []
    for box in boxes:
        if not any(t.contains(box) for t in tables):
            free.append(box)
    for table in sorted(tables, key=lambda t: t.ys[0]):
        mine = [b for b in boxes if table.contains(b)]
        blocks.append(_table_part(page, table, mine, page_no, unit))
    for n, part in enumerate((b for b in blocks if isinstance(b, _Part)), start=1):
        part.number = n
    blocks += _prose_lines(page, free, page_no, unit, h)
    blocks.sort(key=lambda b: b.top)
    return blocks


# ------------------------------------------------------------------ files


def _image_frames(data: bytes, label: str) -> list[np.ndarray]:
    """The pages of an image file (a TIFF may hold several), upright as its EXIF says."""
    import numpy as np
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return [np.asarray(ImageOps.exif_transpose(frame).convert("RGB"))
                    for frame in ImageSequence.Iterator(image)]
    except Image.DecompressionBombError:
        raise ReadError(_("{name}: image too large to read").format(name=label)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ReadError(_("{name}: not a readable image (damaged, or not an image)").format(
            name=label)) from None


def _document(pages: list[list[_Part | _Text]], name: str, what: str, why: str = "") -> Document:
    lines = build_lines(pages)
    if not lines:
        raise ReadError(_("{why}OCR found no text on its pages").format(
            why=f"{why}: " if why else ""))
    return Document(lines=lines, format="ocr", name=name,
                    notes=[_("read by OCR: {what}").format(what=what)])


def read_images(paths: Sequence[Path], name: str = "", progress: Progress | None = None,
                datas: Sequence[bytes] | None = None) -> Document:
    """Image files as the pages of one report, in the order given."""
    _engine()  # say OCR is missing before reading any page
    frames: list[np.ndarray] = []
    for i, path in enumerate(paths):
        data = datas[i] if datas is not None else Path(path).read_bytes()
        frames += _image_frames(data, Path(path).name)
    if len(frames) > MAX_PAGES:
        raise ReadError(_("{n} pages is more than OCR reads in one report ({most})").format(
            n=len(frames), most=MAX_PAGES))
    pages = []
    for n, frame in enumerate(frames, start=1):
        limits.check()
        if progress:
            progress(n, len(frames))
        pages.append(read_page(frame, n))
    return _document(pages, name or Path(paths[0]).name,
                     _("{n} page images").format(n=len(frames)))


def render_pdf(path: Path, data: bytes | None = None) -> list[tuple[np.ndarray, int]]:
    """Each page of a PDF as an image (144 dpi), with the characters its text layer draws."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data if data is not None else str(path))
    except pdfium.PdfiumError:
        raise ReadError(_("truncated or damaged PDF")) from None
    try:
        if len(pdf) > MAX_PAGES:
            raise ReadError(_("{n} pages is more than OCR reads in one report ({most})").format(
                n=len(pdf), most=MAX_PAGES))
        out = []
        for page in pdf:
            chars = page.get_textpage().count_chars()
            out.append((page.render(scale=RENDER_SCALE).to_numpy(), chars))
        return out
    finally:
        pdf.close()


def read_scanned_pdf(path: Path, name: str = "", progress: Progress | None = None,
                     data: bytes | None = None, reason: str = "",
                     unmapped: bool = False) -> Document:
    """A PDF whose text layer is missing or unusable (``reason``), read from its rendered pages.

    ``unmapped``: the text layer is there but its font has no Unicode map. When a page that
    draws characters then renders without text that OCR finds (a font that is not embedded
    renders blank), the file is refused with the reason rather than archived half-read.
    """
    # a font drawn in a stand-in is refused first: OCR could not read it even where installed
    if unmapped and (fonts := _stand_ins(path, data)):
        raise NeedsOcr(_("{reason}; OCR cannot read it either: the font ({fonts}) is not "
                         "embedded, so the pages are drawn in a stand-in font").format(
                             reason=reason, fonts="、".join(sorted(fonts))), "no-unicode-map")
    _engine()
    rendered = render_pdf(path, data)
    pages = []
    for n, (image, drawn) in enumerate(rendered, start=1):
        limits.check()
        if progress:
            progress(n, len(rendered))
        blocks = read_page(image, n)
        found = sum(len(_block_text(b)) for b in blocks)
        if unmapped and drawn > 20 and found < drawn * 0.3:
            raise NeedsOcr(_("{reason}; OCR cannot read it either: page {page} renders "
                             "without its text").format(reason=reason, page=n),
                           "no-unicode-map")
        pages.append(blocks)
    return _document(pages, name or path.name, _("rendered PDF pages: {n}").format(n=len(rendered)),
                     reason)


def _stand_ins(path: Path, data: bytes | None) -> set[str]:
    """Fonts without a Unicode map that the PDF does not embed (``pdfchars.stand_in_fonts``)."""
    import pdfplumber

    from goitui.readers.pdfchars import stand_in_fonts

    with pdfplumber.open(io.BytesIO(data) if data is not None else path) as pdf:
        return {name for page in pdf.pages for name in stand_in_fonts(page)}


def _block_text(block: _Part | _Text) -> str:
    if isinstance(block, _Text):
        return block.text
    return "".join(c.text for c in block.cells)
