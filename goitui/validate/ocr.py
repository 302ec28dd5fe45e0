"""S-OCR: figures read by OCR that may be misread, with the template's arithmetic as a check.

An OCR reading is a guess with a confidence. Two things make a figure doubtful: the recognizer
was unsure (confidence below ``THRESHOLD``), or an identity of the template (A-BALANCE,
A-RESULTS, A-ROWSUM, A-REVIEWS) fails among figures read by OCR. Where exactly one such cell,
read as one of the usual OCR confusions (0/8/6/9, 1/7, 3/8, a dropped or an added digit), would make every
identity it belongs to hold, the finding names that reading — and the figure stays as read:
a person checks the scan (the finding gives the page and the box), goi never corrects it.
"""

from __future__ import annotations

from collections.abc import Iterator

from goitui.i18n import Phrase
from goitui.model import BLANK, NUMBER, UNREADABLE, WARNING, Figure, Finding, Report, place
from goitui.text import parse_value
from goitui.validate.arithmetic import Identity, identities
from goitui.validate.common import figure_name, num

RULE = "S-OCR"
#: a reading less sure than this is shown as doubtful (the recognizer's own score, 0–1)
THRESHOLD = 0.9
_SWAPS = {"0": "689", "6": "089", "8": "0369", "9": "068", "1": "7", "7": "1", "3": "8"}


def confusions(raw: str) -> Iterator[str]:
    """Readings OCR is known to confuse with ``raw``: one digit swapped (0/8/6/9, 1/7, 3/8),
    one digit it dropped, or one it added (a speck or a rule read as a 1)."""
    for i, ch in enumerate(raw):
        for other in _SWAPS.get(ch, ""):
            yield raw[:i] + other + raw[i + 1:]
    digits = [i for i, ch in enumerate(raw) if ch.isdigit()]
    if not digits:
        return
    if len(digits) > 1:
        for i in digits:
            shorter = raw[:i] + raw[i + 1:]
            if not shorter.startswith("0"):
                yield shorter
    for i in range(digits[0], digits[-1] + 2):
        for d in "0123456789":
            candidate = raw[:i] + d + raw[i:]
            if not (i == digits[0] and d == "0"):  # no leading zero
                yield candidate


def _side(values: dict[str, float], terms: list[tuple[str, str]]) -> float | None:
    total = 0.0
    for _name, key in terms:
        v = values.get(key)
        if v is None:
            return None
        total += v
    return total


def _holds(values: dict[str, float], ident: Identity) -> bool | None:
    """True or False when every term is a number; None when the identity cannot be assessed."""
    left, right = _side(values, ident.left), _side(values, ident.right)
    if left is None or right is None:
        return None
    return abs(left - right) < 1e-9


def _fixes(values: dict[str, float], key: str, raw: str, members: list[Identity]) -> list[float]:
    """Readings of ``key`` (read as ``raw``) among the usual confusions that make every
    identity with it hold."""
    found: list[float] = []
    before = values[key]
    for candidate in dict.fromkeys(confusions(raw)):
        v = parse_value(candidate)
        if v.kind != NUMBER or v.value is None or v.value == before:
            continue
        values[key] = float(v.value)
        if all(_holds(values, i) is not False for i in members) and any(
                _holds(values, i) for i in members):
            found.append(v.value)
        values[key] = before
    return found


def _where(f: Figure) -> str:
    return f"{f.source}, box {f.box}" if f.box else f.source


def run(report: Report) -> list[Finding]:
    """Every S-OCR finding of a report; none for a report not read by OCR."""
    read = {k: f for k, f in report.figures.items() if f.confidence is not None}
    if not read and not any(f.box for f in report.figures.values()):
        return []
    values = {k: float(f.value) for k, f in report.figures.items()
              if f.kind == NUMBER and f.value is not None}
    idents = identities(report)
    members: dict[str, list[Identity]] = {}
    for ident in idents:
        for key in ident.keys:
            members.setdefault(key, []).append(ident)
    suggested: dict[str, tuple[float, Identity]] = {}
    doubted: list[Finding] = []
    for ident in idents:
        if _holds(values, ident) is not False:
            continue
        cells = [k for k in dict.fromkeys(ident.keys) if k in read and k in values]
        if not cells:
            continue
        fixes = {k: fx for k in cells
                 if len(fx := _fixes(values, k, read[k].raw.strip(), members[k])) == 1}
        low = {k: fx for k, fx in fixes.items() if (read[k].confidence or 0) < THRESHOLD}
        pick = low if len(low) == 1 else fixes if len(fixes) == 1 else {}
        if pick:
            key, (value,) = next(iter(pick.items()))
            suggested.setdefault(key, (value, ident))
        else:
            doubted.append(_unexplained(report, ident, cells))
    out = _blanks(report, values, idents, members)
    for key, f in read.items():
        doubtful = (f.confidence or 0) < THRESHOLD
        if key in suggested:
            value, ident = suggested[key]
            out.append(_suggestion(key, f, value, ident))
        elif f.kind == UNREADABLE:
            out.append(_unreadable(key, f))
        elif doubtful:
            out.append(Finding(
                RULE, WARNING, Phrase("OCR read {raw!r} in {name} with confidence {conf:.2f} "
                                      "({where}): check it on the scan", raw=f.raw,
                                      name=figure_name(key), conf=f.confidence, where=place(_where(f))),
                keys=[key], actual=f.raw, source=_where(f), line=f.line, origin="validate"))
    return out + doubted


