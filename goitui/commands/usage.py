"""Typer's own words — usage lines, help headings, usage errors — in the interface's language.

goi's help texts and messages are in its catalogue; the words around them are Typer's. Typer
(0.29) carries its own copy of click, whose words are English literals (``Usage:``, ``Show
this message and exit.``, ``Error: No such option``…), and marks a few more of its own with
the stdlib ``gettext`` (the ``Options`` / ``Arguments`` / ``Commands`` headings, ``[default:
…]``, ``No such command``). The messages are listed here, so Babel puts them in goi's catalogue,
and each reaches the screen translated by the one means Typer leaves open to it:

- the usage line: the formatter of goi's commands' context (``GoiContext``) writes its prefix;
- ``--help``'s own help and the completion options' help: set when a command is asked for them;
- Typer's ``gettext`` messages: ``typer.core``'s ``_`` is bound to goi's catalogue
  (``bind_typer``), so they follow ``--lang`` and ``GOI_LANG`` as goi's messages do;
- a usage error: ``usage_error_text`` words it again from what the English message says (the
  exception keeps no more than that), one pattern per kind of error; a message no pattern
  knows (a kind a later Typer adds) stays as Typer wrote it, never guessed at.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

import typer
import typer.core
from typer.core import TyperCommand

from goitui.i18n import N_, _
from goitui.render.display import width
from goitui.render.wrap import wrap

#: the usage errors of Typer's click (``typer.BadParameter`` is one), without naming its
#: private module
USAGE_ERROR: type[Exception] = typer.BadParameter.__mro__[1]

#: Typer's messages marked with gettext (``typer/core.py``), for Babel to find
TYPER_MESSAGES = (N_("Arguments"), N_("Options"), N_("Commands"), N_("default: {default}"),
                  N_("env var: {var}"), N_("required"), N_("(dynamic)"), N_("Aborted!"),
                  N_("Missing command."), N_("No such command {name!r}."))

#: the placeholders of Typer's usage line (``goi [OPTIONS] COMMAND [ARGS]...``)
USAGE_WORDS = {"[OPTIONS]": N_("[OPTIONS]"), "COMMAND [ARGS]...": N_("COMMAND [ARGS]...")}

#: the kind of value an option or argument takes, as Typer names it in the help (``--year
#: <int>``: the Python type's name), in words a person reads; a choice lists its values
TYPE_NAMES = {"str": N_("text"), "int": N_("integer"), "int range": N_("integer"),
              "float": N_("number"), "float range": N_("number"), "path": N_("path"),
              "file": N_("file"), "directory": N_("folder")}
_VALUE_TYPE = re.compile(r"<(?:list\[(?P<listed>[^<>]+)\]|(?P<one>[^<>]+))>$")


def value_type(name: str) -> str:
    """A help row's name with its value's kind in the interface's language: ``--year <int>``
    is ``--year <integer>`` (``<整数>`` in Chinese); a list is the kind of each of its
    values (the help says when an option can be repeated)."""
    match = _VALUE_TYPE.search(name)
    if match is None:
        return name
    kind = match["listed"] or match["one"]
    shown = _(TYPE_NAMES[kind]) if kind in TYPE_NAMES else kind
    return name[:match.start()] + f"<{shown}>"


#: the help of the completion options Typer adds to ``goi`` itself: the shell detected (with
#: shellingham installed) or given (``--show-completion bash``, without it)
COMPLETION_HELP = (
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Install completion for the specified shell."),
    N_("Show completion for the specified shell, to copy it or customize the installation."),
)


def bind_typer() -> None:
    """Typer's gettext messages from goi's catalogue, in goi's language at the time each is
    shown. ``typer.core`` looks them up through its module-level ``_`` (the stdlib's
    ``gettext.gettext``, which reads only the stdlib's own domain and the locale, never
    ``--lang``); goi's ``_`` takes its place. Idempotent."""
    typer.core._ = _


#: Typer's context and help formatter, reached through its public command class
_TyperContext: Any = TyperCommand.context_class
_TyperFormatter: Any = _TyperContext.formatter_class


