"""Keep the gettext catalogs in step with the code: extract, update, check (needs Babel).

    python -m goitui.testing.catalogs update   # goi.pot from the code; zh and en .po merged
    python -m goitui.testing.catalogs check    # what is untranslated; exit 1 if anything is

``update`` writes ``goitui/locale/goi.pot`` and merges it into ``zh`` and ``en``; an English
entry gets its msgid as msgstr (English is the language of the code), a new Chinese entry an
empty msgstr for a person to write. ``check`` extracts from the code as it is now — never from
a stale ``.pot`` — so a message added without its translation is named, with where it is.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from goitui.i18n import DOMAIN, LANGUAGES, LOCALE_DIR


def _source_root() -> Path:
    """The checkout whose catalogs are written and checked: the package's own tree when it is
    a checkout (an editable install), else the working directory — CI installs goi from its
    source tree (``pip install .``), and the installed package holds only the compiled ``.mo``."""
    for root in (LOCALE_DIR.parents[1], Path.cwd()):
        if (root / "goitui" / "locale" / "zh" / "LC_MESSAGES" / f"{DOMAIN}.po").exists():
            return root
    return LOCALE_DIR.parents[1]


ROOT = _source_root()
SOURCE_LOCALE = ROOT / "goitui" / "locale"
TEMPLATE = SOURCE_LOCALE / f"{DOMAIN}.pot"
#: Babel's keywords, and ``Phrase`` (a finding's message: template first, values as keywords)
KEYWORDS = {**DEFAULT_KEYWORDS, "Phrase": None}
#: a fixed date in the headers: an update that changes no message changes no file
_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)
_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def po_path(language: str) -> Path:
    return SOURCE_LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """Every message the code marks, with where it is (the template, ``goi.pot``)."""
    catalog = _new()
    method_map = [("goitui/**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
            ROOT, method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
        if filename.startswith("goitui/testing/"):
            continue  # tools for tests, not messages a user reads
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    for filename, lineno, docstring in command_docstrings():
        catalog.add(docstring, None, [(filename, lineno)])
    return catalog


def command_docstrings() -> list[tuple[str, int, str]]:
    """The docstrings Typer shows as a command's help (``goitui.cli`` translates them when it
    registers the commands): of each function decorated with ``.command``/``.callback`` or
    passed to ``app.command(…)(function)`` in ``goitui/commands/`` and ``goitui/cli.py``."""
    import ast

    found = []
    for path in sorted([ROOT / "goitui" / "cli.py", *(ROOT / "goitui" / "commands").glob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        registered = {arg.id for node in ast.walk(tree) if isinstance(node, ast.Call)
                      and isinstance(node.func, ast.Call) and _registers(node.func)
                      for arg in node.args if isinstance(arg, ast.Name)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            decorated = any(isinstance(d, ast.Call) and _registers(d) for d in node.decorator_list)
            docstring = ast.get_docstring(node, clean=True)
            if docstring and (decorated or node.name in registered):
                found.append((path.relative_to(ROOT).as_posix(), node.lineno, docstring))
    return found


def _registers(call: object) -> bool:
    import ast

    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and call.func.attr in ("command", "callback")
            and not any(k.arg == "help" for k in call.keywords))  # its help is given


def _new(language: str | None = None) -> Catalog:
    return Catalog(locale=language, domain=DOMAIN, project="goi", version="", charset="utf-8",
                   copyright_holder="the goi developers", creation_date=_DATE,
                   revision_date=_DATE, fuzzy=False,
                   header_comment=f"# {language or 'Template'} messages of goi: see goitui/i18n.py.\n")


def read(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return _new(language)
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.creation_date = catalog.revision_date = _DATE
    catalog.fuzzy = False
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True,
                 include_previous=False)


def update() -> dict[str, list[str]]:
    """Write the template and merge it into every language; return what is left untranslated."""
    template = extract()
    _write(template, TEMPLATE)
    for language in LANGUAGES:
        catalog = read(language)
        catalog.update(template, no_fuzzy_matching=True)
        if language == "en":
            for message in catalog:
                if message.id and not _translated(message):
                    message.string = message.id
                    message.flags.discard("fuzzy")
        _write(catalog, po_path(language))
    return missing(template)


def _translated(message: Message) -> bool:
    if "fuzzy" in message.flags:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a ``str.format`` template (``{{`` is a literal brace)."""
    return {m.group(1).split("!")[0].split(":")[0] for m in _PLACEHOLDER.finditer(text)}


@dataclass
class Problem:
    language: str
    msgid: str
    where: str
    why: str

    def __str__(self) -> str:
        return f"[{self.language}] {self.where}: {self.why}: msgid {self.msgid!r}"


def problems(template: Catalog | None = None) -> list[Problem]:
    """Every message of the code without a usable translation, in every language."""
    template = template or extract()
    out: list[Problem] = []
    for language in LANGUAGES:
        catalog = read(language)
        for message in template:
            if not message.id:
                continue
            where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
            found = catalog.get(message.id, message.context)
            if found is None or not _translated(found):
                why = "not in the catalogue" if found is None else "not translated"
                out.append(Problem(language, _first(message.id), where, why))
                continue
            out += _format_problems(language, message, found, where)
    return out


def _first(msgid: str | tuple[str, ...] | list[str]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _format_problems(language: str, message: Message, found: Message, where: str) -> list[Problem]:
    """A translation must use the same ``{fields}`` as the English, or formatting it fails."""
    ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
    wanted = set().union(*(placeholders(i) for i in ids))
    strings = (found.string,) if isinstance(found.string, str) else tuple(found.string or ())
    out = []
    for string in strings:
        got = placeholders(string)
        if got - wanted or (len(ids) == 1 and wanted - got):
            out.append(Problem(language, ids[0], where,
                               f"fields {sorted(got)} in the translation, {sorted(wanted)} in "
                               "the English"))
    return out


def missing(template: Catalog | None = None) -> dict[str, list[str]]:
    """Per language, the msgids without a usable translation."""
    out: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    for problem in problems(template):
        out[problem.language].append(problem.msgid)
    return out


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
    found = problems()
    for problem in found:
        print(problem)
    print(f"{len(found)} message(s) need a translation" if found else "every message is translated")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
