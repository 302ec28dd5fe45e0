"""Normalizing printed text: label keys for matching, and cell values exactly as printed.

Reports mix full-width and ASCII punctuation, NBSP and ideographic spaces, traditional
characters from mirror sites and markdown decoration. Matching works on a normalized *key*;
the raw text is always kept beside it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from goitui.model import BLANK, NUMBER, PLACEHOLDER, UNREADABLE

# traditional forms seen in mirrored reports, limited to characters of the template's labels:
# every character zhconv's zh-tw, zh-hk and zh-hant conversions of labels.py and headings.py
# change (屬於, 關係, 補正 …), so a report converted whole still matches its rows
_TRAD_PAIRS = ("條条項项數数處处決决規规範范許许證证強强製制費费額额單单萬万開开總总計计報报書书務务資资訊讯關关與与應应當当時时門门請请復复議议訴诉審审結结維维糾纠體体況况問问題题進进類类護护權权國国執执檔档詢询現现確确獲获專专機机構构會会組组織织內内訪访舉举複复繳缴納纳無无發发廢废錄录區区縣县鎮镇鄉乡廳厅辦办員员級级對对經经營营產产業业術术準准過过險险穩稳實实義义導导劃划補补預预為为"
               "係系動动屬属後后採采據据於于沒没減减爲为祕秘繼继續续罰罚覆复訟讼認认購购轉转這这")
_TRAD_TABLE = str.maketrans(_TRAD_PAIRS[0::2], _TRAD_PAIRS[1::2])
#: the characters ``fold`` changes in a name of Chinese characters only (the rest it keeps)
FOLDED_HAN = _TRAD_PAIRS[0::2]

#: characters only traditional text uses (a site's 繁體 view): such text is converted to match it
_TRADITIONAL = re.compile(r"[們國開發報數縣鄉鎮區關與會條資訊處時經過實這個為體總計務員歲當證據]")

_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_NOT_WORD = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")
_PARENS = re.compile(r"[(\[（【][^()\[\]（）【】]*[)\]）】]|[(（][^()（）]*$")


@lru_cache(maxsize=65536)
def clean(s: str) -> str:
    """Collapse every kind of space and strip markdown decoration, keeping the characters
    that show (zero-width and bidi format characters print nothing: they go)."""
    s = _FORMAT.sub("", s.replace("**", "").replace("__", ""))
    return _SPACE.sub(" ", s).strip().strip("|").strip()


def is_traditional(s: str) -> bool:
    """Whether ``s`` is printed in traditional characters (a character only they use)."""
    return _TRADITIONAL.search(s) is not None


def simplified(s: str) -> str:
    """``s`` in simplified characters (zhconv), for matching; unchanged when it is simplified.
    The printed form is what goi keeps and shows."""
    if _TRADITIONAL.search(s) is None:
        return s
    import zhconv  # type: ignore[import-untyped]  # only for the few texts in traditional

    # a page converted with Taiwan's words (zh-tw) prints 信息 as 資訊, which zhconv leaves
    # as 资讯: the report's 政府信息公开 is matched only in its own words
    return str(zhconv.convert(s, "zh-cn")).replace("资讯", "信息")


def fold_uncached(s: str) -> str:
    """NFKC, simplified characters, no spaces: the form every comparison uses."""
    s = unicodedata.normalize("NFKC", s).translate(_TRAD_TABLE).lower()
    if "资讯" in s:  # Taiwan's word for 信息 (a zh-tw conversion): the labels' own word
        s = s.replace("资讯", "信息")
    return _FORMAT.sub("", _SPACE.sub("", s))


#: labels and cells recur across reports: cached (long one-off texts use fold_uncached)
fold = lru_cache(maxsize=65536)(fold_uncached)


def label_key(s: str) -> str:
    """A label reduced to its letters and digits: ``（一）予以公开`` → ``一予以公开``."""
    return _NOT_WORD.sub("", fold(s))


def label_key_uncached(s: str) -> str:
    return _NOT_WORD.sub("", fold_uncached(s))


def core_key(s: str) -> str:
    """A label key without parenthesized notes or leading numbering, for fuzzy matching."""
    f = fold(s)
    f = _PARENS.sub("", f) if not f.startswith(("(", "（")) else f[:3] + _PARENS.sub("", f[3:])
    k = _NOT_WORD.sub("", f)
    return re.sub(r"^(?:[一二三四五六七八九十]+|\d+)(?=[\u4e00-\u9fff])", "", k)


PLACEHOLDERS = frozenset({"/", "／", "-", "－", "—", "——", "–", "―", "无", "無", "不适用", "\\",
                          "×", "n/a", "na", "--", "－－"})

_NUM = re.compile(
    r"^(?:(?P<currency>[¥￥]|人民币)\s*)?(?P<sign>[+\-−－])?\s*"
    r"(?P<int>\d{1,3}(?:[,，]\d{3})+|\d{1,3}(?: \d{3})+|\d+)"
    r"(?:[.．](?P<frac>\d+))?\s*(?:(?P<unit>万元|千元|亿元|元|万|件|个|条|项|次|人次|%)整?)?$"
)
#: a unit written in brackets after the number: ``3200（元）``, ``0.32(万元)``
_BRACKETED_UNIT = re.compile(r"^(?P<number>[^（()）]+?)\s*[（(]\s*(?P<unit>万元|千元|亿元|元|件|个|条|项)\s*[）)]$")
#: a footnote's mark after a number: ``8①``, ``12⑵``, ``5注1`` (NFKC would make ``8①`` 81)
_FOOTNOTE_MARK = re.compile(r"^(?P<number>[^①-⒇❶-❿]+?)\s*(?:[①-⒇❶-❿]|[\[［]\s*\d\s*[\]］]|注\s*\d?|※|△)$")
#: a note after a cell's number: ``3（其中修订2件）``, ``55(含自然失效29件)``
_NOTE = re.compile(r"^(?P<number>[^（()）]+?)\s*[（(][^（()）]*[）)]$")


@dataclass(frozen=True)
class Value:
    kind: str
    value: int | float | None
    unit: str | None
    raw: str


@lru_cache(maxsize=65536)
def parse_value(raw: str) -> Value:
    """Read one cell. Blank is blank, never 0; a placeholder is printed but not a number.

    Within one cell, ``2 008`` is one number (a thousands space, as ``2,008``), and a note in
    parentheses after the number (``3（其中修订2件）``) is a note: the number is read, the whole
    cell stays the raw text. So is a footnote's mark (``8①``, ``12注1``: never 81 or 121); a
    unit in brackets (``3200（元）``), after 整 (``3200元整``) or as a currency sign (``¥3,200``)
    is the cell's unit, so a column in 万元 converts it rather than storing 3200.
    """
    s = clean(raw).strip("*").strip()
    if not s:
        return Value(BLANK, None, None, raw)
    marked = _FOOTNOTE_MARK.match(s) or _BRACKETED_UNIT.match(s)
    if marked:
        inner = parse_value(marked["number"] + (marked.groupdict().get("unit") or ""))
        if inner.kind == NUMBER:
            return Value(NUMBER, inner.value, inner.unit, raw)
    norm = unicodedata.normalize("NFKC", s).strip()
    if norm.lower() in PLACEHOLDERS or s in PLACEHOLDERS:
        return Value(PLACEHOLDER, None, None, raw)
    m = _NUM.match(norm)
    if not m:
        noted = _NOTE.match(s)
        if noted:
            inner = parse_value(noted["number"])
            if inner.kind == NUMBER:
                return Value(NUMBER, inner.value, inner.unit, raw)
        return Value(UNREADABLE, None, None, raw)
    digits = re.sub(r"[,， ]", "", m["int"])
    if m["frac"] is not None:
        number: int | float = float(f"{digits}.{m['frac']}")
    else:
        number = int(digits)
    if m["sign"] in ("-", "−", "－"):
        number = -number
    unit = "万元" if m["unit"] == "万" else m["unit"]
    if m["currency"] and unit is None:
        unit = "元"  # ¥3,200.00: the currency sign is the unit
    elif m["currency"] and unit not in _MONEY_UNITS:
        return Value(UNREADABLE, None, None, raw)
    return Value(NUMBER, number, unit, raw)


_MONEY_UNITS = frozenset({"万元", "千元", "亿元", "元"})


#: units a money column in 万元 converts from, by their factor to 万元
_TO_WAN = {"万元": Decimal(1), "元": Decimal("0.0001"), "千元": Decimal("0.1"), "亿元": Decimal(10000)}
_MONEY = frozenset(_TO_WAN)
_COUNT = frozenset({"件", "个", "条", "项", "次", "人次"})
CONVERTED, WRONG_UNIT = "converted", "wrong unit"


def column_unit(key: str) -> str | None:
    """The unit of a figure's column: 万元 for ``*_wan``; ``None`` where the report's own unit
    is kept (``procurement.amount``); else a count (件, 条, 个…)."""
    leaf = key.rsplit(".", 1)[-1]
    if leaf.endswith("_wan"):
        return "万元"
    if leaf == "amount":
        return None
    return "件"


def in_column(value: Value, key: str) -> tuple[Value, str | None]:
    """A cell's value in its column's unit, and what was done: ``CONVERTED`` (``3200元`` in a
    万元 column is 0.32), ``WRONG_UNIT`` (a unit that cannot be converted: no number is stored,
    never a number in the wrong unit), or ``None`` when the cell needed nothing."""
    unit = column_unit(key)
    if value.kind != NUMBER or value.unit is None or unit is None or value.value is None:
        return value, None
    if unit == "万元" and value.unit in _MONEY:
        if value.unit == "万元":
            return value, None
        wan = Decimal(str(value.value)) * _TO_WAN[value.unit]
        number: int | float = int(wan) if wan == wan.to_integral_value() else float(wan)
        return Value(NUMBER, number, "万元", value.raw), CONVERTED
    if unit == "件" and value.unit in _COUNT:
        return value, None
    return Value(UNREADABLE, None, value.unit, value.raw), WRONG_UNIT


def is_value(raw: str) -> bool:
    """True for a cell that holds a number or a placeholder (not a label)."""
    return parse_value(raw).kind in (NUMBER, PLACEHOLDER)


#: a dash typed with the numeral 一, as many publishers type one (alone or mixed with dashes:
#: ``一``, ``一一``, ``—一``); never 二 or 〇, and never inside a label (``一、本年新收``)
_DASH_NUMERAL = re.compile(r"^(?=.*一)[一—―–\-－]{1,4}$")


def is_dash_numeral(raw: str) -> bool:
    """True for a cell of nothing but dashes typed as 一. It is a placeholder only where a
    value is expected (after a row's label, among its values): elsewhere 一 is a numeral of
    the row numbering, so ``parse_value`` alone never reads it as one."""
    return _DASH_NUMERAL.match(clean(raw).strip("*").strip()) is not None


def value_in_place(raw: str) -> Value:
    """A cell that stands where a value is expected: a dash typed as 一 is a placeholder there
    (raw kept), like ``—``; everything else as ``parse_value`` reads it."""
    if is_dash_numeral(raw):
        return Value(PLACEHOLDER, None, None, raw)
    return parse_value(raw)


_COLON_VALUE = re.compile(r"^(?P<label>.*\S)\s*[:：]\s*(?P<value>[+\-]?\d[\d,.]*\s*(?:万元|元|件|个|条|项)?)$")


def split_trailing_values(cell: str) -> tuple[str, list[str]]:
    """``一、本年新收… 21 0 0`` → (label, values): PDF text and space-separated runs.

    ``…发布总数量：57`` is a label with its value in the same cell as well.
    """
    label, values = _split_trailing(cell)
    return label, list(values)


@lru_cache(maxsize=65536)
def _split_trailing(cell: str) -> tuple[str, tuple[str, ...]]:
    m = _COLON_VALUE.match(clean(cell))
    if m and re.search(r"[\u4e00-\u9fff]", m["label"]):
        return m["label"], (m["value"],)
    parts = clean(cell).split(" ")
    i = len(parts)
    # a 一 among the values, or right after the label, is a dash (``2.重复申请 一 0 0``); the
    # first word is the label's own (``一 本年新收…`` numbers its row)
    while i > 0 and (is_value(parts[i - 1]) or i > 1 and is_dash_numeral(parts[i - 1])):
        i -= 1
    if i == len(parts) or parts[i:] == ["无"]:
        return cell, ()  # a lone 无 ends a sentence more often than a row
    return " ".join(parts[:i]), tuple(parts[i:])


#: characters that print nothing yet change what is shown: bidi overrides and isolates turn
#: text around (U+202E), zero-width ones make two names look alike (U+200B, U+200D)
FORMAT_CHARACTERS = ("\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                     "\u2066-\u206f\ufeff\ufff9-\ufffb")
_FORMAT = re.compile(f"[{FORMAT_CHARACTERS}]")
_CONTROL = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{FORMAT_CHARACTERS}]")
_CONTROL_OR_BREAK = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029{FORMAT_CHARACTERS}]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(s: str) -> str:
    """Report text made harmless for a terminal: control and format characters shown as
    escapes (``\\x1b``, ``\\u202e``), never obeyed; line breaks and tabs kept."""
    return _CONTROL.sub(_escape, s)


def one_line(s: str) -> str:
    """A name or path on a one-line result: as ``visible``, and a line break or tab in it
    (file names may hold them) shown as an escape too, so the result stays one line."""
    return _CONTROL_OR_BREAK.sub(_escape, s)


def format_number(v: int | float | None) -> str:
    """A figure as printed: every digit it has (``123456.78``, never ``123457``), without the
    float noise of a sum (``0.1 + 0.2`` shows ``0.3``)."""
    if v is None:
        return ""
    if isinstance(v, float):
        if abs(v) >= 1e15:
            return str(v)
        text = f"{v:.10f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    return str(v)
