"""The Typer application, its global options, and the one place errors become exit codes.

Exit codes: 0 done; 1 failed (a VeilleError, a file that cannot be opened or written, or a bug:
one line on stderr, or ``{"ok": false, ...}`` with ``--json``); 2 usage error (Click's
default); 3 done but records were quarantined, under ``--strict``. ``--debug`` shows the
traceback instead of the one line.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup, TyperOption

from veille import __version__
from veille.cli.output import emit_json, stderr
from veille.errors import VeilleError

__all__ = ["EXIT_FAILED", "EXIT_QUARANTINED", "app"]

EXIT_FAILED = 1
EXIT_QUARANTINED = 3


def _os_message(error: OSError) -> str:
    """'/proc/x: No such file or directory', without Python's '[Errno 2]'."""
    reason = error.strerror or str(error)
    names = [str(name) for name in (error.filename, error.filename2) if name is not None]
    return f"{' -> '.join(names)}: {reason}" if names else reason


def _hide_flag_types(command: Any, ctx: Any) -> None:
    # typer 0.29's rich help labels every flag "<bool>" (display_type_rich ignores is_flag);
    # an empty metavar leaves the type column blank, as for Click's own flags.
    for param in command.get_params(ctx):  # with --help, which Click adds when asked
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""


class _VeilleGroup(TyperGroup):
    """Turns errors into a one-line message and exit code 1; tracebacks only with --debug."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _hide_flag_types(command, ctx)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _hide_flag_types(self, ctx)
        super().format_help(ctx, formatter)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):  # Click's own exits and usage
            raise
        except BrokenPipeError:
            _silence_stdout()  # the reader of the pipe went away: nothing more to say
            raise typer.Exit(0) from None
        except VeilleError as error:
            _fail(ctx, error, str(error))
        except OSError as error:
            # A path the user gave that cannot be created, read or written.
            _fail(ctx, error, _os_message(error))
        except Exception as error:  # last resort: a bug, still shown in one line
            _fail(
                ctx,
                error,
                f"unexpected {type(error).__name__}: {error}; run again with --debug for "
                "the traceback, and please report it",
            )


def _fail(ctx: Any, error: Exception, message: str) -> NoReturn:
    if ctx.obj and ctx.obj.get("debug"):
        raise error
    if ctx.obj and ctx.obj.get("json"):
        emit_json({"ok": False, "error": message, "errors": [message]})
    else:
        stderr.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    raise typer.Exit(EXIT_FAILED) from None


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file behind stdout (a test runner's buffer)
        pass


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"veille {__version__}")
        raise typer.Exit(0)


app = typer.Typer(
    cls=_VeilleGroup,
    help="veille: an offline workbench for studying how armed groups use social networks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global_options(
    ctx: typer.Context,
    debug: bool = typer.Option(
        False, "--debug", help="Show tracebacks instead of one-line errors."
    ),
    version: bool = typer.Option(
        False,
        "--version",
        help="Print veille's version and exit.",
        callback=_print_version,
        is_eager=True,
    ),
) -> None:
    ctx.obj = {"debug": debug}
