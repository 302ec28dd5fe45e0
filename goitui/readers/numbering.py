"""Word list numbering: the ``一、``/``1.`` that Word prints before a paragraph but never stores in it.

A heading typed as ``总体情况`` with an automatic list prints as ``一、总体情况``; the number lives
in ``word/numbering.xml`` (and, for heading styles, in ``word/styles.xml``). Without rendering it,
the section titles lose their numerals and the report's structure is gone. ``ListNumbering``
replays Word's counters paragraph by paragraph, in document order, as Word does when it prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_DIGITS = "零一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PARENTHESIZED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def chinese_counting(n: int, digits: str = _DIGITS, units: str = "十百千") -> str:
    """``n`` (0–9999) in Chinese counting: 一, 十, 十一, 二十, 一百零五, as Word prints it."""
    if n <= 0 or n >= 10000:
        return str(n)
    parts: list[str] = []
    zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append(digits[0])
            zero = False
        parts.append(digits[d] + unit)
    text = "".join(parts)
    if 10 <= n < 20 and digits is _DIGITS:
        text = text[1:]  # 十一, not 一十一
    return text


def _letters(n: int, upper: bool) -> str:
    # Word repeats the letter: A … Z, AA … ZZ, AAA …
    letter = chr(ord("A" if upper else "a") + (n - 1) % 26)
    return letter * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in _ROMAN:
        while n >= value:
            out += numeral
            n -= value
    return out


def _enclosed(n: int, table: str) -> str:
    return table[n - 1] if 1 <= n <= len(table) else str(n)


def format_number(n: int, fmt: str) -> str:
    """One counter in one of Word's ``numFmt`` formats (unknown formats print as decimals)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "koreanCounting"):
        return chinese_counting(n)
    if fmt == "chineseLegalSimplified":
        return chinese_counting(n, _LEGAL, "拾佰仟")
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital"):
        return "".join("〇" if ch == "0" else _DIGITS[int(ch)] for ch in str(n))
    if fmt in ("ideographTraditional",):
        return _enclosed(n, _STEMS)
    if fmt in ("ideographZodiac",):
        return _enclosed(n, _BRANCHES)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _enclosed(n, _CIRCLED)
    if fmt == "decimalEnclosedParen":
        return _enclosed(n, _PARENTHESIZED)
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord(ch) + 0xFEE0) for ch in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        return _letters(n, fmt == "upperLetter")
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # the level whose new number restarts this one (lvlRestart)
    legal: bool = False  # isLgl: every counter shown as a decimal
    suffix: str = "tab"  # what follows the number: tab, space or nothing


@dataclass
class _List:
    key: str  # whose counters it uses: the abstract list, unless the instance restarts them
    levels: dict[int, _Level] = field(default_factory=dict)


def _val(el: etree._Element | None, default: str | None = None) -> str | None:
    return default if el is None else el.get(_W + "val", default)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _level(lvl: etree._Element, base: _Level | None = None) -> _Level:
    level = _Level(**vars(base)) if base else _Level()
    if (fmt := _val(lvl.find(_W + "numFmt"))) is not None:
        level.fmt = fmt
    if (text := _val(lvl.find(_W + "lvlText"))) is not None:
        level.text = text
    if lvl.find(_W + "start") is not None:
        level.start = _int(_val(lvl.find(_W + "start")), 1)
    if lvl.find(_W + "lvlRestart") is not None:
        level.restart = _int(_val(lvl.find(_W + "lvlRestart")), 0)
    if lvl.find(_W + "isLgl") is not None:
        level.legal = _val(lvl.find(_W + "isLgl"), "1") not in ("0", "false", "off")
    if (suffix := _val(lvl.find(_W + "suff"))) is not None:
        level.suffix = suffix
    return level


