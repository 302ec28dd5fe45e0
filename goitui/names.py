"""Agency names: one agency is printed as 洪泽区人民政府, 淮安市洪泽区人民政府, 洪泽区政府.

A name is reduced to a *core* (no 人民政府/政府/办事处 suffix); two names are the same agency
when their cores are equal, or when one core is the other with a leading region in front
(淮安市 + 洪泽区). Anything looser (one character apart, a bare township name) is only offered
as a candidate, never joined: two agencies wrongly merged lose a report each year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process

from goitui.text import fold, simplified

_SUFFIX = re.compile(r"(?:人民政府|政府|办事处)$")
_REGION = re.compile(r"^(?:[\u4e00-\u9fff]{1,12}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗))+$")
#: the short name must name a county-level place or higher on its own (洪泽区, 沭阳县, 洪泽区教育局)
_COUNTY = re.compile(r"[\u4e00-\u9fff](?:区|县|市|旗|州|盟)")


@lru_cache(maxsize=65536)
def core(name: str) -> str:
    """``淮安市洪泽区人民政府`` → ``淮安市洪泽区``: the part that names the place or body; a name
    printed in traditional characters (長樂縣教育局) has the core of its simplified form."""
    c = fold(simplified(name))
    c = re.sub(r"[\s·•,，、()（）\"“”《》]", "", c)
    stripped = _SUFFIX.sub("", c)
    return stripped if len(stripped) >= 2 else c


def same_agency(a: str, b: str) -> bool:
    """True when two printed names can only mean the same agency.

    - the same core: 洪泽区人民政府 / 洪泽区政府;
    - one core with a leading region in front of the other, when the shorter one names a
      county or higher by itself: 洪泽区 / 淮安市洪泽区 (a bare 城关镇 or 教育局 exists in many
      places and is never joined).

    Names that differ by a character (江苏省教育厅 / 江西省教育厅, 洪泽区教育局 / 洪泽区体育局,
    沐阳县 / 沭阳县) are different agencies as far as goi can tell: they are offered as near
    candidates, and ``goi agencies merge`` joins what a person knows to be one.
    """
    ca, cb = core(a), core(b)
    if ca == cb:
        return True
    short, long_ = sorted((ca, cb), key=len)
    if long_.endswith(short) and len(short) >= 3 and _COUNTY.search(short):
        return bool(_REGION.match(long_[: -len(short)]))
    return False


def similarity(a: str, b: str) -> float:
    return float(fuzz.ratio(core(a), core(b)))


def query_matches(query: str, name: str) -> bool:
    """A command-line name finds an agency by any of its names or a part of one."""
    q, n = core(query), core(name)
    return q == n or q in fold(name) or same_agency(query, name) or (len(q) >= 2 and q in n)


def candidates(name: str, cores: list[str], pool: Iterable[int] | None = None) -> list[int]:
    """Indexes into ``cores`` of the names ``same_agency`` may accept: one core ends with the
    other (a region in front). Only these few are then checked with ``same_agency``.

    ``pool``: the indexes worth asking (all by default); ``tail_keys`` says which ones."""
    c = core(name)
    if len(c) < 3:
        return []
    return [i for i in (range(len(cores)) if pool is None else pool)
            if cores[i] and (cores[i].endswith(c) or c.endswith(cores[i]))]


def tail_keys(name: str) -> tuple[str, str]:
    """Where to look for the candidates of ``name``: a core that ends with another shares its
    last two characters (or its only one) — so cores are filed under ``core[-2:]``."""
    c = core(name)
    return c[-2:], c[-1:]


def near(name: str, cores: list[str], limit: int = 5) -> list[int]:
    """Indexes of similar names (rapidfuzz ratio ≥ 70): offered as candidates, never joined."""
    return [i for _, _, i in process.extract(core(name), cores, scorer=fuzz.ratio,
                                              score_cutoff=70, limit=limit)]