class GoiHelpFormatter(_TyperFormatter):
    """Help and usage text, its ``Usage:`` in the interface's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        """``Options:``, ``Commands:``… with the colon of the interface's language (``选项：``)."""
        self.write(" " * self.current_indent + _("{heading}:").format(heading=heading) + "\n")

    def write_text(self, text: str) -> None:
        """A help text's paragraphs wrapped by terminal cells (a Chinese character takes two,
        which click's wrapper counts as one), lines joined without a space between Chinese."""
        indent = " " * self.current_indent
        for number, paragraph in enumerate(text.split("\n\n")):
            if number:
                self.write("\n")
            if paragraph.startswith("\b"):  # click's mark: printed as written
                self.write("".join(indent + line + "\n" for line in paragraph.splitlines()[1:]))
                continue
            lines = wrap(_joined_lines(paragraph), self.width, first=indent, indent=indent)
            self.write("".join(line + "\n" for line in lines))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        """Options, arguments and commands with their help, aligned and wrapped by terminal
        cells; the kind of each value in the interface's language (``value_type``)."""
        rows = [(value_type(name), help) for name, help in rows]
        first = min(max((width(name) for name, _help in rows), default=0), col_max)
        column = " " * (self.current_indent + first + col_spacing)
        for name, help in rows:
            head = " " * self.current_indent + name
            if not help:
                self.write(head + "\n")
                continue
            if width(name) <= first:
                head += " " * (first + col_spacing - width(name))
            else:
                self.write(head + "\n")
                head = column
            help_width = max(self.width - 2, width(column) + 10)
            # Typer's ``[default: …]``, ``[required]``… close the help, each kept on one line
            text, extras = ("", help) if help.startswith("[") else help.partition("  [")[::2]
            extras = extras if help.startswith("[") or not extras else "[" + extras
            lines = wrap(_joined_lines(text), help_width, first=head, indent=column)
            if extras and width(lines[-1]) + 2 + width(extras) <= help_width:
                lines[-1] += ("  " if text else "") + extras
            elif extras:
                lines.append(column + extras)
            self.write("".join(line + "\n" for line in lines))


def _joined_lines(text: str) -> str:
    """A paragraph's lines as one: a space between English words, none where Chinese meets."""
    joined = ""
    for line in (line.strip() for line in text.splitlines()):
        if joined and line and width(joined[-1]) < 2 and width(line[0]) < 2:
            joined += " "
        joined += line
    return joined


class GoiContext(_TyperContext):
    formatter_class = GoiHelpFormatter