class ListNumbering:
    """The printed list number of each numbered paragraph, in the order they are asked for."""

    def __init__(self, numbering_xml: etree._Element | None,
                 styles_xml: etree._Element | None) -> None:
        self._lists: dict[str, _List] = {}
        self._style_num: dict[str, tuple[str | None, int | None]] = {}
        self._style_base: dict[str, str] = {}
        self._counters: dict[str, dict[int, int]] = {}
        if styles_xml is not None:
            self._read_styles(styles_xml)
        if numbering_xml is not None:
            self._read_numbering(numbering_xml)

    def _read_styles(self, root: etree._Element) -> None:
        for style in root.iter(_W + "style"):
            sid = style.get(_W + "styleId")
            if not sid:
                continue
            if (based := _val(style.find(_W + "basedOn"))) is not None:
                self._style_base[sid] = based
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                self._style_num[sid] = (_val(num_pr.find(_W + "numId")),
                                        _int(_val(num_pr.find(_W + "ilvl")), 0)
                                        if num_pr.find(_W + "ilvl") is not None else None)

    def _read_numbering(self, root: etree._Element) -> None:
        abstract: dict[str, etree._Element] = {
            a.get(_W + "abstractNumId", ""): a for a in root.iter(_W + "abstractNum")}
        for num in root.iter(_W + "num"):
            num_id = num.get(_W + "numId")
            aid = _val(num.find(_W + "abstractNumId"))
            if num_id is None or aid is None:
                continue
            definition = self._resolve_link(abstract, aid)
            levels = {} if definition is None else {
                _int(lvl.get(_W + "ilvl"), 0): _level(lvl) for lvl in definition.iter(_W + "lvl")}
            overridden = False
            for override in num.iter(_W + "lvlOverride"):
                ilvl = _int(override.get(_W + "ilvl"), 0)
                base = levels.get(ilvl)
                lvl = override.find(_W + "lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl, base)
                start = override.find(_W + "startOverride")
                if start is not None:
                    levels.setdefault(ilvl, _Level()).start = _int(_val(start), 1)
                    overridden = True
            # Word keeps one set of counters per abstract list; an instance that overrides the
            # start begins its own
            self._lists[num_id] = _List(f"num {num_id}" if overridden else f"abstract {aid}",
                                        levels)

    def _resolve_link(self, abstract: dict[str, etree._Element],
                      aid: str) -> etree._Element | None:
        """An abstract list that only points at a numbering style (``numStyleLink``) takes the
        levels of the list that style uses."""
        definition = abstract.get(aid)
        root = definition.getroottree().getroot() if definition is not None else None
        for _ in range(4):  # links are one deep in practice; never loop on a cycle
            if definition is None or root is None:
                return definition
            link = _val(definition.find(_W + "numStyleLink"))
            if link is None:
                return definition
            num_id, _ilvl = self._style_num.get(link, (None, None))
            num = next((n for n in root.iter(_W + "num") if n.get(_W + "numId") == num_id), None)
            target = _val(num.find(_W + "abstractNumId")) if num is not None else None
            definition = abstract.get(target or "")
        return definition

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style and style not in seen:
            seen.add(style)
            if style in self._style_num:
                return self._style_num[style]
            style = self._style_base.get(style)
        return None, None

    def label(self, paragraph: etree._Element) -> tuple[str, str]:
        """(the number Word prints before ``paragraph``, what follows it); ``("", "")`` for an
        unnumbered paragraph or a bullet. Call once per paragraph, in document order: each
        call advances the list's counter."""
        if not self._lists:
            return "", ""
        ppr = paragraph.find(_W + "pPr")
        if ppr is None:
            return "", ""
        style = _val(ppr.find(_W + "pStyle"))
        num_id, ilvl = self._style_numbering(style)
        num_pr = ppr.find(_W + "numPr")
        if num_pr is not None:
            num_id = _val(num_pr.find(_W + "numId"), num_id)
            if num_pr.find(_W + "ilvl") is not None:
                ilvl = _int(_val(num_pr.find(_W + "ilvl")), 0)
        if not num_id or num_id == "0" or num_id not in self._lists:
            return "", ""
        ilvl = min(max(ilvl or 0, 0), 8)
        lst = self._lists[num_id]
        level = lst.levels.get(ilvl)
        if level is None:
            return "", ""
        counters = self._counters.setdefault(lst.key, {})
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            deeper_level = lst.levels.get(deeper)
            if deeper_level is None or deeper_level.restart != 0:
                del counters[deeper]
        if level.fmt in ("bullet", "none"):
            return "", ""
        text = level.text
        for k in range(ilvl, -1, -1):  # %10 is not a thing: one digit per placeholder
            placeholder = f"%{k + 1}"
            if placeholder not in text:
                continue
            of = lst.levels.get(k, _Level())
            n = counters.get(k, of.start)
            fmt = "decimal" if level.legal and k < ilvl else of.fmt
            text = text.replace(placeholder, format_number(n, fmt))
        return text, level.suffix
