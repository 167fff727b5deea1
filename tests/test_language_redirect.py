"""The respondent's language switch goes back only to a path of this site, and says so when a language is unknown."""
from __future__ import annotations

import re

import pytest

from pro_service.redirects import is_local_path

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def switch(client, lang: str, next_url: str):
    token = CSRF.search(client.get("/code").get_data(as_text=True)).group(1)
    return client.post("/survey/language", data={"csrf_token": token, "lang": lang, "next": next_url})


@pytest.mark.parametrize("next_url", ["//evil.example", "/\\evil.example", "/\\/evil.example", "https://evil.example/",
                                      "http:/evil.example", "javascript:alert(1)", "evil.example", "/%5C/x\\y", ""])
def test_the_language_switch_never_redirects_to_another_site(client, next_url):
    response = switch(client, "en", next_url)

    assert response.status_code == 303
    assert response.headers["Location"] == "/survey"


def test_the_language_switch_returns_to_a_path_of_this_site(client):
    response = switch(client, "nn", "/code?x=1")

    assert response.status_code == 303 and response.headers["Location"] == "/code?x=1"
    assert 'lang="nn"' in client.get("/code").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["xx", "nb_NO", "../../etc", "e" * 300])
def test_an_unknown_language_is_a_translated_400(client, lang):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = switch(client, lang, "/code")

    assert response.status_code == 400
    assert "That language could not be chosen" in response.get_data(as_text=True)


@pytest.mark.parametrize(("url", "local"), [("/clinic/", True), ("/survey?x=//y", True), ("//evil", False),
                                            ("/\\evil", False), ("/a\\b", False), ("https://x/", False), (None, False)])
def test_is_local_path(url, local):
    assert is_local_path(url) is local