class Translated:
    """What goi's commands and groups add to Typer's: their own words in goi's language
    (each also takes ``GoiContext`` as its ``context_class``)."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        return [_(USAGE_WORDS[piece]) if piece in USAGE_WORDS else piece for piece in pieces]

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if param.help in COMPLETION_HELP:
                param.help = _(param.help)
        if not any(param.name == "lang" for param in params):
            language = _language_option(ctx)
            if language is not None:
                params.append(language)
        return params


def _language_option(ctx: Any) -> Any:
    """``goi``'s own ``--lang`` for a command or sub-group below it, so that ``goi list --lang
    zh`` (``--lang=zh``, ``goi agencies merge … --lang zh``) is read as ``goi --lang zh list``:
    a copy of the root's option, hidden from the command's help and not passed to the
    command. The command's parser takes it, so a value after ``--`` or the value of another
    option (``--agency --lang``) stays what it was. None when the root has no ``--lang`` (a
    sub-app run on its own)."""
    root = ctx.find_root().command
    if root is ctx.command:
        return None
    original = next((param for param in root.params if param.name == "lang"), None)
    if original is None:
        return None
    copied = _LANGUAGE_OPTIONS.get(id(original))
    if copied is None or copied[0] is not original:
        option = copy.copy(original)
        option.expose_value, option.hidden = False, True
        copied = _LANGUAGE_OPTIONS[id(original)] = (original, option)
    return copied[1]


#: the copy of each root ``--lang`` (keyed by the original's id, which the tuple keeps alive)
_LANGUAGE_OPTIONS: dict[int, tuple[Any, Any]] = {}


class GoiCommand(Translated, TyperCommand):
    """A ``goi`` command (``cli.py`` gives every command this class)."""

    context_class = GoiContext


# ---------------------------------------------------------------- usage errors

#: how a usage error is said again: a message (its placeholders named as the pattern's
#: groups) or, where the words need more than filling in, a function of the match
Rewording = str | Callable[[re.Match[str]], str]


def _joined(first: str, second: str) -> str:
    """Two sentences: a space after English punctuation, none after Chinese (。)."""
    return first + ("" if first.endswith(("。", "？", "！", "）")) else " ") + second


def _reason(match: re.Match[str], group: str = "reason") -> str:
    return reworded(match.group(group))


#: (what Typer's English says, the same in goi's words); tried in order, the whole message
_REWORDINGS: list[tuple[str, Rewording]] = [
    # Typer appends its suggestion to a message it may have translated already (。.)
    (r"(?P<message>.*?[.。])\.? Did you mean (?P<names>.+)\?",
     lambda m: _joined(reworded(m.group("message")),
                       _("Did you mean {names}?").format(names=m.group("names")))),
    (r"No such option: (?P<name>.+?) \(Possible options: (?P<names>.+)\)",
     N_("No such option: {name} (Possible options: {names})")),
    (r"No such option: (?P<name>.+)",
     N_("No such option: {name}")),
    (r"No such command (?P<name>.+)\.",
     lambda m: _("No such command {name!r}.").format(name=m.group("name").strip("'"))),
    (r"Missing command\.", N_("Missing command.")),
    (r"Missing argument (?P<name>.+?)\.(?: (?P<reason>.+))?",
     lambda m: _("Missing argument {name}.").format(name=m.group("name"))
     + (" " + _reason(m) if m.group("reason") else "")),
    (r"Missing option (?P<name>.+?)\.(?: (?P<reason>.+))?",
     lambda m: _("Missing option {name}.").format(name=m.group("name"))
     + (" " + _reason(m) if m.group("reason") else "")),
    (r"Missing parameter:? (?P<name>.+?)\.?",
     N_("Missing parameter {name}.")),
    (r"Choose from:(?P<names>.*)", lambda m: _("Choose from:") + m.group("names")),
    (r"Invalid value for (?P<name>.+?): (?P<reason>.+)",
     lambda m: _("Invalid value for {name}: {reason}").format(name=m.group("name"),
                                                              reason=_reason(m))),
    (r"Invalid value: (?P<reason>.+)",
     lambda m: _("Invalid value: {reason}").format(reason=_reason(m))),
    (r"Value error, (?P<reason>.+)", _reason),
    (r"(?P<value>.+) is not one of (?P<names>.+)\.",
     N_("{value} is not one of {names}.")),
    (r"Input should be a valid integer.*", N_("a whole number is needed")),
    (r"Input should be a valid number.*", N_("a number is needed")),
    (r"Input should be a valid boolean.*", N_("true or false is needed")),
    (r"Value (?P<value>.+) is not a valid (?P<kind>.+)\.",
     N_("{value} is not a valid {kind}.")),
    (r"Option (?P<name>.+) requires an argument\.",
     N_("Option {name} requires a value.")),
    (r"Option (?P<name>.+) requires (?P<count>\d+) arguments\.",
     N_("Option {name} requires {count} values.")),
    (r"Option (?P<name>.+) does not take a value\.",
     N_("Option {name} does not take a value.")),
    (r"Argument (?P<name>.+) takes (?P<count>\d+) values\.",
     N_("Argument {name} takes {count} values.")),
    (r"Got unexpected extra argument(?:\(s\)|s)? \((?P<names>.*)\)",
     N_("Got unexpected extra argument(s) ({names})")),
    (r"(?:File|Directory|Path) (?P<path>.+) does not exist\.",
     N_("{path} does not exist.")),
    (r"(?:File|Directory|Path) (?P<path>.+) is a file\.",
     N_("{path} is a file.")),
    (r"(?:File|Directory|Path) (?P<path>.+) is a directory\.",
     N_("{path} is a directory.")),
    (r"(?:File|Directory|Path) (?P<path>.+) is not readable\.",
     N_("{path} cannot be read.")),
    (r"(?:File|Directory|Path) (?P<path>.+) is not writable\.",
     N_("{path} cannot be written.")),
]
PATTERNS: list[tuple[re.Pattern[str], Rewording]] = [
    (re.compile(pattern), reword) for pattern, reword in _REWORDINGS]


def reworded(message: str) -> str:
    """A usage error's English message (Typer's words) in the interface's language."""
    for pattern, reword in PATTERNS:
        match = pattern.fullmatch(message)
        if match is not None:
            return (_(reword).format(**match.groupdict()) if isinstance(reword, str)
                    else reword(match))
    if "\n" in message:  # Typer's first line, then what it lists or goi added (a hint)
        first, rest = message.split("\n", 1)
        return reworded(first) + "\n" + rest
    return message


def usage_error_text(error: Any) -> str:
    """What a usage error shows — the usage line, where help is, the error — in goi's words
    (the English of Typer's ``UsageError.show``, line for line)."""
    lines = []
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(_("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=ctx.help_option_names[0]))
        lines.append("")
    lines.append(_("Error: {message}").format(message=reworded(error.format_message())))
    return "\n".join(lines)


def shown_usage_error(error: Exception) -> bool:
    """True when ``error`` was a usage error, now shown on stderr in goi's words (the caller
    then exits with its code); ``goi`` alone (its help instead of an error) is left to Typer."""
    if not isinstance(error, USAGE_ERROR) or type(error).__name__ == "NoArgsIsHelpError":
        return False
    typer.echo(usage_error_text(error), err=True)
    return True
