"""Compile the gettext catalogs (``goitui/locale/*/LC_MESSAGES/goi.po`` → ``goi.mo``) at build time.

The ``.mo`` files are build products, not sources: they are not committed (``.gitignore``), so
they can never disagree with the ``.po`` files people edit. A wheel gets them from a temporary
folder (``force_include``); an editable install gets them in the source tree, where
``goitui.i18n`` finds them (and, when a ``.po`` is newer, compiles that instead).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

DOMAIN = "goi"


def compile_catalogs(locale_dir: Path, out_dir: Path) -> list[Path]:
    """Every ``<lang>/LC_MESSAGES/goi.po`` under ``locale_dir`` compiled to the same path under ``out_dir``."""
    written = []
    for source in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        language = source.parent.parent.name
        with source.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=DOMAIN)
        target = out_dir / source.relative_to(locale_dir).with_suffix(".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(target)
    return written


class CatalogBuildHook(BuildHookInterface):
    """Hatch hook: the compiled catalogs go into the wheel (or the tree, for an editable install)."""

    PLUGIN_NAME = "catalogs"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        locale_dir = Path(self.root) / "goitui" / "locale"
        if version == "editable":
            compile_catalogs(locale_dir, locale_dir)
            return
        out_dir = Path(tempfile.mkdtemp(prefix="goi-catalogs-"))
        for target in compile_catalogs(locale_dir, out_dir):
            build_data["force_include"][str(target)] = \
                f"goitui/locale/{target.relative_to(out_dir).as_posix()}"
