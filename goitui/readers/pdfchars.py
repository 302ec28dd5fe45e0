"""A PDF page's glyphs as a reader sees them, before any table or paragraph is read from them.

Publishers print things a text layer reports literally: bold faked by painting every glyph twice
a fraction of a point apart (``16`` reads ``1166``), a site stamp drawn diagonally over every
page, a table turned sideways on a portrait page, fonts whose glyphs pdfminer cannot name. Each
is undone here so the table and paragraph code sees one upright glyph per printed character.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfplumber.page import FilteredPage

Obj = dict[str, Any]

_OVERPRINT = 1.0  # points: copies of a glyph this close are one glyph printed bold
_OBLIQUE = 3.0  # degrees off a right angle beyond which a glyph is a stamp, not text


def with_objects(page: Any, objects: dict[str, list[Obj]],
                 size: tuple[float, float] | None = None) -> Any:
    """A pdfplumber page holding ``objects`` (and, when given, a new width and height)."""
    view = FilteredPage(page, lambda obj: True)
    view._objects = objects  # noqa: SLF001 - pdfplumber's own dedupe_chars does the same
    if size is not None:
        view.bbox = (0.0, 0.0, size[0], size[1])
    return view


def drop_overprints(chars: list[Obj]) -> list[Obj]:
    """Keep one of each glyph painted several times on (almost) the same spot: fake bold.

    Copies share text, font and size and sit less than a point (and a third of the glyph) apart;
    two real characters, even the two 1s of 11, are a glyph's width apart.
    """
    kept: list[Obj] = []
    seen: dict[tuple[Any, ...], list[Obj]] = {}
    for ch in chars:
        key = (ch["text"], ch.get("fontname"), round(ch.get("size", 0), 1), ch.get("upright"))
        tolerance = min(_OVERPRINT, 0.3 * (ch.get("size") or 3.0))
        gx, gy = int(ch["x0"] // 2), int(ch["top"] // 2)
        if any(abs(t["x0"] - ch["x0"]) <= tolerance and abs(t["top"] - ch["top"]) <= tolerance
               for dx in (-1, 0, 1) for dy in (-1, 0, 1)
               for t in seen.get((*key, gx + dx, gy + dy), ())):
            continue
        seen.setdefault((*key, gx, gy), []).append(ch)
        kept.append(ch)
    return kept


def angle(ch: Obj) -> float:
    """The direction a glyph's baseline runs, in degrees counter-clockwise (0 = left to right)."""
    a, b = ch["matrix"][0], ch["matrix"][1]
    return math.degrees(math.atan2(b, a)) % 360


def quadrant(ch: Obj) -> int | None:
    """0, 90, 180 or 270 for text printed along a page edge; None for oblique glyphs."""
    turn = angle(ch)
    nearest = round(turn / 90) * 90
    if abs(turn - nearest) > _OBLIQUE:
        return None
    return int(nearest) % 360


def _lightness(color: Any) -> float:
    """0 for black, 1 for white, from a gray, RGB or CMYK fill colour."""
    if not isinstance(color, (tuple, list)) or not color:
        return 0.0
    values = [float(v) for v in color if isinstance(v, (int, float))]
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        return sum(values) / 3
    if len(values) == 4:
        c, m, y, k = values
        return (1 - k) * (1 - max(c, m, y))
    return 0.0


def drop_watermarks(chars: list[Obj]) -> list[Obj]:
    """Leave out a stamp over the page: glyphs printed at a slant, or pale and oversized.

    Report text runs along the page edges; a site name and date stamped diagonally does not.
    A stamp printed level is told by its pale colour and a size far above the body text's, or,
    made faint by transparency, by that size and its glyphs lying over the text; one printed up
    a margin by its pale colour and a direction other than the text's.
    """
    level = [ch for ch in chars if quadrant(ch) is not None]
    if not level:
        return level
    body = statistics.median(ch.get("size") or 0.0 for ch in level)
    main = main_turn(level)
    kept = [ch for ch in level
            if not (_lightness(ch.get("non_stroking_color")) >= 0.6
                    and ((ch.get("size") or 0.0) > 1.8 * body or quadrant(ch) != main))]
    # a glyph's size is its upright height: only an upright page's sizes compare
    return _without_stamps_over_text(kept, 1.8 * body) if main == 0 else kept


