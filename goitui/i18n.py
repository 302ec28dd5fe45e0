"""Translations of what a person reads: GNU gettext catalogs (``goitui/locale/<lang>/LC_MESSAGES/goi.mo``).

Messages are written in English in the code and wrapped in ``_()``; the Simplified Chinese
catalogue (``zh``) is the first language of goi's users. The language comes from ``--lang``
(``set_language``), else ``GOI_LANG`` (``zh``/``en``), else the locale variables ``LC_ALL``,
``LC_MESSAGES``, ``LANG`` as gettext reads them; English is the fallback. JSON keys, rule ids and
figure keys are never translated.

The ``.po`` files are the source; the ``.mo`` files are compiled when the wheel is built
(``hatch_build.py``). A source checkout that was never built, or whose ``.po`` changed since,
compiles its ``.po`` in memory with Babel (installed with the ``test`` extra), so a developer
sees the catalogue as it is in the tree, never a stale one.

Text written once and shown later in either language (the rule catalogue, a finding's message)
is marked with ``N_`` or built as a ``Phrase`` and translated when it is shown.
"""

from __future__ import annotations

import gettext
import io
import os
from pathlib import Path
from typing import Any

DOMAIN = "goi"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh", "en")

_catalogs: dict[str, gettext.NullTranslations] = {}


def _wanted() -> list[str]:
    chosen = os.environ.get("GOI_LANG", "").strip()
    if chosen:
        return [chosen]
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "").strip()
        if value:
            return [value.split(".")[0].split("@")[0]]
    return ["en"]


def _normalize(language: str) -> str:
    language = language.lower().replace("-", "_")
    return "zh" if language.startswith("zh") else "en"


def set_language(language: str | None) -> None:
    """Use ``language`` (``zh``, ``en``, ``zh_CN``…) from now on; ``None`` goes back to the environment."""
    if language:
        os.environ["GOI_LANG"] = _normalize(language)
    else:
        os.environ.pop("GOI_LANG", None)


def language() -> str:
    """The language messages are shown in now: ``zh`` or ``en``."""
    return _normalize(_wanted()[0])


def _load(language_code: str) -> gettext.NullTranslations:
    """The compiled catalogue of a language; the ``.po`` itself where no fresh ``.mo`` is."""
    folder = LOCALE_DIR / language_code / "LC_MESSAGES"
    compiled, source = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    fresh = compiled.exists() and (not source.exists()
                                   or compiled.stat().st_mtime >= source.stat().st_mtime)
    if not fresh and source.exists():
        built = compile_po(source)
        if built is not None:
            return gettext.GNUTranslations(io.BytesIO(built))
    if compiled.exists():
        with compiled.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    return gettext.NullTranslations()


def compile_po(source: Path) -> bytes | None:
    """``source`` (a ``.po`` file) compiled to ``.mo`` bytes by Babel; None without Babel."""
    try:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
    except ImportError:
        return None
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=source.parent.parent.name, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def translation(language_code: str | None = None) -> gettext.NullTranslations:
    """The catalogue of ``language_code`` (the active language by default), loaded once."""
    code = language_code or language()
    found = _catalogs.get(code)
    if found is None:
        found = _catalogs[code] = _load(code)
    return found


def _(message: str) -> str:
    """``message`` in the active language."""
    return translation().gettext(message)


def N_(message: str) -> str:  # noqa: N802 — the name gettext's tools know
    """Mark ``message`` for the catalogue without translating it: it is translated when shown."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count`` in the active language."""
    return translation().ngettext(singular, plural, count)


def in_language(message: str, language_code: str) -> str:
    """``message`` in a given language, whatever the active one (for ``message_zh`` in JSON)."""
    return translation(_normalize(language_code)).gettext(message)


class Phrase:
    """A message in no language yet: an English template and its values, rendered on demand.

    A finding is worded once but shown in English (``message``) and in Chinese
    (``message_zh``); a ``Phrase`` keeps what is needed for both. Values are inserted with
    ``str.format``; a value that is itself a ``Phrase`` is rendered in the same language.
    The template must be a literal so Babel extracts it: ``Phrase("off by {difference}", ...)``.
    """

    __slots__ = ("template", "values")

    def __init__(self, template: str, /, **values: Any) -> None:
        self.template, self.values = template, values

    def render(self, language_code: str | None = None) -> str:
        code = language_code or language()
        values = {name: value.render(code) if isinstance(value, Phrase) else value
                  for name, value in self.values.items()}
        return in_language(self.template, code).format(**values)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Phrase({self.template!r}, **{self.values!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Phrase):
            return NotImplemented
        return (self.template, self.values) == (other.template, other.values)

    def __hash__(self) -> int:
        return hash((self.template, tuple(sorted(self.values.items()))))
