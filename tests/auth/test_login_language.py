"""The login page offers the clinic's languages and remembers the choice (issue 13), without JavaScript."""
from __future__ import annotations

import re

from pro_service.auth.views import CLINIC_LOCALES, LANGUAGE_COOKIE


def test_login_page_offers_the_clinic_languages_and_an_email_field(client):
    html = client.get("/login").get_data(as_text=True)

    offered = re.findall(r'<option value="(\w+)" lang="\w+"', html)
    assert tuple(offered) == CLINIC_LOCALES
    assert 'autocomplete="email"' in html


def test_chosen_language_is_remembered_across_visits_and_logout(client):
    chosen = client.get("/login?language=nn")

    assert chosen.status_code == 302 and chosen.headers["Location"].endswith("/login")
    assert f"{LANGUAGE_COOKIE}=nn" in chosen.headers["Set-Cookie"]
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="nn"' in html and '<option value="nn" lang="nn" selected>' in html

    with client.session_transaction() as session:
        session.clear()  # a new browser session: the cookie still remembers
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="nn"' in html


def test_an_unknown_language_is_ignored(client):
    refused = client.get("/login?language=xx")

    assert refused.status_code == 302 and LANGUAGE_COOKIE not in refused.headers.get("Set-Cookie", "")
    assert '<html lang="nn"' not in client.get("/login").get_data(as_text=True)


def test_language_chosen_at_login_wins_over_the_account_default(client, login_as):
    client.get("/login?language=da")
    login_as("clinician", language="nb")

    assert '<html lang="da"' in client.get("/clinic/").get_data(as_text=True)