def _without_stamps_over_text(chars: list[Obj], oversized: float) -> list[Obj]:
    """Leave out a level stamp made faint by transparency (which pdfminer does not report as a
    colour): a line of oversized glyphs printed over the report's own text. A title is as
    large, but never drawn on top of other text."""
    big = [ch for ch in chars if (ch.get("size") or 0.0) > oversized and ch.get("upright", True)]
    if not big:
        return chars
    small = [ch for ch in chars if (ch.get("size") or 0.0) <= oversized]
    cells: dict[tuple[int, int], list[Obj]] = {}
    for ch in small:
        for gx in range(int(ch["x0"] // 20), int(ch["x1"] // 20) + 1):
            cells.setdefault((gx, int(ch["top"] // 20)), []).append(ch)

    def over_text(ch: Obj) -> bool:
        return any(o["x0"] < ch["x1"] and ch["x0"] < o["x1"] and o["top"] < ch["bottom"]
                   and ch["top"] < o["bottom"]
                   for gx in range(int(ch["x0"] // 20), int(ch["x1"] // 20) + 1)
                   for gy in range(int(ch["top"] // 20), int(ch["bottom"] // 20) + 1)
                   for o in cells.get((gx, gy), ()))

    runs: dict[tuple[int, float], list[Obj]] = {}
    for ch in big:
        runs.setdefault((round(ch["top"]), round(ch.get("size") or 0.0, 1)), []).append(ch)
    stamped = {id(ch) for run in runs.values() if any(over_text(ch) for ch in run) for ch in run}
    return [ch for ch in chars if id(ch) not in stamped] if stamped else chars


def _turn_box(obj: Obj, turn: int, width: float, height: float) -> tuple[float, ...]:
    """(x0, top, x1, bottom) of a box after the page is turned so text at ``turn`` is level."""
    x0, top, x1, bottom = obj["x0"], obj["top"], obj["x1"], obj["bottom"]
    if turn == 90:  # text runs upwards: turn the page clockwise
        return height - bottom, x0, height - top, x1
    if turn == 270:  # text runs downwards: turn the page counter-clockwise
        return top, width - x1, bottom, width - x0
    return width - x1, height - bottom, width - x0, height - top  # upside down


def _turn_point(x: float, top: float, turn: int, width: float, height: float) -> tuple[float, float]:
    if turn == 90:
        return height - top, x
    if turn == 270:
        return top, width - x
    return width - x, height - top


def turn_objects(objects: dict[str, list[Obj]], turn: int, width: float, height: float,
                 doctop: float) -> tuple[dict[str, list[Obj]], tuple[float, float]]:
    """Every object of a page as it lies once the page is turned to make ``turn`` text level."""
    new_width, new_height = (height, width) if turn in (90, 270) else (width, height)
    out: dict[str, list[Obj]] = {}
    for kind, objs in objects.items():
        turned = []
        for obj in objs:
            if not all(k in obj for k in ("x0", "x1", "top", "bottom")):
                continue
            x0, top, x1, bottom = _turn_box(obj, turn, width, height)
            new = dict(obj)
            new.update(x0=x0, x1=x1, top=top, bottom=bottom, width=x1 - x0, height=bottom - top,
                       y0=new_height - bottom, y1=new_height - top, doctop=doctop + top)
            if "pts" in obj:
                new["pts"] = [_turn_point(px, pt, turn, width, height) for px, pt in obj["pts"]]
            if kind == "char":
                new["upright"] = True
            turned.append(new)
        out[kind] = turned
    return out, (new_width, new_height)


def main_turn(chars: Iterable[Obj]) -> int:
    """The direction most of a page's text runs in (0 for an ordinary page)."""
    counts: dict[int, int] = {}
    for ch in chars:
        q = quadrant(ch)
        if q is not None:
            counts[q] = counts.get(q, 0) + 1
    if not counts:
        return 0
    best = max(counts, key=lambda q: (counts[q], q == 0))
    return best if counts[best] > counts.get(0, 0) else 0


def _name(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        return str(value.name)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value or "")


def unmapped_fonts(page: Any) -> set[str]:
    """Names of the page's fonts whose glyphs have no Unicode: Identity encoding, no ToUnicode.

    With an Identity encoding a code is a glyph number in the embedded font; without a ToUnicode
    map nothing says which character the glyph draws, so any text read from it is a guess.
    """
    names: set[str] = set()
    for font, descriptors in _unmapped(page):
        names.add(_name(font.get("BaseFont")))
        names.update(_name(d.get("FontName")) for d in descriptors)
    names.discard("")
    return names


def stand_in_fonts(page: Any) -> set[str]:
    """The page's fonts without a Unicode map that the file does not embed either: a renderer
    draws them in a stand-in font, whose glyphs are not the characters printed, so not even
    OCR of the rendered page can read them."""
    return {_name(font.get("BaseFont")) or "?"
            for font, descriptors in [*_unmapped(page), *_symbolic(page)]
            if not any(key in d for d in descriptors
                       for key in ("FontFile", "FontFile2", "FontFile3"))}


_SIMPLE = frozenset({"TrueType", "Type1", "MMType1", "Type3"})
_SYMBOLIC = 4  # FontDescriptor /Flags bit 3: the glyphs are not of the standard Latin set


def symbolic_fonts(page: Any) -> set[str]:
    """Names of the page's simple fonts whose codes name only glyphs of the font: symbolic,
    with neither an /Encoding nor a ToUnicode map. A subset of a CJK font embedded this way
    (one byte a glyph, codes given out in the order the glyphs were used) reads as control
    codes and accented Latin letters: the text is there, its characters are not."""
    names = {_name(font.get("BaseFont")) for font, _d in _symbolic(page)}
    names.discard("")
    return names


def _symbolic(page: Any) -> Iterable[tuple[dict[str, Any], list[dict[str, Any]]]]:
    for font in _fonts(page):
        if _name(font.get("Subtype")) not in _SIMPLE or "ToUnicode" in font or "Encoding" in font:
            continue
        descriptor = resolve1(font.get("FontDescriptor")) or {}
        flags = resolve1(descriptor.get("Flags")) if isinstance(descriptor, dict) else None
        if isinstance(flags, int) and flags & _SYMBOLIC:
            yield font, [descriptor]


def not_a_character(ch: Obj) -> bool:
    """Text a font without a Unicode map gives for a code: a glyph number, a control code, or
    a letter of Latin-1's upper half (no Chinese report is written in those)."""
    text = ch["text"]
    return text.startswith("(cid:") or any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0xFF for c in text)


def _fonts(page: Any) -> Iterable[dict[str, Any]]:
    resources = resolve1(getattr(page.page_obj, "resources", None) or {})
    fonts = resolve1(resources.get("Font", {})) if isinstance(resources, dict) else {}
    if not isinstance(fonts, dict):
        return
    for ref in fonts.values():
        font = resolve1(ref)
        if isinstance(font, dict):
            yield font


def _unmapped(page: Any) -> Iterable[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each Type0 font of the page with an Identity encoding and no ToUnicode map, with the
    font descriptors of its descendant fonts."""
    for font in _fonts(page):
        if _name(font.get("Subtype")) != "Type0":
            continue
        if "ToUnicode" in font or not _name(font.get("Encoding")).startswith("Identity"):
            continue
        descriptors = []
        for descendant in resolve1(font.get("DescendantFonts")) or []:
            descriptor = resolve1(resolve1(descendant).get("FontDescriptor")) or {}
            if isinstance(descriptor, dict):
                descriptors.append(descriptor)
        yield font, descriptors


def is_glyph_number(ch: Obj) -> bool:
    """pdfminer's ``(cid:N)``: a glyph it could not name."""
    return ch["text"].startswith("(cid:")


class PdfiumText:
    """The pypdfium2 text layer of a PDF, asked only where pdfminer gives glyph numbers.

    pdfminer cannot name the glyphs of some fonts in encrypted files (the font's registry
    strings are encrypted too); PDFium reads the same glyphs through the encoding's CMap.
    """

    def __init__(self, source: Path | bytes) -> None:
        self.source = source
        self._doc: Any = None

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None

    def _glyphs(self, index: int, height: float) -> list[tuple[str, float, float]]:
        import pypdfium2

        if self._doc is None:
            self._doc = pypdfium2.PdfDocument(self.source)
        page = self._doc[index]
        textpage = page.get_textpage()
        out = []
        try:
            for i in range(textpage.count_chars()):
                text = textpage.get_text_range(i, 1)
                if not text.strip():
                    continue
                left, bottom, right, top = textpage.get_charbox(i, loose=True)
                out.append((text, (left + right) / 2, height - (bottom + top) / 2))
        finally:
            textpage.close()
            page.close()
        return out

    def name_glyphs(self, chars: list[Obj], index: int, height: float) -> list[Obj]:
        """The chars with each ``(cid:N)`` replaced by PDFium's character at the same spot."""
        if not any(is_glyph_number(ch) for ch in chars):
            return chars
        glyphs = self._glyphs(index, height)
        buckets: dict[tuple[int, int], list[tuple[str, float, float]]] = {}
        for glyph in glyphs:
            buckets.setdefault((int(glyph[1] // 10), int(glyph[2] // 10)), []).append(glyph)
        out = []
        for ch in chars:
            if is_glyph_number(ch):
                cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
                near = [g for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                        for g in buckets.get((int(cx // 10) + dx, int(cy // 10) + dy), [])]
                reach = max(ch["x1"] - ch["x0"], ch["bottom"] - ch["top"]) / 2
                best = min(near, key=lambda g: (g[1] - cx) ** 2 + (g[2] - cy) ** 2, default=None)
                if best is not None and abs(best[1] - cx) <= reach and abs(best[2] - cy) <= reach:
                    ch = {**ch, "text": best[0]}
            out.append(ch)
        return out
