"""`pro-service api-tokens …`: API clients for EPR systems, from the command line."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from pro_service import db
from pro_service.auth.operations import ApiClientError, create_api_client, revoke_api_client
from pro_service.auth.queries import api_client_by_id
from pro_service.pathways.queries import units_by_codes

api_tokens_cli = AppGroup("api-tokens", help="Bearer tokens of API clients (EPR systems), scoped to units.")


@api_tokens_cli.command("create")
@click.option("--unit", "unit_codes", multiple=True, required=True, help="A unit's code; repeat for several.")
@click.option("--name", required=True, help="Who calls with it, e.g. 'DIPS Helse Sør-Øst'.")
def create(unit_codes: tuple[str, ...], name: str) -> None:
    """Create an API client and print its token, once, as the last line."""
    try:
        with db.unit_of_work():
            units, unknown = units_by_codes(unit_codes)
            if unknown:
                raise ApiClientError(f"no unit with code {', '.join(map(repr, unknown))}")
            client, token = create_api_client(name=name, units=units)
    except ApiClientError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"API client {client.name!r} created for {', '.join(u.code for u in units)} (id {client.id}).")
    click.echo("Its token follows; it is shown only now and stored only as a hash:")
    click.echo(token)


@api_tokens_cli.command("revoke")
@click.argument("client_id")
def revoke(client_id: str) -> None:
    """Stop the token of the API client CLIENT_ID from working."""
    with db.unit_of_work():
        client = api_client_by_id(client_id)
        if client is None:
            raise click.ClickException(f"no API client with id {client_id!r}")
        revoke_api_client(client=client)
    click.echo(f"API client {client.name!r} revoked.")


COMMANDS = [api_tokens_cli]
