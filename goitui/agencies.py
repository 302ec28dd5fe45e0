"""Agency names: one agency is printed as 洪泽区人民政府, 淮安市洪泽区人民政府, 洪泽区政府.

A name is reduced to a *core* (no 人民政府/政府/办事处 suffix); two names are the same agency
when their cores are equal, when one core is the other with a leading region in front
(淮安市 + 洪泽区), or when they differ by one character in a long name (OCR: 沐阳/沭阳).
Anything looser is only offered as a candidate, never joined.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from .text import fold

_SUFFIX = re.compile(r"(?:人民政府|政府|办事处)$")
_REGION = re.compile(r"^(?:[\u4e00-\u9fff]{1,12}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗))+$")
_UNIT = re.compile(r"(?:省|市|州|盟|县|区|旗|镇|乡|街道|局|委|办|厅|署|院|中心|所|站|队|会|室)$")


@lru_cache(maxsize=65536)
def core(name: str) -> str:
    """``淮安市洪泽区人民政府`` → ``淮安市洪泽区``: the part that names the place or body."""
    c = fold(name)
    c = re.sub(r"[\s·•,，、()（）\"“”《》]", "", c)
    stripped = _SUFFIX.sub("", c)
    return stripped if len(stripped) >= 2 else c


def same_agency(a: str, b: str) -> bool:
    """True when two printed names can only mean the same agency."""
    ca, cb = core(a), core(b)
    if ca == cb:
        return True
    short, long_ = sorted((ca, cb), key=len)
    if long_.endswith(short) and len(short) >= 3 and _UNIT.search(short):
        return bool(_REGION.match(long_[: -len(short)]))
    if len(ca) == len(cb) and len(ca) >= 6 and Levenshtein.distance(ca, cb) == 1:
        # one differing character, not in the final unit word (东镇 ≠ 西镇 stays apart)
        i = next(i for i, (x, y) in enumerate(zip(ca, cb)) if x != y)
        return i < len(ca) - 2
    return False


def similarity(a: str, b: str) -> float:
    return float(fuzz.ratio(core(a), core(b)))


def query_matches(query: str, name: str) -> bool:
    """A command-line name finds an agency by any of its names or a part of one."""
    q, n = core(query), core(name)
    return q == n or q in fold(name) or same_agency(query, name) or (len(q) >= 2 and q in n)


def candidates(name: str, cores: list[str]) -> list[int]:
    """Indexes into ``cores`` of the names ``same_agency`` may accept, found in C by rapidfuzz.

    A region prefix makes one core end with the other; an OCR slip keeps the length. Only these
    few are then checked with ``same_agency``, so a large archive is not scanned in Python.
    """
    c = core(name)
    out = {i for i, x in enumerate(cores) if x.endswith(c) or c.endswith(x)} if len(c) >= 3 else set()
    if len(c) >= 6:
        for _, _, i in process.extract(c, cores, scorer=Levenshtein.distance, score_cutoff=1,
                                       limit=None):
            out.add(i)
    return sorted(out)


def near(name: str, cores: list[str], limit: int = 5) -> list[int]:
    """Indexes of similar names (rapidfuzz ratio ≥ 70): offered as candidates, never joined."""
    return [i for _, _, i in process.extract(core(name), cores, scorer=fuzz.ratio,
                                              score_cutoff=70, limit=limit)]
