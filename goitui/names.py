"""Agency names: one agency is printed as 洪泽区人民政府, 淮安市洪泽区人民政府, 洪泽区政府.

A name is reduced to a *core* (no 人民政府/政府/办事处 suffix); two names are the same agency
when their cores are equal, or when one core is the other with a leading region in front
(淮安市 + 洪泽区). Anything looser (one character apart, a bare township name) is only offered
as a candidate, never joined: two agencies wrongly merged lose a report each year.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from goitui.text import fold, simplified

# rapidfuzz is imported by the functions that score: a command that only reads the archive
# (goi list, show, validate) starts without it

_SUFFIX = re.compile(r"(?:人民政府|政府|办事处)$")
#: what a terminal does not print as text: escape sequences whole (CSI ``ESC [ … m``; OSC,
#: DCS, APC … strings ``ESC ] … BEL`` up to their terminator; two-character ``ESC x``; their
#: 8-bit C1 forms) and any other C0 or C1 control character. A name holding them is matched
#: by what it shows; bidi and zero-width characters go in ``fold``.
_UNPRINTED = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"
    r"|[\x00-\x1f\x7f-\x9f]")
_REGION = re.compile(r"^(?:[\u4e00-\u9fff]{1,12}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗))+$")
#: the short name must name a county-level place or higher on its own (洪泽区, 沭阳县, 洪泽区教育局)
_COUNTY = re.compile(r"[\u4e00-\u9fff](?:区|县|市|旗|州|盟)")


@lru_cache(maxsize=65536)
def core(name: str) -> str:
    """``淮安市洪泽区人民政府`` → ``淮安市洪泽区``: the part that names the place or body; a name
    printed in traditional characters (長樂縣教育局) has the core of its simplified form, one
    holding escape sequences, control, bidi or zero-width characters the core of what it
    shows (the name itself is kept, and printed escaped)."""
    c = fold(simplified(_UNPRINTED.sub("", name)))
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


def query_matches(query: str, name: str) -> bool:
    """A command-line name finds an agency by any of its names or a part of one."""
    q, n = core(query), core(name)
    return q == n or q in fold(name) or same_agency(query, name) or (len(q) >= 2 and q in n)


def candidates(name: str, cores: list[str], pool: Iterable[int] | None = None) -> list[int]:
    """Indexes into ``cores`` of the names ``same_agency`` may accept: one core ends with the
    other (a region in front). Only these few are then checked with ``same_agency``.

    ``pool``: the indexes worth asking (all by default). ``archive.store.NameIndex`` gives
    the same answer without asking every name."""
    c = core(name)
    if len(c) < 3:
        return []
    return [i for i in (range(len(cores)) if pool is None else pool)
            if cores[i] and (cores[i].endswith(c) or c.endswith(cores[i]))]


#: the rapidfuzz ratio from which a name is offered as a near candidate
NEAR_SCORE = 70


def near(name: str, cores: list[str], limit: int = 5) -> list[int]:
    """Indexes of similar names (rapidfuzz ratio ≥ 70): offered as candidates, never joined."""
    from rapidfuzz import fuzz, process

    return [i for _, _, i in process.extract(core(name), cores, scorer=fuzz.ratio,
                                              score_cutoff=NEAR_SCORE, limit=limit)]


class NearIndex:
    """Cores filed by their length and their characters, so that ``near`` compares a new name
    with the few cores that can reach its score instead of with every name in the archive
    (each new agency cost a millisecond per six thousand names; an archive has tens of
    thousands). The answer is exactly ``near(name, cores)``'s.

    Why few suffice: the ratio of cores of lengths ``a`` and ``b`` is ``2·L/(a+b)`` for ``L``
    characters in common, in order; 70 needs ``20·L ≥ 7·(a+b)``, so at least ``shared`` of
    the query's characters. Taken rarest first (among the cores of that length), the query's
    characters beyond the first ``size − shared + 1 + EXTRA`` can supply at most
    ``shared − 1 − EXTRA`` of them: a core that can score holds ``EXTRA + 1`` of those
    rarest ones (counted as often as the query has them). Requiring one of them only left
    every core holding one common place character (江, 青, 山 …: a tenth of the names each),
    which grew with the archive (1 ms a new agency at 30,000 names); requiring two keeps
    the cores that share two of them, a few dozen.
    """

    #: rarest characters taken beyond those that a core must hold one of (see the class)
    EXTRA = 1

    def __init__(self, cores: Iterable[str] = ()) -> None:
        self.cores: list[str] = []
        self._filed: dict[tuple[int, str], set[int]] = {}  # (length, character) → positions
        self._lengths: Counter[int] = Counter()
        for c in cores:
            self.add(c)

    def add(self, core_: str) -> int:
        """File a core; its position (what ``near`` returns)."""
        position = len(self.cores)
        self.cores.append(core_)
        self._lengths[len(core_)] += 1
        for character in set(core_):
            self._filed.setdefault((len(core_), character), set()).add(position)
        return position

    def near(self, name: str, limit: int = 5) -> list[int]:
        """``near(name, self.cores, limit)``, asking only the cores that can score 70."""
        query = core(name)
        if not query:
            return near(name, self.cores, limit)
        pool = sorted(self._pool(query))
        from rapidfuzz import fuzz, process

        found = process.extract(query, [self.cores[i] for i in pool], scorer=fuzz.ratio,
                                score_cutoff=NEAR_SCORE, limit=limit)
        return [pool[j] for _, _, j in found]  # ties keep the order of positions, as near's

    def _pool(self, query: str) -> set[int]:
        """Positions of every core that may score ``NEAR_SCORE`` against ``query``."""
        counts = Counter(query)
        size = len(query)
        pool: set[int] = set()
        for length in self._lengths:
            if 20 * min(size, length) < 7 * (size + length):
                continue  # too long or too short for the score even if all of one is shared
            shared = -(-7 * (size + length) // 20)  # characters in common the score needs
            rarest: list[tuple[set[int], int]] = []
            covered = 0
            for character in sorted(counts, key=lambda c: len(self._filed.get((length, c), ()))):
                if covered > size - shared + self.EXTRA:
                    break
                rarest.append((self._filed.get((length, character), set()), counts[character]))
                covered += counts[character]
            # what the other characters cannot supply must come from these
            pool |= _holding(rarest, min(shared - (size - covered), self.EXTRA + 1))
        return pool


def _holding(postings: list[tuple[set[int], int]], least: int) -> set[int]:
    """Positions found in ``postings`` (each a set with its weight) ``least`` times or more,
    weights counted: set operations (an intersection walks the smaller set), so that no
    position is looked at one by one in Python."""
    reached: list[set[int]] = [set() for _ in range(least)]  # [k]: found k + 1 times or more
    for number, (positions, weight) in enumerate(postings, 1):
        # downwards: reached[k - weight] is still without these; after the last postings
        # only the answer is wanted (the largest set is never copied)
        for k in range(least - 1, -1 if number < len(postings) else least - 2, -1):
            if k < weight:
                reached[k] |= positions
            else:
                reached[k] |= reached[k - weight] & positions
    return reached[-1]
