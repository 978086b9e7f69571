"""The `aict` command line. It parses arguments, calls the library and maps errors to exit
codes; it holds no logic of its own.

Exit codes (fixed, modelled on pySHACL's): 0 success or conforms, 1 data does not conform,
2 input that cannot be read or bad usage, 3 internal error. Tracebacks only with --debug.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from publisher.config import Settings, load_settings, package_version
from publisher.errors import AictError, ConfigError, InputError

EXIT_OK = 0
EXIT_NONCONFORMING = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3

app = typer.Typer(
    name="aict",
    help="Linked open data for the international action of local authorities (AICT).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")
_state = {"debug": False}


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(package_version())
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    _state["debug"] = debug


def guarded(action: Callable[[], T]) -> T:
    """Run a library call, turning our errors into a message and an exit code."""
    try:
        return action()
    except (InputError, ConfigError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except AictError as exc:
        if _state["debug"]:
            raise
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(EXIT_INTERNAL) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:  # the one boundary where unknown failures become exit code 3
        if _state["debug"]:
            raise
        typer.secho(
            f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None


# Every command that reads settings takes this option and calls `command_settings`.
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        envvar="AICT_CONFIG",
        help="TOML file of settings (every key: aict.toml.example); environment variables "
        "AICT_<NAME> override it, and flags override both.",
        show_default=False,
    ),
]


def command_settings(
    config: Path | None, context: typer.Context | None = None, **flags: object
) -> Settings:
    """The one settings loader of every command: defaults < config file < AICT_* < flags.

    A subcommand also takes the --config given to its group (`aict import --config F gcom`)."""
    while config is None and context is not None:
        config, context = context.params.get("config"), context.parent
    return guarded(lambda: load_settings(config, **flags))


# Each command lives in its own module under publisher/commands/ and registers itself on `app`.
import publisher.commands  # noqa: E402,F401


def main() -> None:
    app(prog_name="aict")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
