from sqlmodel import select

from pro_service.auth.api_clients import ApiClient
from pro_service.auth.queries import client_for_token


def test_api_tokens_create_prints_a_working_token_as_the_last_line(app, session, make_unit):
    a, b = make_unit("A", "A"), make_unit("B", "B")

    result = app.test_cli_runner().invoke(args=["api-tokens", "create", "--unit", "A", "--unit", "B",
                                                "--name", "DIPS Sør-Øst"])

    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    client = client_for_token(token)
    assert client.name == "DIPS Sør-Øst" and client.unit_ids == {a.id, b.id}
    [stored] = session.exec(select(ApiClient)).all()
    assert token not in (stored.token_hash, stored.name, stored.id)


def test_api_tokens_create_refuses_an_unknown_unit_and_creates_nothing(app, session, make_unit):
    make_unit("A", "A")

    result = app.test_cli_runner().invoke(args=["api-tokens", "create", "--unit", "A", "--unit", "NOPE",
                                                "--name", "DIPS"])

    assert result.exit_code == 1
    assert "no unit with code 'NOPE'" in result.output
    assert session.exec(select(ApiClient)).all() == []


def test_api_tokens_revoke_stops_the_token(app, session, make_unit):
    make_unit("A", "A")
    runner = app.test_cli_runner()
    created = runner.invoke(args=["api-tokens", "create", "--unit", "A", "--name", "DIPS"])
    token = created.output.strip().splitlines()[-1]

    result = runner.invoke(args=["api-tokens", "revoke", client_for_token(token).id])

    assert result.exit_code == 0 and "revoked" in result.output
    assert client_for_token(token) is None
    assert runner.invoke(args=["api-tokens", "revoke", "nope"]).exit_code == 1
