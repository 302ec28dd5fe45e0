"""How report text is folded and cut into the terms of the two search indexes.

``goi search`` answers a term of three or more characters from the trigram index
(``report_fts``, FTS5 ``detail=none``: which reports hold a trigram, not where) and a shorter
term from the index of character pairs (``report_grams``). Both answers must be exactly those
of the text, so the folding is SQLite's own, read from the SQLite goi runs on rather than
guessed from Python's Unicode tables (which fold more characters, and some differently):

- ``fts_fold``: the trigram tokenizer's case folding (what a trigram search has always
  matched case-insensitively; ``ſ`` is ``s``, ``İ`` stays ``İ``);
- ``sql_lower``: SQLite's ``lower()`` (ASCII only, unless SQLite was built with ICU), what
  the text scan for short terms compares, and so what the pair index keeps.

A pair index document lists each distinct pair of a report's lower-cased text once, each
pair written as the hexadecimal UTF-32 of its two characters (16 digits), and the last
character paired with an end mark that no character has: a one-character term is then a
prefix query (its 8 digits) on the pairs it starts, a two-character term one exact token.
"""

from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from typing import AnyStr

#: the end mark after a text's last character: above every code point (U+10FFFF)
END = "00110000"
DIGITS = 8  # hexadecimal digits of one character in a pair token


def _cased() -> str:
    """The characters any case mapping changes (Python's Unicode tables, a superset of
    SQLite's), with the two that SQLite's tokenizer changes for another reason."""
    return "".join(c for c in map(chr, range(1, 0x10000))
                   if not 0xD800 <= ord(c) < 0xE000
                   and (c.lower() != c or c.upper() != c or c.casefold() != c)) + "\ufffe\uffff"


@lru_cache(maxsize=1)
def _fts_table() -> dict[int, str]:
    """Character → the trigram tokenizer's fold of it, for every character it changes.

    Read from SQLite itself: each candidate tripled is indexed once, and the vocabulary
    says what each triple became. Outside the Basic Multilingual Plane SQLite folds only
    Deseret (U+10400–U+10427), which is added by rule.
    """
    chars = _cased()
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'trigram')")
        conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        conn.execute("INSERT INTO t (rowid, x) VALUES (1, ?)", ["".join(c * 3 for c in chars)])
        table = {ord(chars[offset // 3]): term[0] for term, offset in conn.execute(
            "SELECT term, offset FROM v") if offset % 3 == 0 and term[0] != chars[offset // 3]}
    finally:
        conn.close()
    table.update({c: chr(c + 40) for c in range(0x10400, 0x10428)})
    return table


@lru_cache(maxsize=1)
def _fts_plain() -> re.Pattern[str]:
    """Characters for which ``str.lower`` is not the tokenizer's fold: a text without any is
    folded by ``str.lower`` (fast); one with some, character by character."""
    table = _fts_table()
    # Σ too: str.lower makes it ς at a word's end (Unicode's final sigma), the tokenizer σ
    odd = [c for c in _cased() if table.get(ord(c), c) != c.lower() or c == "\u03a3"]
    return re.compile("[" + "".join(re.escape(c) for c in odd) + "\U00010000-\U0010ffff]")


def fts_fold(text: str) -> str:
    """``text`` folded as the trigram tokenizer folds it, character for character."""
    if _fts_plain().search(text) is None:
        return text.lower()
    return text.translate(_fts_table())


@lru_cache(maxsize=1)
def _folded_alike() -> frozenset[str]:
    """Every character the tokenizer folds, or folds another character into."""
    table = _fts_table()
    return frozenset(chr(c) for c in table) | frozenset(table.values())


def fold_free(term: str) -> bool:
    """No character of ``term`` is folded, nor is any other character folded into one of
    them (Chinese, digits, punctuation): ``term`` then occurs in the folded text exactly
    where it occurs in the text, which need not be folded to count it."""
    return _folded_alike().isdisjoint(term)


@lru_cache(maxsize=1)
def _lower_table() -> dict[int, str]:
    """Character → SQLite ``lower()`` of it, for every character it changes."""
    chars = _cased()
    conn = sqlite3.connect(":memory:")
    try:
        lowered = conn.execute("SELECT lower(?)", [chars]).fetchone()[0]
        if len(lowered) != len(chars):  # an ICU build: ask character by character
            lowered = "".join(conn.execute("SELECT lower(?)", [c]).fetchone()[0][:1] or c
                              for c in chars)
    finally:
        conn.close()
    return {ord(c): low for c, low in zip(chars, lowered) if c != low}


@lru_cache(maxsize=1)
def _lower_pattern() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(chr(c)) for c in _lower_table()) + "]+")


def sql_lower(text: str) -> str:
    """``text`` as SQLite's ``lower()`` gives it (only the runs it changes are translated:
    ``str.translate`` over a whole Chinese text costs more than the rest of its indexing)."""
    table = _lower_table()
    return _lower_pattern().sub(lambda m: m[0].translate(table), text)


def grams_document(text: str | None) -> str:
    """The pair index document of a report's text (see the module's docstring)."""
    digits = sql_lower(text or "").encode("utf-32-be").hex() + END
    return " ".join({digits[i:i + 2 * DIGITS] for i in range(0, len(digits) - DIGITS, DIGITS)})


def grams_query(terms: list[str]) -> str:
    """An FTS5 query of ``report_grams``: every term (one or two characters) must occur."""
    parts = []
    for term in terms:
        digits = sql_lower(term).encode("utf-32-be").hex()
        parts.append(f'"{digits}"' + ("*" if len(term) == 1 else ""))
    return " AND ".join(parts)


def trigram_query(term: str) -> str:
    """An FTS5 query of ``report_fts`` (``detail=none``): every trigram of ``term``, each a
    literal string; the reports it finds hold the trigrams, maybe not the term."""
    trigrams = dict.fromkeys(term[i:i + 3] for i in range(len(term) - 2))
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in trigrams)


def occurrences(text: AnyStr, term: AnyStr, overlapping: bool) -> int:
    """How often ``term`` occurs in ``text``, overlapping occurrences counted (as the
    trigram index counts a phrase: once at every position it starts). ``overlapping``:
    ``can_overlap(term)``. Text or its UTF-8 bytes alike: UTF-8 finds a character string
    only where it starts at a character."""
    count = text.count(term)
    if count == 0 or not overlapping:
        return count
    count, at = 0, text.find(term)
    while at >= 0:
        count += 1
        at = text.find(term, at + 1)
    return count


def can_overlap(term: str) -> bool:
    """Whether two occurrences of ``term`` can overlap (a proper prefix is also a suffix)."""
    return any(term[:k] == term[-k:] for k in range(1, len(term)))


def varint(data: bytes, at: int = 0) -> tuple[int, int]:
    """An SQLite varint (what FTS5 writes) at ``at``: its value and the offset after it."""
    value = 0
    for i in range(8):
        byte = data[at + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    return (value << 8) | data[at + 8], at + 9
