"""``veille serve``: the workbench, a local web app over one case."""

from __future__ import annotations

import secrets
from pathlib import Path

import typer

from veille.cli.app import app
from veille.cli.output import JsonOption, emit_json, stderr
from veille.errors import ConfigError

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _hosts(host: str, port: int) -> list[str]:
    """The Host headers the app answers to: the address it listens on, with and without port."""
    names = {host, *(_LOOPBACK if host in _LOOPBACK else ())}
    shown = {f"[{name}]" if ":" in name else name for name in names}
    return sorted(shown | {f"{name}:{port}" for name in shown})


@app.command()
def serve(
    case: Path = typer.Argument(..., help="The case folder."),
    host: str = typer.Option(
        "127.0.0.1", help="Address to listen on; only this machine by default."
    ),
    port: int = typer.Option(8765, min=1, max=65535, help="Port to listen on."),
    token: str | None = typer.Option(
        None,
        help="Token every request must carry; generated and printed once when the host "
        "is not the loopback and none is given.",
    ),
    writer: str | None = typer.Option(
        None, "--as", help="Name notes and watchlist entries are written under (the system user)."
    ),
    json_output: bool = JsonOption,
) -> None:
    """Open the workbench: search, a page for every post, account and finding."""
    import uvicorn

    from veille.web.app import create_app

    if host not in _LOOPBACK and token is None:
        token = secrets.token_urlsafe(24)
    if token is not None and len(token) < 16:
        raise ConfigError("--token: use at least 16 characters")
    if writer is not None and not writer.strip():
        raise ConfigError("--as: give a name")
    application = create_app(case, hosts=_hosts(host, port), token=token, author=writer)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    if json_output:  # for scripts: the address, before serving
        emit_json({"ok": True, "url": address})
    else:
        stderr.print(f"veille workbench on {address}  (Ctrl-C stops it)", markup=False)
    uvicorn.run(application, host=host, port=port, log_level="warning", access_log=False)
