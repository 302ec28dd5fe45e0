"""Lines of text for a terminal, broken as Chinese is broken: the one wrapper of goi.

Findings, rule descriptions, diff lines and the browser's long texts mix Chinese, numbers and
English. A width is counted in terminal cells (a Chinese character takes two). Where a line
breaks follows the usual Chinese rules (kinsoku, GB/T 15834): no line starts with closing
punctuation (``，。、；：？！）」``…), none ends with an opening mark (``（「《``…), and a number
(``2019``, ``1,234``, ``３５``) or an English word is never split. When a break would break
these rules, the characters before it move down with the next line.
"""

from __future__ import annotations

import re

from goitui.render.display import width

#: what never opens a line: closing brackets and quotes, and the marks that follow a word
NO_LINE_START = frozenset("，。、；：？！）》」』〉】〕〗”’…‥·,.;:?!)]}%％")
#: what never closes a line: opening brackets and quotes
NO_LINE_END = frozenset("（《「『〈【〔〖“‘([{")

#: an English word or number with its ASCII punctuation (``1,234``, ``lines 1–11``), full-width
#: digits among them (``２0２2``, ``１２.5``: typed half in one width, half in the other, it is
#: still one number), or any other single character
_TOKEN = re.compile(r"(?:[!-~–]|[０-９](?:[０-９，．]*[０-９])?)+|.", re.S)


def wrap(text: str, width_: int, *, first: str = "", indent: str = "") -> list[str]:
    """``text`` in lines of at most ``width_`` terminal cells, ``first`` opening the first
    line and ``indent`` the others (both count towards the width).

    A single token wider than a line stays whole on a line of its own; where no break is
    allowed (a closing mark after a word that fills a line) the mark hangs past the width.
    Spaces at a break are dropped; the text is never changed otherwise.
    """
    lines: list[str] = []
    prefix, cur = first, list[str]()  # the tokens of the line being filled
    used = width(prefix)
    for token in _TOKEN.findall(text):
        size = width(token)
        at = _break_at(cur, token) if cur and used + size > width_ and not token.isspace() else None
        if at is not None:
            lines.append(prefix + "".join(cur[:at]).rstrip())
            cur = cur[at:]
            while cur and cur[0].isspace():
                cur.pop(0)
            prefix = indent
            used = width(prefix) + sum(width(t) for t in cur)
        if not cur and token.isspace() and lines:
            continue  # a space at a break
        cur.append(token)
        used += size
    lines.append(prefix + "".join(cur).rstrip())
    return lines


def _break_at(tokens: list[str], following: str) -> int | None:
    """Where a full line of ``tokens`` ends, ``following`` opening the next: as late as the
    rules allow (``len(tokens)``: just before ``following``); None where no place is."""
    nxt = following  # the first token the next line shows (spaces at a break are dropped)
    for at in range(len(tokens), 0, -1):
        last = next((t for t in reversed(tokens[:at]) if not t.isspace()), None)
        if last is None:
            return None
        if nxt[0] not in NO_LINE_START and last[-1] not in NO_LINE_END:
            return at
        if not tokens[at - 1].isspace():
            nxt = tokens[at - 1]
    return None
