"""``plm-bib``: the command line.  The only package that prints or chooses exit codes.

This module holds the group (``main``, the entry point) and turns what escapes a command into
one line and an exit code; :mod:`~plm_bib.cli.common` has what the commands share,
:mod:`~plm_bib.cli.outputs` the commands that write a library to a file (export, build, pdf,
html, enrich), :mod:`~plm_bib.cli.queries` those that answer on the terminal (cite, check, styles,
formats), :mod:`~plm_bib.cli.keying` the key options and ``duplicates``, :mod:`~plm_bib.cli.fixing` ``fix``.

Exit codes: 0 success; 1 ``check --strict`` found an error (``duplicates --strict``: a
duplicate; ``cite --strict``: a cited key in no ``.bib``); 2 usage error or input that cannot
be read (the message names the file and line), also an output that is the input;
4 output that cannot be written; 70 an internal error (a bug: ``--verbose`` shows the
traceback, with the same exit code); 130 interrupted.
Errors are one line, ``plm-bib: error: file:line: message``, never a traceback.
"""
from __future__ import annotations

import importlib
import sys
import traceback
from typing import Any, Dict, List, Optional, Tuple

import click

from plm_bib import __version__
from plm_bib.cli.common import EXIT_BUG, EXIT_INPUT, encoding_option, pinyin_memo
from plm_bib.errors import InputError

__all__ = ["main", "run", "COMMANDS"]

#: every command: its name, and the module of this package and the function that hold it.  A
#: command's module is imported when the command runs (or ``--help`` lists them all), so that
#: ``plm-bib check`` does not load the exporters, the PDF writer or the HTTP stack.
COMMANDS: Dict[str, Tuple[str, str]] = {
    "build": ("outputs", "build"), "check": ("queries", "check"), "cite": ("queries", "cite"),
    "duplicates": ("keying", "duplicates"), "enrich": ("outputs", "enrich_cmd"),
    "export": ("outputs", "export"), "fix": ("fixing", "fix"), "formats": ("queries", "formats_cmd"),
    "html": ("outputs", "html_cmd"), "pdf": ("outputs", "pdf"), "styles": ("queries", "styles_cmd"),
}


class _Group(click.Group):
    """Turns what escapes a command into one line and an exit code; ``--verbose`` prints the
    traceback first (the exit code stays).  Commands are loaded by name from :data:`COMMANDS`."""

    def list_commands(self, ctx: click.Context) -> List[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> Optional[click.Command]:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            module, attr = COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(f"plm_bib.cli.{module}"), attr), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with pinyin_memo():
                return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("plm-bib: interrupted", err=True)
            sys.exit(130)
        except InputError as e:
            if ctx.meta.get("plm_bib.verbose"):
                traceback.print_exc(file=sys.stderr)
            click.echo(f"plm-bib: error: {e}", err=True)
            sys.exit(EXIT_INPUT)
        except Exception as e:
            if ctx.meta.get("plm_bib.verbose"):
                traceback.print_exc(file=sys.stderr)
            click.echo(f"plm-bib: internal error: {type(e).__name__}: {e} "
                       "(run with --verbose for the traceback, and please report it)", err=True)
            sys.exit(EXIT_BUG)


def _set_verbose(ctx: click.Context, _param: Any, value: bool) -> bool:
    ctx.meta["plm_bib.verbose"] = value
    return value


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plm-bib")
@click.option("-v", "--verbose", is_flag=True, expose_value=False, is_eager=True, callback=_set_verbose,
              help="show the traceback of an error (the exit code stays)")
@encoding_option
def main() -> None:
    """Turn Markdown reading lists of papers into a correct, citable library.

    INPUT is a Markdown reading list (.md), a BibTeX file (.bib), CSL-JSON or native JSON;
    without INPUT the built-in reading list is used.
    """


def run(argv: Optional[List[str]] = None) -> int:
    try:
        main.main(args=argv, prog_name="plm-bib", standalone_mode=False)
    except click.exceptions.Exit as e:
        return int(e.exit_code)
    except click.ClickException as e:
        e.show()
        return 2
    except SystemExit as e:
        return int(e.code or 0)
    return 0
