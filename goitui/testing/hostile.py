"""Hostile files, made at any size: the inputs that once held up an import for minutes, ate
gigabytes or drove the terminal (tests and ``benchmarks/stress.py``).

Each builder takes its size, so that a test can make the same kind small and four times as
large and check that the cost grows about linearly (``growth``), while the stress benchmark
makes it at the size it was found at. The PDFs are written by hand (a few objects and an
xref table) where a library would refuse to write a lie, and with reportlab (a test
dependency) where they must hold real text.
"""

from __future__ import annotations

import base64
import gc
import random
import time
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from goitui.testing import generate

#: the six section titles, as heading-like lines repeat them
TITLES = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
          "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项")

WORD_NAMESPACE = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
#: one empty paragraph of ``docx``'s body
PARAGRAPH = b'<w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:t></w:t></w:r></w:p>'


def report(agency: str, year: int, seed: int | None = None) -> str:
    """An ordinary generated report (2021 template, tab rows) for ``agency`` and ``year``."""
    rng = random.Random(year if seed is None else seed)
    figures = generate.make_figures("2021", rng)
    return generate.render(figures, "2021", "tabs", agency=agency, year=year,
                           rng=random.Random(year if seed is None else seed))


def heading_lines(count: int) -> str:
    """A title and ``count`` lines that all look like section headings (the chain search
    compared every pair: 50,000 lines kept an import busy over 300 s)."""
    lines = ["某县人民政府2021年政府信息公开工作年度报告"]
    lines += [f"{'一二三四五六'[i % 6]}、{TITLES[i % 6]}" for i in range(count)]
    return "\n".join(lines)


def page(body: str) -> str:
    """A saved web page with a report's title and ``body``."""
    return ("<html><head><meta charset='utf-8'></head><body>"
            f"<h1>某镇人民政府2022年政府信息公开工作年度报告</h1>{body}</body></html>")


def rowspans(rows: int) -> str:
    """A page whose table cells each span 100,000 rows and 1,000 columns (131 KB took 172 s
    and 3.8 GB)."""
    cells = "".join(f'<tr><td rowspan="100000" colspan="1000">本年新收{i}</td></tr>'
                    for i in range(rows))
    return page(f"<p>三、收到和处理政府信息公开申请情况</p><table>{cells}</table>")


def deep_divs(blocks: int, depth: int = 250) -> str:
    """``blocks`` sections each nested ``depth`` ``<div>``s deep (every element walked its
    whole subtree: 4.5 MB took 110 s)."""
    block = "<div>" * depth + "<p>一、总体情况</p><p>本镇稳步推进。</p>" + "</div>" * depth
    return page(block * blocks)


def docx(path: Path, paragraphs: int, declared: int | None = None) -> Path:
    """A .docx whose ``document.xml`` holds a heading and ``paragraphs`` empty paragraphs;
    ``declared``: the size its central directory claims instead of the true one (a 1 MB file
    that lied took 2.1 GB)."""
    block = PARAGRAPH * 1000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f"<w:document {WORD_NAMESPACE}><w:body><w:p><w:r><w:t>一、总体情况"
                       "</w:t></w:r></w:p>".encode())
            for _ in range(paragraphs // 1000):
                part.write(block)
            part.write(b"</w:body></w:document>")
    if declared is not None:
        data = bytearray(path.read_bytes())
        at = data.find(b"PK\x01\x02")  # the central directory's entry: its uncompressed size
        data[at + 24:at + 28] = declared.to_bytes(4, "little")
        path.write_bytes(bytes(data))
    return path


def pdf(path: Path, objects: Sequence[bytes]) -> Path:
    """A PDF of these objects (numbered from 1; the first is the catalog), with its xref."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _flate(size: int) -> bytes:
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    whole, rest = divmod(size, len(chunk))
    return b"".join(packer.compress(chunk) for _ in range(whole)) + packer.compress(
        b" " * rest) + packer.flush()


def _run_length(size: int) -> bytes:
    """RunLengthDecode: a length byte 129–255 repeats the next byte 257 − length times, 0–127
    copies the next length + 1 bytes, 128 ends."""
    runs, rest = divmod(size, 128)
    tail = b"" if not rest else (b"\x00 " if rest == 1 else bytes([257 - rest]) + b" ")
    return b"\x81 " * runs + tail + b"\x80"


def _ascii_hex(size: int) -> bytes:
    return b"20" * size + b">"


def _ascii85(size: int) -> bytes:
    return base64.a85encode(b" " * size) + b"~>"


def _lzw(size: int) -> bytes:
    """LZWDecode of ``size`` spaces: each code stands for a run one longer than the last (the
    code the reader adds as it reads it), so a table of 4,094 codes holds ~8 MB; the table is
    cleared when full. Code widths follow the reader's table (9–12 bits, early change)."""
    codes, left, run, table, first = [256], size, 0, 258, True
    widths = [9]
    width = 9
    while left:
        take = min(run + 1, left)
        codes.append(32 if take == 1 else 256 + take)
        widths.append(width)
        left -= take
        run = take
        if first:
            first = False
        else:
            table += 1
            width = {511: 10, 1023: 11, 2047: 12}.get(table, width)
        if table >= 4094 and left:
            codes.append(256)
            widths.append(width)
            run, table, first, width = 0, 258, True, 9
    codes.append(257)
    widths.append(width)
    bits = "".join(format(code, f"0{w}b") for code, w in zip(codes, widths))
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big") if bits else b""


#: each filter a stream bomb can use: its name in the PDF and how to make ``n`` bytes of it
FILTERS: dict[str, Callable[[int], bytes]] = {
    "FlateDecode": _flate,
    "LZWDecode": _lzw,
    "RunLengthDecode": _run_length,
    "ASCIIHexDecode": _ascii_hex,
    "ASCII85Decode": _ascii85,
}


def stream_bomb(path: Path, inflated: int, filters: Sequence[str] = ("FlateDecode",)) -> Path:
    """A one-page PDF whose content stream decodes to ``inflated`` bytes of spaces through
    ``filters`` (applied in the order given when read: the first one is undone first). A
    1 MB file with one 1 GiB Flate stream took 2.1 GB."""
    stream = b" " * 0
    for position, name in enumerate(reversed(filters)):
        if position == 0:
            stream = FILTERS[name](inflated)
        elif name == "FlateDecode":
            stream = zlib.compress(stream, 9)
        elif name == "ASCIIHexDecode":
            stream = stream.hex().encode() + b">"
        elif name == "ASCII85Decode":
            stream = base64.a85encode(stream) + b"~>"
        else:
            raise ValueError(f"{name} only as the innermost filter")
    names = b"[" + b" ".join(b"/" + f.encode() for f in filters) + b"]"
    return pdf(path, [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), names) + stream
        + b"\nendstream"])


