import pytest
from pydantic import ValidationError

from pro_service import create_app
from pro_service.config import Settings


def test_healthz_answers_ok_after_a_real_query(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "migrations": "ok"}


def test_healthz_answers_503_when_the_database_is_down(tmp_path):
    app = create_app({"pro_service_env": "testing", "instance_dir": tmp_path,
                      "database_url": f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}"})

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}


def test_unknown_page_is_a_friendly_page_not_a_trace(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "en"})

    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_unknown_api_route_is_a_problem_document(client):
    response = client.get("/api/no-such-thing")

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 404


@pytest.mark.parametrize("secret", ["", "changeme", "short"])
def test_production_refuses_a_placeholder_secret(secret):
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(pro_service_env="production", secret_key=secret)


def test_production_accepts_a_real_secret():
    assert Settings(pro_service_env="production", secret_key="x" * 40).secret_key == "x" * 40


@pytest.mark.parametrize("url", ["mysql://u@h/db", "not a url"])
def test_settings_refuse_an_unsupported_database_url(url):
    with pytest.raises(ValidationError, match="DATABASE_URL"):
        Settings(database_url=url)


def test_settings_use_psycopg_for_postgresql():
    assert Settings(database_url="postgresql://u:p@h:5432/db").database_url == "postgresql+psycopg://u:p@h:5432/db"


def test_settings_default_to_embedded_sqlite():
    assert Settings().database_url.startswith("sqlite:///")


def _https_app(tmp_path, **settings):
    from pro_service.db import upgrade_database

    upgrade_database(f"sqlite:///{tmp_path / 'x.db'}")
    return create_app({"pro_service_env": "testing", "instance_dir": tmp_path,
                       "database_url": f"sqlite:///{tmp_path / 'x.db'}",
                       "secret_key": "test-secret-key-that-is-long-enough-0123456789", **settings})


def test_behind_a_trusted_proxy_https_is_seen_and_hsts_sent(tmp_path):
    client = _https_app(tmp_path, trusted_proxies=1).test_client()

    response = client.get("/code", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})

    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_forwarded_headers_are_ignored_without_trusted_proxies(tmp_path):
    client = _https_app(tmp_path).test_client()

    response = client.get("/code", headers={"X-Forwarded-Proto": "https"})

    assert "Strict-Transport-Security" not in response.headers


def test_forms_work_over_https_without_a_referer(tmp_path):
    """Respondent pages send Referrer-Policy: no-referrer, so browsers post their forms over HTTPS without one."""
    import re

    client = _https_app(tmp_path).test_client()
    form = client.get("/code", base_url="https://pro.example.no",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)

    response = client.post("/code", base_url="https://pro.example.no", headers={"Accept-Language": "en"},
                           data={"csrf_token": token, "code": "ZZZZ9999"})

    assert response.status_code == 200 and "That code did not work" in response.get_data(as_text=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
