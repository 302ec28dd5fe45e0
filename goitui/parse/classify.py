"""Which kind of cell a piece of text is in a statistical table: a template row's label
(exactly, or by rapidfuzz with its score kept), a category above rows, column header words, a
caption or prose — and which template (2019 or 2021) a text's markers point to.

The row reader (``parse/rows.py``) asks this of every cell that is not a value; the labels
themselves are the templates' (``goitui/labels.py``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from goitui import labels
from goitui.text import clean, core_key, fold, label_key, label_key_uncached

FUZZY_CUTOFF = 80.0

ROW, CATEGORY, HEADER, CAPTION, PROSE, UNKNOWN = "row", "category", "header", "caption", "prose", "unknown"


def _header_keys() -> tuple[str, ...]:
    return tuple(dict.fromkeys(label_key(w) for w in labels.HEADER_WORDS))


HEADER_KEYS = _header_keys()
_HEADER_SET = frozenset(HEADER_KEYS)


class LabelIndex:
    """Exact and fuzzy lookup of one table's row and category labels."""

    def __init__(self, entries: list[tuple[str, str, str]]):
        # entries: (printed label, kind, row key or category key)
        self.exact: dict[str, tuple[str, str]] = {}
        self.fuzzy: dict[str, tuple[str, str]] = {}
        for label, kind, key in entries:
            self.exact.setdefault(label_key(label), (kind, key))
            core = core_key(label)
            if len(core) >= 2 and core not in _HEADER_SET:
                self.fuzzy.setdefault(core, (kind, key))
        self._choices = list(self.fuzzy)

    def match(self, text: str) -> tuple[str, str, float] | None:
        """(kind, key, score) for a label cell, or None."""
        k = label_key(text)
        if k in self.exact:
            return (*self.exact[k], 100.0)
        core = core_key(text)
        if core in self.fuzzy:
            return (*self.fuzzy[core], 100.0 if core == k else 99.0)
        if len(core) < 3:
            return None
        best = process.extractOne(core, self._choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            return None
        return (*self.fuzzy[best[0]], round(float(best[1]), 1))


def _proactive_entries() -> list[tuple[str, str, str]]:
    out = []
    for r in labels.PROACTIVE_2021 + labels.PROACTIVE_2019:
        for label in (r.label, *r.aliases):
            out.append((label, ROW, r.key))
    return out


def _application_entries() -> list[tuple[str, str, str]]:
    out = [(r.label, ROW, r.key) for r in labels.APPLICATIONS]
    for label in labels.CATEGORY_LABELS:
        out.append((label, CATEGORY, labels.CATEGORY_KEYS.get(label, "results")))
    return out


INDEX = {"proactive": LabelIndex(_proactive_entries()),
         "applications": LabelIndex(_application_entries()),
         "reviews": LabelIndex([])}

_CAPTION = re.compile(r"第二十条|条例")


def is_header(text: str) -> bool:
    """Column header words, whole or broken (``本年新``/``制作数量``, ``结 结 其 尚``)."""
    parts = [label_key(p) for p in clean(text).split(" ")]
    parts = [p for p in parts if p]
    if not parts:
        return False
    return all(p in _HEADER_SET or any(p in h for h in HEADER_KEYS) for p in parts)


@lru_cache(maxsize=32768)
def classify(table: str, text: str) -> tuple[str, str | None, float]:
    """What a non-value cell is within ``table``'s section."""
    f = fold(text)
    if "勾稽关系" in f:
        return HEADER, None, 0.0
    if _CAPTION.search(f) and len(label_key(text)) < 30:
        return CAPTION, None, 0.0
    k = label_key(text)
    idx = INDEX[table]
    if k in idx.exact:
        kind, key = idx.exact[k]
        return kind, key, 100.0
    if is_header(text):
        return HEADER, None, 0.0
    m = idx.match(text)
    if m is not None:
        return m
    if "。" in text or len(k) > 60:
        return PROSE, None, 0.0
    return UNKNOWN, None, 0.0


def template_markers(text: str) -> tuple[bool, bool]:
    """(has 2019 markers, has 2021 markers) in some text (format-spec §0).

    Header words recur from report to report and are cached; a whole section's text does
    not, and is not kept in the caches of label_key."""
    if len(text) <= 200:
        return _short_markers(text)
    k = label_key_uncached(text)
    return any(m in k for m in labels.MARKERS_2019), any(m in k for m in labels.MARKERS_2021)


@lru_cache(maxsize=1024)
def _short_markers(text: str) -> tuple[bool, bool]:
    k = label_key(text)
    return any(m in k for m in labels.MARKERS_2019), any(m in k for m in labels.MARKERS_2021)

