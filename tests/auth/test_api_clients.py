import hashlib

from sqlalchemy import text
from sqlmodel import select

from pro_service import db
from pro_service.auth.api_clients import ApiClient, ApiClientUnit
from pro_service.auth.operations import create_api_client, revoke_api_client
from pro_service.auth.queries import client_for_token


def test_create_api_client_returns_a_256_bit_token_and_stores_only_its_hash(session, make_unit):
    unit = make_unit()

    client, token = create_api_client(name="DIPS", units=[unit])
    session.commit()

    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    assert client.token_hash == hashlib.sha256(token.encode()).hexdigest()
    rows = session.exec(text("SELECT * FROM api_client")).all()
    assert rows and not any(token in str(value) for row in rows for value in row)


def test_tokens_differ_for_every_client(session, make_unit):
    unit = make_unit()

    tokens = {create_api_client(name=f"c{i}", units=[unit])[1] for i in range(5)}

    assert len(tokens) == 5


def test_client_for_token_gives_the_client_and_its_units(session, make_unit):
    a, b = make_unit("A", "A"), make_unit("B", "B")
    client, token = create_api_client(name="DIPS", units=[a, b, a])
    session.commit()

    found = client_for_token(token)

    assert (found.id, found.name, found.unit_ids) == (client.id, "DIPS", frozenset({a.id, b.id}))
    assert len(session.exec(select(ApiClientUnit)).all()) == 2


def test_unknown_empty_and_revoked_tokens_find_no_client(session, make_unit):
    client, token = create_api_client(name="DIPS", units=[make_unit()])
    session.commit()

    revoke_api_client(client=client)
    session.commit()

    assert client_for_token(token) is None
    assert client_for_token("") is None
    assert client_for_token(token + "x") is None


def test_revoking_twice_keeps_the_first_time(session, make_unit):
    client, _token = create_api_client(name="DIPS", units=[make_unit()])
    first = revoke_api_client(client=client).revoked_at

    assert revoke_api_client(client=client).revoked_at == first


def test_an_api_client_needs_a_name_and_a_unit(session, make_unit):
    import pytest

    from pro_service.auth.operations import ApiClientError

    with pytest.raises(ApiClientError, match="at least one unit"):
        create_api_client(name="DIPS", units=[])
    with pytest.raises(ApiClientError, match="needs a name"):
        create_api_client(name="  ", units=[make_unit()])
    assert session.exec(select(ApiClient)).all() == []