def prose_pdf(path: Path, pages: int) -> Path:
    """A report of ``pages`` pages of prose (a title, one heading, 44 lines a page), no table:
    500 pages took 1.5 GB and ran past the 300 s time limit."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    drawn = canvas.Canvas(str(path))
    sentence = "本机关认真贯彻落实政府信息公开条例，持续推进政务公开工作，主动公开政府信息。"
    for number in range(pages):
        drawn.setFont("STSong-Light", 10.5)
        if number == 0:
            drawn.drawString(72, 790, "某县人民政府2021年政府信息公开工作年度报告")
            drawn.drawString(72, 770, "一、总体情况")
        for line in range(44):
            drawn.drawString(72, 750 - line * 16, sentence)
        drawn.showPage()
    drawn.save()
    return path


def password_pdf(path: Path, user_password: str) -> Path:
    """A one-page PDF encrypted with ``user_password`` (empty: an owner password only)."""
    from pypdf import PdfWriter
    from reportlab.pdfgen import canvas

    plain = path.with_suffix(".plain.pdf")
    drawn = canvas.Canvas(str(plain))
    drawn.drawString(72, 720, "2021")
    drawn.save()
    writer = PdfWriter(clone_from=plain)
    writer.encrypt(user_password=user_password, owner_password="owner-only", algorithm="AES-128")
    writer.write(path)
    plain.unlink()
    return path


def names(folder: Path) -> Path:
    """Reports whose agency names hold a terminal escape, a bidi override and a zero-width
    space, one in a file whose name holds a line break, and one with a stray NUL."""
    folder.mkdir(parents=True, exist_ok=True)
    reports = {"escapes.txt": report("临泽\x1b[8m县人民政府", 2021),
               "bidi.txt": report("临泽县人民\u202e政府", 2022),
               "zero-width.txt": report("临泽\u200b县人民政府", 2023),
               "two\nlines.txt": report("临泽县人民政府", 2020)}
    for name, text in reports.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "nul.txt").write_text(report("高台县人民政府", 2021).replace(
        "总体情况", "总体\x00情况", 1), encoding="utf-8")
    return folder


def cost(work: Callable[[], Any], repeat: int = 3) -> float:
    """The CPU seconds ``work`` takes, the least of ``repeat`` runs (another process on the
    machine slows a run down, never speeds it up)."""
    best = float("inf")
    for _ in range(repeat):
        # the collector's full rounds grow with the heap the larger input leaves behind, not
        # with the work measured: collect first, and keep it out of the timed run
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            work()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def growth(work: Callable[[Any], Any], make: Callable[[int], Any], size: int,
           factor: int = 4) -> float:
    """How many times more ``work`` costs on ``make(factor * size)`` than on ``make(size)``:
    about ``factor`` for linear work, ``factor ** 2`` for quadratic. The inputs are made
    before timing; a test asserts the ratio well below quadratic (8 for 4×), which a noisy
    machine does not reach while quadratic work cannot stay under it."""
    small, large = make(size), make(factor * size)
    return cost(lambda: work(large)) / max(cost(lambda: work(small)), 1e-6)
