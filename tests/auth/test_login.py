from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from pro_service.auth.models import User
from pro_service.auth.users import create_user
from pro_service.auth.views import _is_local
from pro_service.extensions import limiter
from tests.conftest import TEST_PASSWORD, csrf_token

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
REFUSED = "The email address or password is wrong."


@pytest.fixture
def account(session, make_unit):
    """A clinician who has chosen their password, with a fresh rate-limit allowance."""
    limiter.reset()
    user, password = create_user(email="Lege@Example.no", name="Dr. Lege", unit=make_unit(), role="clinician",
                                 language="en", password=TEST_PASSWORD)
    session.commit()
    return user, password


@pytest.fixture
def clock(monkeypatch):
    """The login view's clock, moved by the test instead of sleeping."""
    now = {"value": T0}
    monkeypatch.setattr("pro_service.auth.views.utcnow", lambda: now["value"])
    return now


def post_login(client, email, password, **extra):
    return client.post("/login", data={"csrf_token": csrf_token(client), "email": email, "password": password},
                       headers={"Accept-Language": "en"}, **extra)


def page(response) -> str:
    return response.get_data(as_text=True)


def test_login_page_labels_every_field_and_carries_a_csrf_token(client):
    html = page(client.get("/login", headers={"Accept-Language": "en"}))

    assert '<label for="email">Email address</label>' in html
    assert '<label for="password">Password</label>' in html
    assert 'autocomplete="current-password"' in html
    assert 'name="csrf_token"' in html


def test_login_with_the_right_password_starts_a_session_and_goes_to_the_clinic(client, session, account, clock):
    user, password = account

    response = post_login(client, "  lege@EXAMPLE.no ", password)

    assert response.status_code == 302
    assert response.headers["Location"] in {"/clinic/", "/clinic"}
    with client.session_transaction() as cookie_session:
        assert cookie_session["_user_id"] == user.id
        assert cookie_session["locale"] == "en"
    session.expire_all()
    assert session.get(User, user.id).last_login_at == T0


@pytest.mark.parametrize(("next_url", "local"), [
    ("/clinic/pathways/abc?tab=scores", True), ("//evil.example/x", False), ("https://evil.example/", False),
    ("/\\evil.example", False), ("", False), (None, False),
])
def test_login_only_returns_to_a_page_of_this_site(next_url, local):
    assert _is_local(next_url) is local


def test_wrong_password_and_unknown_email_get_the_same_answer(client, account):
    user, _password = account

    wrong_password = post_login(client, user.email, "not-the-password")
    unknown_email = post_login(client, "nobody@example.no", "not-the-password")

    assert wrong_password.status_code == unknown_email.status_code == 200
    assert REFUSED in page(wrong_password) and REFUSED in page(unknown_email)
    # The pages differ only in the email typed back and the CSRF token.
    assert (page(wrong_password).replace(user.email, "X").split('name="csrf_token"')[0]
            == page(unknown_email).replace("nobody@example.no", "X").split('name="csrf_token"')[0])
    with client.session_transaction() as cookie_session:
        assert "_user_id" not in cookie_session


def test_a_refused_login_shows_an_error_summary_linked_to_the_field(client, account):
    html = page(post_login(client, "", ""))

    assert 'class="error-summary" role="alert"' in html
    assert '<a href="#email">Enter your email address.</a>' in html
    assert 'aria-describedby="email-error"' in html and 'id="email-error"' in html
    assert 'aria-invalid="true"' in html


def test_five_failures_lock_the_account_for_fifteen_minutes(client, session, account, clock):
    user, password = account

    answers = [page(post_login(client, user.email, "wrong")) for _ in range(5)]
    clock["value"] = T0 + timedelta(minutes=14, seconds=59)
    right_password_while_locked = page(post_login(client, user.email, password))

    assert all(REFUSED in answer for answer in answers[:4])
    assert "the account is locked. Try again in 15 minutes." in answers[4]
    assert "the account is locked. Try again in 1 minute." in right_password_while_locked
    with client.session_transaction() as cookie_session:
        assert "_user_id" not in cookie_session

    clock["value"] = T0 + timedelta(minutes=15)
    after_the_lock = post_login(client, user.email, password)

    assert after_the_lock.status_code == 302
    session.expire_all()
    assert session.get(User, user.id).failed_logins == 0


def test_an_unknown_email_is_never_locked(client, account):
    answers = [page(post_login(client, "nobody@example.no", "wrong")) for _ in range(7)]

    assert all(REFUSED in answer and "locked" not in answer for answer in answers)


def test_an_inactive_user_cannot_log_in_and_is_told_nothing_more(client, session, account):
    user, password = account
    session.get(User, user.id).is_active = False
    session.commit()

    response = post_login(client, user.email, password)

    assert response.status_code == 200 and REFUSED in page(response)


def test_a_deactivated_user_loses_their_open_session(client, session, login_as):
    user = login_as()
    session.get(User, user.id).is_active = False
    session.commit()

    response = client.get("/login", headers={"Accept-Language": "en"})

    assert response.status_code == 200  # the login form again, not a redirect onward
    assert 'name="password"' in page(response)


def test_logout_ends_the_session(client, login_as):
    login_as()

    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})

    assert response.status_code == 302 and response.headers["Location"] == "/login"
    with client.session_transaction() as cookie_session:
        assert "_user_id" not in cookie_session


def test_logout_needs_a_csrf_token(client, login_as):
    login_as()

    response = client.post("/logout")

    assert response.status_code == 400
    with client.session_transaction() as cookie_session:
        assert "_user_id" in cookie_session


def test_login_needs_a_csrf_token_and_counts_nothing_without_one(client, session, account):
    user, password = account

    response = client.post("/login", data={"email": user.email, "password": password})

    assert response.status_code == 400
    session.expire_all()
    assert session.get(User, user.id).failed_logins == 0


def test_login_attempts_are_rate_limited_per_address(client, account):
    user, _password = account

    statuses = [post_login(client, "nobody@example.no", "wrong").status_code for _ in range(11)]

    assert statuses[:10] == [200] * 10 and statuses[10] == 429


def test_password_hash_is_argon2_and_never_the_password(session, account):
    user, password = account

    stored = session.exec(select(User)).one()

    assert stored.password_hash.startswith("$argon2id$") and password not in stored.password_hash
    assert stored.email == "lege@example.no"
