import pytest

from pro_service.auth.operations import create_api_client, revoke_api_client

BASE = "/api/v1"


@pytest.mark.parametrize("headers, detail", [
    ({}, "send the API token in the header 'Authorization: Bearer <token>'"),
    ({"Authorization": "Basic dXNlcjpwdw=="}, "send the API token in the header"),
    ({"Authorization": "Bearer"}, "send the API token in the header"),
    ({"Authorization": "Bearer not-a-token"}, "the API token is unknown or revoked"),
])
def test_a_call_without_a_valid_token_is_401(client, headers, detail, assert_problem):
    response = client.get(f"{BASE}/packages", headers=headers)

    assert_problem(response, 401, detail)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="pro-service"'


def test_a_revoked_token_is_401(client, session, make_unit, assert_problem):
    api_client, token = create_api_client(name="DIPS", units=[make_unit()])
    session.commit()
    assert client.get(f"{BASE}/packages", headers={"Authorization": f"Bearer {token}"}).status_code == 200

    revoke_api_client(client=api_client)
    session.commit()

    response = client.get(f"{BASE}/packages", headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 401, "unknown or revoked")


def test_the_scheme_is_case_insensitive(client, auth_a):
    token = auth_a["Authorization"].split()[1]

    assert client.get(f"{BASE}/packages", headers={"Authorization": f"bearer {token}"}).status_code == 200


def test_a_post_needs_no_csrf_token_but_a_bearer_token(client, auth_a, unit_a):
    response = client.post(f"{BASE}/patients", json={"external_id": "E1", "name": "Kari"}, headers=auth_a)

    assert response.status_code == 201


def test_the_openapi_description_needs_no_token(client):
    response = client.get(f"{BASE}/openapi.json")

    assert response.status_code == 200 and response.get_json()["openapi"] == "3.1.0"


def test_an_unknown_api_route_and_a_wrong_method_are_problems(client, auth_a, assert_problem):
    assert_problem(client.get(f"{BASE}/nothing-here", headers=auth_a), 404, "")
    assert_problem(client.delete(f"{BASE}/packages", headers=auth_a), 405, "")
