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

from .text import fold

_SUFFIX = re.compile(r"(?:人民政府|政府|办事处)$")
_REGION = re.compile(r"^(?:[\u4e00-\u9fff]{1,12}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗))+$")
#: the short name must name a county-level place or higher on its own (洪泽区, 沭阳县, 洪泽区教育局)
_COUNTY = re.compile(r"[\u4e00-\u9fff](?:区|县|市|旗|州|盟)")
_PLACE_UNIT = re.compile(r"[省市县区镇乡旗州盟]|街道")
#: characters that tell two agencies apart even when they are all that differs
_DISTINCT = frozenset("一二三四五六七八九十百零〇0123456789东西南北中上下前后左右新老大小")


@lru_cache(maxsize=65536)
def core(name: str) -> str:
    """``淮安市洪泽区人民政府`` → ``淮安市洪泽区``: the part that names the place or body."""
    c = fold(name)
    c = re.sub(r"[\s·•,，、()（）\"“”《》]", "", c)
    stripped = _SUFFIX.sub("", c)
    return stripped if len(stripped) >= 2 else c


def same_agency(a: str, b: str) -> bool:
    """True when two printed names can only mean the same agency.

    - the same core: 洪泽区人民政府 / 洪泽区政府;
    - one core with a leading region in front of the other, when the shorter one names a
      county or higher by itself: 洪泽区 / 淮安市洪泽区 (a bare 城关镇 or 教育局 exists in many
      places and is never joined);
    - one character apart after the place name, not a numeral or a direction:
      沭阳县发展和改革局 / 沭阳县发展与改革局. Within the place name (江苏省 / 江西省, 清河区 /
      清浦区) or in 第一 / 第二, 东区 / 西区 they are different agencies, offered as near
      candidates only.
    """
    ca, cb = core(a), core(b)
    if ca == cb:
        return True
    short, long_ = sorted((ca, cb), key=len)
    if long_.endswith(short) and len(short) >= 3 and _COUNTY.search(short):
        return bool(_REGION.match(long_[: -len(short)]))
    return _slip(ca, cb)


def _slip(ca: str, cb: str) -> bool:
    if len(ca) != len(cb) or len(ca) < 6:
        return False
    diffs = [i for i, (x, y) in enumerate(zip(ca, cb)) if x != y]
    if len(diffs) != 1:
        return False
    i = diffs[0]
    if ca[i] in _DISTINCT or cb[i] in _DISTINCT:
        return False
    last_place = max((m.end() for m in _PLACE_UNIT.finditer(ca)), default=0)
    return i >= last_place


def similarity(a: str, b: str) -> float:
    return float(fuzz.ratio(core(a), core(b)))


def query_matches(query: str, name: str) -> bool:
    """A command-line name finds an agency by any of its names or a part of one."""
    q, n = core(query), core(name)
    return q == n or q in fold(name) or same_agency(query, name) or (len(q) >= 2 and q in n)


def candidates(name: str, cores: list[str]) -> list[int]:
    """Indexes into ``cores`` of the names ``same_agency`` may accept: one core ends with the
    other (a region in front). Only these few are then checked with ``same_agency``."""
    c = core(name)
    if len(c) < 3:
        return []
    return [i for i, x in enumerate(cores) if x.endswith(c) or c.endswith(x)]


def near(name: str, cores: list[str], limit: int = 5) -> list[int]:
    """Indexes of similar names (rapidfuzz ratio ≥ 70): offered as candidates, never joined."""
    return [i for _, _, i in process.extract(core(name), cores, scorer=fuzz.ratio,
                                              score_cutoff=70, limit=limit)]
