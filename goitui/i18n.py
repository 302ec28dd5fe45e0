"""Translations of what a person reads: GNU gettext catalogs (``goitui/locale/<lang>/LC_MESSAGES/goi.mo``).

Messages are written in English in the code and wrapped in ``_()``; the Simplified Chinese
catalogue (``zh``) is the first language of goi's users. The language comes from ``--lang``
(``set_language``), else ``GOI_LANG`` (``zh``/``en``), else the locale variables ``LC_ALL``,
``LC_MESSAGES``, ``LANG`` as gettext reads them; English is the fallback. JSON keys, rule ids and
figure keys are never translated.

The ``.po`` files are the source; the ``.mo`` files are compiled when the wheel is built
(``hatch_build.py``). A source checkout that was never built, or whose ``.po`` changed since,
compiles its ``.po`` with Babel (installed with the ``test`` extra) and keeps the ``.mo`` beside
it (git ignores it), so a developer sees the catalogue as it is in the tree, never a stale one.

Text written once and shown later in either language (the rule catalogue, a finding's message)
is marked with ``N_`` or built as a ``Phrase`` and translated when it is shown.
"""

from __future__ import annotations

import contextlib
import gettext
import io
import os
import tempfile
from collections.abc import Iterable
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
            _keep(compiled, built)
            return gettext.GNUTranslations(io.BytesIO(built))
    if compiled.exists():
        with compiled.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    return gettext.NullTranslations()


def _keep(compiled: Path, built: bytes) -> None:
    """Write the ``.mo`` a build would have made, so the next start reads it instead of
    compiling again; a tree that cannot be written to compiles each time, nothing worse."""
    written = None
    try:
        with tempfile.NamedTemporaryFile(dir=compiled.parent, suffix=".tmp",
                                         delete=False) as handle:
            written = handle.name
            handle.write(built)
        os.replace(written, compiled)  # atomic: a process reading it sees old or new, whole
    except OSError:
        if written is not None:
            with contextlib.suppress(OSError):
                os.unlink(written)


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


def pgettext(context: str, message: str) -> str:
    """``message`` in the active language, where the same English word needs another
    translation in ``context`` (``blank`` a cell, ``blank`` what a cell is)."""
    return translation().pgettext(context, message)


def in_language(message: str, language_code: str) -> str:
    """``message`` in a given language, whatever the active one (for ``message_zh`` in JSON)."""
    return translation(_normalize(language_code)).gettext(message)


class Phrase(str):
    """A message worded once and shown in either language: an English template and its values.

    As a ``str`` it is the English text, so it goes wherever a message did; ``render`` gives it
    in another language. A finding keeps both (``message``, ``message_zh``). Values are inserted
    with ``str.format``; a value that is itself a ``Phrase`` is rendered in the same language.
    The template must be a literal, so Babel extracts it: ``Phrase("off by {difference}", …)``.
    """

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, /, **values: Any) -> Phrase:
        phrase = super().__new__(cls, _render(template, values, "en"))
        phrase.template, phrase.values = template, values
        return phrase

    def render(self, language_code: str | None = None) -> str:
        """The message in ``language_code`` (the active language by default)."""
        return _render(self.template, self.values, language_code or language())

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.values))


def _render(template: str, values: dict[str, Any], language_code: str) -> str:
    shown = {name: value.render(language_code) if isinstance(value, Phrase) else value
             for name, value in values.items()}
    return in_language(template, language_code).format(**shown)


def _rebuild(template: str, values: dict[str, Any]) -> Phrase:
    return Phrase(template, **values)


def phrase_data(text: str) -> dict[str, Any] | None:
    """A ``Phrase`` as JSON data (its English template and its values, a value that is a
    ``Phrase`` nested the same way), to be stored and shown later in the reader's language;
    None for other text, which has no template to translate."""
    if not isinstance(text, Phrase):
        return None
    return {"template": text.template,
            "values": {name: phrase_data(value) if isinstance(value, Phrase) else value
                       for name, value in text.values.items()}}


def phrase_from_data(data: dict[str, Any]) -> Phrase:
    """The ``Phrase`` that ``phrase_data`` stored; a nested value is a dict with a template."""
    values = {name: phrase_from_data(value)
              if isinstance(value, dict) and "template" in value else value
              for name, value in data.get("values", {}).items()}
    return Phrase(str(data["template"]), **values)


def shown(text: str) -> str:
    """``text`` in the active language when it is a ``Phrase``; other text as it is."""
    return text.render() if isinstance(text, Phrase) else text


def listing(items: Iterable[object]) -> str:
    """Items as a list in the language shown now: ``2020, 2021`` in English, ``2020、2021``
    in Chinese (the enumeration comma)."""
    return ("、" if language() == "zh" else ", ").join(str(item) for item in items)


def joined(parts: list[Any], separator: str = "; ") -> Phrase:
    """``parts`` (phrases or plain text) joined, each rendered in the language of the whole.

    ``separator`` may itself be a ``Phrase`` (``Phrase("; ")`` reads ``；`` in Chinese).
    """
    names = [f"part{index}" for index in range(len(parts))]
    template = "{separator}".join("{" + name + "}" for name in names)
    return Phrase(template, separator=separator, **dict(zip(names, parts)))
