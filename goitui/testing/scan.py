"""Generated reports printed on paper and scanned: page images whose every figure is known.

The OCR reader's test material and benchmark. A report from ``generate`` is laid out on A4
pages the way the published reports are (title, six sections, the three ruled tables with the
template's merged cells, a table running over a page break where it does not fit), drawn with
a CJK font, and then given what a scanner gives: a slight skew, grain and specks, JPEG
compression — and the agency's red stamp over a corner of a table. ``image_pdf`` packs the
pages as an image-only PDF (no text layer), as the sites publish them.

Needs Pillow (the OCR extra brings it) and a CJK font (``cjk_font``: Debian's
``fonts-wqy-microhei``, Noto CJK…); tests skip with that reason where there is none.
"""

from __future__ import annotations

import io
import math
import random
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from goitui import labels
from goitui.testing.generate import (
    FILLER,
    VALUE,
    Figures,
    Grid,
    build_grids,
    default_prose,
    expand,
    format_value,
)

DPI = 150
PAGE = (1240, 1754)  # A4 at 150 dpi
MARGIN = (130, 140)  # left/right, top/bottom
_KNOWN_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
#: column widths of each table, as shares of the text width (the template's proportions)
_WIDTHS = {"proactive": [0.31, 0.23, 0.23, 0.23],
           "applications": [0.05, 0.13, 0.24] + [0.58 / 7] * 7,
           "reviews": [1 / 15] * 15}


@lru_cache(maxsize=1)
def cjk_font() -> Path | None:
    """A font with Chinese glyphs on this machine, or None."""
    for known in _KNOWN_FONTS:
        if Path(known).exists():
            return Path(known)
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", ":lang=zh"], capture_output=True,
                               text=True, check=False).stdout.strip()
        if found and Path(found).exists() and found.lower().endswith((".ttc", ".ttf", ".otf")):
            return Path(found)
    return None


@dataclass
class _Sheet:
    """Pages being filled top to bottom."""

    font_path: Path
    pages: list[Any] = field(default_factory=list)
    y: int = 0
    tables: list[list[tuple[int, int, int, int]]] = field(default_factory=list)  # per page

    def __post_init__(self) -> None:
        self.new_page()

    @property
    def draw(self) -> Any:
        from PIL import ImageDraw

        return ImageDraw.Draw(self.pages[-1])

    def new_page(self) -> None:
        from PIL import Image

        self.pages.append(Image.new("RGB", PAGE, "white"))
        self.tables.append([])
        self.y = MARGIN[1]

    def font(self, size: int) -> Any:
        return _font(str(self.font_path), size)

    def room(self, height: int) -> None:
        if self.y + height > PAGE[1] - MARGIN[1]:
            self.new_page()


