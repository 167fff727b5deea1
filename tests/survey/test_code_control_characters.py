"""The tablet's code form refuses a control character with a message, before any lookup (a NUL would be a 500
on PostgreSQL)."""
from survey_helpers import csrf

from pro_service.extensions import limiter


def test_a_code_with_a_nul_is_refused_with_a_message(invite, browser):
    limiter.reset()
    form = browser.get("/code").get_data(as_text=True)

    response = browser.post("/code", {"csrf_token": csrf(form), "code": "ABCD\x001234"})

    assert response.status_code == 200
    assert "invisible control character (U+0000)" in response.get_data(as_text=True)
