"""The `aict` command line. It parses arguments, calls the library and maps errors to exit
codes; it holds no logic of its own.

Exit codes (fixed, modelled on pySHACL's): 0 success or conforms, 1 data does not conform,
2 input that cannot be read or bad usage, 3 internal error. Tracebacks only with --debug.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
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


def guarded(action: Callable[[], T], lang: str | None = None) -> T:
    """Run a library call, turning our errors into a message and an exit code; with `lang`,
    unreadable input is reported in that language, one line per error (a spreadsheet's cells
    are described in French and English)."""
    try:
        return action()
    except InputError as exc:
        if lang is None:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        else:
            _echo_unreadable(exc, lang)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except ConfigError as exc:
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


def _echo_unreadable(exc: InputError, lang: str) -> None:
    # Imported here: the renderers are not needed unless input was refused.
    from publisher.validation.inputs import InputErrors
    from publisher.validation.render import RenderOptions, render_errors

    errors = exc.errors if isinstance(exc, InputErrors) else [exc]
    colour = sys.stderr.isatty() and "NO_COLOR" not in os.environ
    options = RenderOptions(lang=lang, color=colour)
    typer.echo(render_errors(errors, "text", options), nl=False, err=True)


class Lang(StrEnum):
    fr = "fr"
    en = "en"


# The language of messages, for the commands that report on contributed data.
LangOption = Annotated[
    Lang | None,
    typer.Option(help="Language of messages (default: AICT_LANG, then LC_ALL/LANG)."),
]


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