@lru_cache(maxsize=16)
def _font(path: str, size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(path, size)


def _wrap(text: str, font: Any, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width`` (character by character, as CJK wraps)."""
    lines, line = [], ""
    for ch in text:
        if line and font.getlength(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def _paragraph(sheet: _Sheet, text: str, size: int = 24, indent: bool = True,
               center: bool = False) -> None:
    font = sheet.font(size)
    width = PAGE[0] - 2 * MARGIN[0]
    lead = "\u3000\u3000" if indent else ""
    for line in _wrap(lead + text, font, width):
        sheet.room(int(size * 1.7))
        x = MARGIN[0] + (width - font.getlength(line)) / 2 if center else MARGIN[0]
        sheet.draw.text((x, sheet.y), line, fill="black", font=font)
        sheet.y += int(size * 1.7)


def _table(sheet: _Sheet, grid: Grid, size: int = 19) -> None:
    """A ruled table with the template's merges; rows go on overleaf where they do not fit."""
    font = sheet.font(size)
    width = PAGE[0] - 2 * MARGIN[0]
    xs = [MARGIN[0]]
    for share in _WIDTHS[grid.table]:
        xs.append(xs[-1] + round(share * width))
    placed = expand(grid)
    pad, line_h = 8, int(size * 1.35)
    heights = [0] * len(placed)
    for r, row in enumerate(placed):
        for c, (cell, role) in enumerate(row):
            if role != "origin":
                continue
            w = xs[c + cell.colspan] - xs[c] - 2 * pad
            need = len(_wrap(cell.text, font, w)) * line_h + 2 * pad if cell.text else 0
            per_row = math.ceil(need / cell.rowspan)
            heights[r] = max(heights[r], per_row, line_h + 2 * pad)
            for extra in range(1, cell.rowspan):
                if r + extra < len(heights):
                    heights[r + extra] = max(heights[r + extra], per_row)
    sheet.room(heights[0] * 2)
    top = sheet.y
    start = 0
    for r in range(len(placed) + 1):
        if r < len(placed) and sheet.y + heights[r] <= PAGE[1] - MARGIN[1]:
            sheet.y += heights[r]
            continue
        _draw_rows(sheet, placed, xs, heights, start, r, top, font, pad, line_h)
        sheet.tables[-1].append((xs[0], top, xs[-1], sheet.y))
        if r == len(placed):
            break
        sheet.new_page()
        top, start = sheet.y, r
        sheet.y += heights[r]
    sheet.y += 24


def _draw_rows(sheet: _Sheet, placed: list[list[tuple[Any, str]]], xs: list[int],
               heights: list[int], start: int, end: int, top: int, font: Any, pad: int,
               line_h: int) -> None:
    """Rows ``start``–``end`` of a table on this page; a merged cell cut by the page break
    is drawn on both pages (its text where it begins, and again overleaf only if it is empty)."""
    draw = sheet.draw
    ys = [top]
    for h in heights[start:end]:
        ys.append(ys[-1] + h)
    done: set[int] = set()
    for r in range(start, end):
        for c, (cell, role) in enumerate(placed[r]):
            if id(cell) in done or (role != "origin" and r != start):
                continue
            if role == "right" and r == start:
                continue
            done.add(id(cell))
            rows = 1
            while r + rows < end and placed[r + rows][c][0] is cell:
                rows += 1
            x0, x1 = xs[c], xs[c + cell.colspan]
            y0, y1 = ys[r - start], ys[r - start + rows]
            draw.rectangle((x0, y0, x1, y1), outline="black", width=2)
            if cell.kind == FILLER or not cell.text or role != "origin":
                continue
            lines = _wrap(cell.text, font, x1 - x0 - 2 * pad)
            ty = y0 + (y1 - y0 - len(lines) * line_h) / 2
            for line in lines:
                lw = font.getlength(line)
                tx = x0 + (x1 - x0 - lw) / 2 if cell.kind == VALUE or lw < (x1 - x0) / 2 else x0 + pad
                draw.text((tx, ty), line, fill="black", font=font)
                ty += line_h


def _print(figures: Figures, template: str, agency: str, year: int, rng: random.Random,
           font: Path) -> _Sheet:
    sheet = _Sheet(font)
    bodies = default_prose(figures, agency, year, rng)
    grids = {g.table: g for g in build_grids(figures, template,
                                             lambda k, v: format_value(k, v, rng))}
    _paragraph(sheet, agency, 36, indent=False, center=True)
    _paragraph(sheet, f"{year}年政府信息公开工作年度报告", 36, indent=False, center=True)
    sheet.y += 20
    for num, title in labels.SECTION_TITLES.items():
        _paragraph(sheet, title, 26, indent=False)
        for table, section in labels.TABLE_SECTION.items():
            if section == num:
                _table(sheet, grids[table])
        for para in bodies.get(num, "").split("\n"):
            if para:
                _paragraph(sheet, para)
    return sheet


def _font_or_fail(font: Path | None) -> Path:
    found = font or cjk_font()
    if found is None:
        raise RuntimeError("no CJK font on this machine (apt-get install fonts-wqy-microhei)")
    return found


def render_pages(figures: Figures, template: str, *, agency: str, year: int,
                 rng: random.Random | None = None, font: Path | None = None) -> list[Any]:
    """A report printed on A4 pages (PIL images, 150 dpi), clean as from the printer."""
    rng = rng or random.Random(f"{agency}{year}scan")
    return _print(figures, template, agency, year, rng, _font_or_fail(font)).pages


def _stamp(agency: str, font: Path, rng: random.Random) -> Any:
    """The agency's red seal: a ring, a star and its name, in translucent red ink."""
    from PIL import Image, ImageDraw

    size = 260
    seal = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(seal)
    draw.ellipse((6, 6, size - 6, size - 6), outline=255, width=9)
    cx = cy = size / 2
    star = [(cx + 40 * math.cos(math.radians(90 + 144 * i)),
             cy - 40 * math.sin(math.radians(90 + 144 * i))) for i in range(5)]
    draw.polygon(star, fill=255)
    text_font = _font(str(font), 30)
    name = agency[:10]
    for i, ch in enumerate(name):
        angle = math.radians(200 - i * (220 / max(len(name) - 1, 1)))
        x = cx + 95 * math.cos(angle) - 15
        y = cy - 95 * math.sin(angle) - 15
        draw.text((x, y), ch, fill=255, font=text_font)
    return seal.rotate(rng.uniform(-30, 30))


def scan(page: Any, *, rng: random.Random, skew: float | None = None,
         stamp_at: tuple[int, int] | None = None, agency: str = "", font: Path | None = None,
         quality: int = 70) -> Any:
    """A printed page as a scanner gives it back: stamped (centred on ``stamp_at``), skewed,
    grainy, JPEG-compressed."""
    import numpy as np
    from PIL import Image, ImageFilter

    pixels = np.asarray(page).astype(float)
    if stamp_at is not None and font is not None:
        seal = np.asarray(_stamp(agency, font, rng)).astype(float) / 255 * 0.8
        h, w = seal.shape
        x, y = stamp_at[0] - w // 2, stamp_at[1] - h // 2
        region = pixels[y:y + h, x:x + w]
        seal = seal[:region.shape[0], :region.shape[1], None]
        # red ink multiplies what is printed: black stays black, white paper turns red
        region *= 1 - seal + seal * np.array([215, 30, 40]) / 255
    image = Image.fromarray(pixels.astype(np.uint8))
    angle = skew if skew is not None else rng.uniform(-1.5, 1.5)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor="white")
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    grain = np.random.default_rng(rng.randrange(2**32))
    pixels = np.asarray(image).astype(float) + grain.normal(0, 10, (PAGE[1], PAGE[0], 1))
    pixels[grain.random((PAGE[1], PAGE[0])) < 0.0008] = 40  # specks of dust
    out = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=quality)
    out.seek(0)
    return Image.open(out).convert("RGB")


def scanned_report(figures: Figures, template: str, *, agency: str, year: int,
                   rng: random.Random, font: Path | None = None) -> list[Any]:
    """A report's pages, printed and scanned; the seal over the corner of a table in the
    middle of the report."""
    font = _font_or_fail(font)
    sheet = _print(figures, template, agency, year, rng, font)
    middle = len(sheet.pages) // 2
    out = []
    for i, page in enumerate(sheet.pages):
        tables = sheet.tables[i]
        stamp_at = (tables[-1][2] - 40, tables[-1][3] - 30) if tables and i == middle else None
        out.append(scan(page, rng=rng, stamp_at=stamp_at, agency=agency, font=font))
    return out


def image_pdf(pages: list[Any], path: Path) -> Path:
    """Pages as an image-only PDF (JPEG pages, no text layer), as scans are published."""
    pages[0].save(path, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    return path
