"""Every command refuses a control character in a text argument: exit 2 with a message, nothing changed."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlmodel import select

from pro_service.commands.instruments import score
from pro_service.pathways.models import Unit


@pytest.mark.parametrize("args", [
    ["units", "create", "DPS\x00A", "DPS A"],
    ["units", "create", "DPS-A", "DPS\x0c A"],
    ["units", "create", "DPS-A", "DPS A", "--email", "post@dps.example\r\nBcc: x@example.org"],
])
def test_units_create_refuses_a_control_character(app, session, args):
    result = app.test_cli_runner().invoke(args=args)

    assert result.exit_code == 2, result.output
    assert "must not contain control characters" in result.output
    session.expire_all()
    assert session.exec(select(Unit)).all() == []


def test_every_text_argument_of_every_command_is_checked(app):
    from pro_service.cli import main
    from pro_service.plain_text import PlainTextParam

    def params(command, trail=()):
        for param in command.params:
            yield (*trail, command.name, param.name), param
        for sub in getattr(command, "commands", {}).values():
            yield from params(sub, (*trail, command.name))

    commands = [*app.cli.commands.values(), *(c for name, c in main.commands.items() if name not in
                                              ("run", "shell", "routes"))]
    plain = [(where, p) for command in commands for where, p in params(command)
             if type(p.type).__name__ == "StringParamType"]
    assert plain == []
    assert any(isinstance(p.type, PlainTextParam) for c in commands for _w, p in params(c))


def test_a_multi_line_note_keeps_its_line_breaks_but_not_a_nul(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["letters", "render", "--milestone-event", "x", "--out",
                                                str(tmp_path / "l.pdf"), "--note", "one\0two"])
    assert result.exit_code == 2 and "U+0000" in result.output

    result = app.test_cli_runner().invoke(args=["letters", "render", "--milestone-event", "x", "--out",
                                                str(tmp_path / "l.pdf"), "--note", "one\ntwo"])
    assert result.exit_code == 1 and "no milestone event" in result.output  # past the check, to the lookup


def test_a_scoring_command_refuses_a_control_character():
    result = CliRunner().invoke(score, ["phq9\x1b", "1"])

    assert result.exit_code == 2 and "must not contain control characters (found U+001B)" in result.output
