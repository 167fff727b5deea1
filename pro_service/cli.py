"""The `pro-service` command: database, demo data and the instrument tools."""
from __future__ import annotations

import click
from alembic import command as alembic_command
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup

from pro_service.db import alembic_config, upgrade_database
from pro_service.plain_text import refuse_control_characters
from pro_service.reports.operations import fill_report_rows_if_missing

db_cli = AppGroup("db", help="Create and migrate the database schema.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Bring the schema to REVISION (default: the newest)."""
    upgrade_database(current_app.config["SETTINGS"].database_url, revision)
    click.echo(f"Database schema at {revision}.")
    filled = fill_report_rows_if_missing()
    if filled:
        click.echo(f"Report rows written for {filled} existing pathway(s).")


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    alembic_command.revision(alembic_config(current_app.config["SETTINGS"].database_url), message, autogenerate=True)


def register_app_commands(app: Flask) -> None:
    from pro_service.audit.commands import audit_cli
    from pro_service.auth.commands import users_cli
    from pro_service.auth.api_client_commands import COMMANDS as api_client_commands
    from pro_service.letters.commands import letters_cli
    from pro_service.pathways.commands import COMMANDS as pathway_commands
    from pro_service.interop.commands import export_cli
    from pro_service.interop.research_commands import export_research
    from pro_service.reports.commands import report_cli
    from pro_service.worker.commands import worker_command

    app.cli.add_command(db_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(letters_cli)
    app.cli.add_command(report_cli)
    export_cli.add_command(export_research)
    app.cli.add_command(export_cli)
    for cmd in pathway_commands:
        app.cli.add_command(cmd)
    for cmd in api_client_commands:
        app.cli.add_command(cmd)
    app.cli.add_command(worker_command)
    refuse_control_characters(app.cli)  # every text argument: exit 2 on a control character, nothing changed


def _create_app() -> Flask:
    from pro_service import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, help="pro-service: patient-reported outcomes for treatment packages.")


def _add_instrument_commands() -> None:
    # Plain click commands: scoring needs neither the app nor a database.
    from pro_service.commands.instruments import COMMANDS

    for cmd in COMMANDS:
        refuse_control_characters(cmd)
        main.add_command(cmd)


_add_instrument_commands()

# Plain click too: gunicorn makes the app itself, once, before its workers fork.
from pro_service.serve import serve_command  # noqa: E402

refuse_control_characters(serve_command)
main.add_command(serve_command)

# Plain click too: the catalogues need no app.
from pro_service.i18n_commands import translations  # noqa: E402

refuse_control_characters(translations)
main.add_command(translations)