def _blanks(report: Report, values: dict[str, float], idents: list[Identity],
            members: dict[str, list[Identity]]) -> list[Finding]:
    """Table cells in which OCR read nothing, where an identity needs a number.

    A lone thin digit can escape both the text detector and the ink check, and a blank is
    never 0: where the identities that a blank cell belongs to hold with it taken as 0, the
    blank is consistent and left alone; where one fails, the blank is shown with its box —
    with the number that would make every identity it belongs to hold, when it is the only
    blank in the identity."""
    blanks = {k for k, f in report.figures.items() if f.kind == BLANK and f.box}
    doubted: dict[str, tuple[Identity, float | None]] = {}
    for ident in idents:
        empty = [k for k in dict.fromkeys(ident.keys) if k not in values]
        if not empty or any(k not in blanks for k in empty):
            continue
        trial = values | dict.fromkeys(empty, 0.0)
        if _holds(trial, ident):
            continue
        needed = None
        if len(empty) == 1:
            (key,) = empty
            sign = 1 if any(k == key for _n, k in ident.left) else -1
            if not any(k == key for _n, k in (ident.right if sign == 1 else ident.left)):
                value = sign * ((_side(trial, ident.right) or 0) - (_side(trial, ident.left) or 0))
                trial[key] = value
                if value > 0 and value == int(value) and all(
                        _holds(trial, i) is not False for i in members[key]):
                    needed = value
        for key in empty:
            if key not in doubted or needed is not None and doubted[key][1] is None:
                doubted[key] = (ident, needed)  # an identity that names the number, if any
    out = []
    for key, (ident, needed) in doubted.items():
        f = report.figures[key]
        if needed is not None:
            message = Phrase("OCR read nothing in {name} ({where}); {value} would make {formula} "
                             "{scope} hold — check the cell on the scan", name=figure_name(key),
                             where=place(_where(f)), value=num(needed), formula=ident.formula(),
                             scope=ident.scope)
        else:
            message = Phrase("OCR read nothing in {name} ({where}), and {formula} {scope} does "
                             "not hold with it blank: check the cell on the scan",
                             name=figure_name(key), where=place(_where(f)), formula=ident.formula(),
                             scope=ident.scope)
        out.append(Finding(RULE, WARNING, message, keys=[key], expected=needed, actual="",
                           source=_where(f), line=f.line, origin="validate"))
    return out


_NOISE = ".,·。、'`‘’:;：；_-~"


def _unreadable(key: str, f: Figure) -> Finding:
    """Not a number as read: a speck of dust read as a dot is the usual cause, so the
    reading without it is named — the figure stays unreadable, nothing is summed."""
    bare = f.raw.strip().strip(_NOISE)
    value = parse_value(bare) if bare != f.raw.strip() else None
    hint = (Phrase("; {value} without the {marks!r} (specks on the scan?)",
                   value=num(value.value), marks="".join(ch for ch in f.raw if ch in _NOISE))
            if value is not None and value.kind == NUMBER else "")
    return Finding(
        RULE, WARNING, Phrase("OCR read {raw!r} in {name} (confidence {conf:.2f}, {where}): not "
                              "a number{hint}; check it on the scan", raw=f.raw,
                              name=figure_name(key), conf=f.confidence, where=place(_where(f)),
                              hint=hint),
        keys=[key], expected=value.value if value is not None else None, actual=f.raw,
        source=_where(f), line=f.line, origin="validate")


def _suggestion(key: str, f: Figure, value: float, ident: Identity) -> Finding:
    return Finding(
        RULE, WARNING, Phrase("OCR read {raw} in {name} (confidence {conf:.2f}, {where}); "
                              "{other} would make {formula} {scope} hold — kept as read, check "
                              "it on the scan", raw=f.raw, name=figure_name(key),
                              conf=f.confidence, where=place(_where(f)), other=num(value),
                              formula=ident.formula(), scope=ident.scope),
        keys=[key], expected=value, actual=f.value, source=_where(f), line=f.line,
        origin="validate")


def _unexplained(report: Report, ident: Identity, cells: list[str]) -> Finding:
    shown = "; ".join(f"{figure_name(k)} {report.figures[k].raw} "
                      f"({report.figures[k].confidence:.2f})" for k in cells[:4])
    first = report.figures[cells[0]]
    return Finding(
        RULE, WARNING, Phrase("{formula} {scope} does not hold among figures read by OCR, and "
                              "no single usual misreading explains it: check them on the scan "
                              "({cells}{more})", formula=ident.formula(), scope=ident.scope,
                              cells=shown, more="…" if len(cells) > 4 else ""),
        keys=cells, source=_where(first), line=first.line, origin="validate")
