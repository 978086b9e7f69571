"""`aict --help` as a newcomer reads it: one summary line per command."""

from __future__ import annotations

import typer.main
from typer.testing import CliRunner

from publisher.cli import app


def test_each_command_is_summed_up_in_one_line():
    # The list of commands showed validate's three-line docstring with its line breaks,
    # cut mid-sentence ("vocabularies and the" / "published dataset as…").
    for name, command in typer.main.get_command(app).commands.items():
        summary = (command.help or "").strip().split("\n\n")[0]
        assert "\n" not in summary, name
    listing = CliRunner().invoke(app, ["--help"], terminal_width=200).output
    assert "Validate RDF files or filled spreadsheets against the AICT shapes." in listing
