"""`pro-service users …`: clinicians and their roles, from the command line."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlmodel import select

from pro_service import db
from pro_service.auth.models import USER_LANGUAGES, Role
from pro_service.auth.users import UserError, create_user, find_user, grant_role, reset_password
from pro_service.pathways.models import Unit

users_cli = AppGroup("users", help="Create clinicians and give them roles in units.")

_ROLE = click.Choice([role.value for role in Role])


def _unit(code: str) -> Unit:
    unit = db.session().exec(select(Unit).where(Unit.code == code)).first()
    if unit is None:
        raise click.ClickException(f"no unit with code {code!r}")
    return unit


@users_cli.command("create")
@click.argument("email")
@click.option("--unit", "unit_code", required=True, help="The unit's code.")
@click.option("--role", required=True, type=_ROLE)
@click.option("--name", default=None, help="The name shown in the clinic pages (default: the email).")
@click.option("--language", default="nb", type=click.Choice(USER_LANGUAGES), show_default=True)
def create(email: str, unit_code: str, role: str, name: str | None, language: str) -> None:
    """Create a user with ROLE in a unit and print a one-time password (shown only this once)."""
    try:
        with db.unit_of_work():
            user, password = create_user(email=email, name=name or "", unit=_unit(unit_code),
                                         role=role, language=language)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {user.email} ({role} in {unit_code}).")
    click.echo(f"One-time password (shown only now; give it to the user in person): {password}")
    click.echo("It works for one login, which asks the user to choose their own password.")


@users_cli.command("grant")
@click.argument("email")
@click.option("--unit", "unit_code", required=True, help="The unit's code.")
@click.option("--role", required=True, type=_ROLE)
def grant(email: str, unit_code: str, role: str) -> None:
    """Give an existing user ROLE in a unit (replacing their role there)."""
    with db.unit_of_work():
        user = find_user(email=email)
        if user is None:
            raise click.ClickException(f"no user with email {email.strip().lower()!r}")
        grant_role(user=user, unit=_unit(unit_code), role=role)
    click.echo(f"{user.email} is now {role} in {unit_code}.")



@users_cli.command("reset-password")
@click.argument("email")
def reset_password_command(email: str) -> None:
    """Give a user a new one-time password and end all their sessions (a forgotten or leaked password)."""
    with db.unit_of_work():
        user = find_user(email=email)
        if user is None:
            raise click.ClickException(f"no user with email {email.strip().lower()!r}")
        password = reset_password(user=user)
    click.echo(f"{user.email} is logged out everywhere; their old password no longer works.")
    click.echo(f"One-time password (shown only now; give it to the user in person): {password}")
    click.echo("It works for one login, which asks the user to choose their own password.")
