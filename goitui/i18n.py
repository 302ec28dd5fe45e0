"""Translations of what a person reads: GNU gettext catalogs (``goitui/locale/<lang>/LC_MESSAGES/goi.mo``).

Messages are written in English in the code and wrapped in ``_()``; the Simplified Chinese
catalogue (``zh``) is the first language of goi's users. The language comes from ``--lang``
(``set_language``), else ``GOI_LANG`` (``zh``/``en``), else the locale variables ``LC_ALL``,
``LC_MESSAGES``, ``LANG`` as gettext reads them; English is the fallback. JSON keys, rule ids and
figure keys are never translated.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "goi"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh", "en")

_translation: gettext.NullTranslations | None = None


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
    global _translation
    _translation = None
    if language:
        os.environ["GOI_LANG"] = _normalize(language)


def language() -> str:
    """The language messages are shown in now: ``zh`` or ``en``."""
    return _normalize(_wanted()[0])


def translation() -> gettext.NullTranslations:
    """The active catalogue (a ``NullTranslations`` for English or where no catalogue is installed)."""
    global _translation
    if _translation is None:
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language()], fallback=True)
    return _translation


def _(message: str) -> str:
    """``message`` in the active language."""
    return translation().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count`` in the active language."""
    return translation().ngettext(singular, plural, count)


def in_language(message: str, language_code: str) -> str:
    """``message`` in a given language, whatever the active one (for ``message_zh`` in JSON)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language_code],
                               fallback=True).gettext(message)
