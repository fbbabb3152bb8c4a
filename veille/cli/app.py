"""The Typer application, its global options, and the one place errors become exit codes.

Exit codes: 0 done; 1 failed (a VeilleError: message on stderr, or ``{"ok": false, ...}`` with
``--json``); 2 usage error (Click's default); 3 done but records were quarantined, under
``--strict``.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from veille.cli.output import emit_json, stderr
from veille.errors import VeilleError

__all__ = ["EXIT_FAILED", "EXIT_QUARANTINED", "app"]

EXIT_FAILED = 1
EXIT_QUARANTINED = 3


class _VeilleGroup(TyperGroup):
    """Turns VeilleError into a one-line message and exit code 1; tracebacks only with --debug."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except VeilleError as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            if ctx.obj and ctx.obj.get("json"):
                emit_json({"ok": False, "error": str(error), "errors": [str(error)]})
            else:
                stderr.print(f"[red]error:[/red] {error}", markup=True, highlight=False)
            raise typer.Exit(EXIT_FAILED) from None


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
) -> None:
    ctx.obj = {"debug": debug}
