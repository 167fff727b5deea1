"""The login form refuses a control character with a message: never a 500 (PostgreSQL cannot bind a NUL)."""
import pytest

from pro_service.extensions import limiter
from tests.conftest import csrf_token


@pytest.mark.parametrize(("email", "password", "code"), [
    ("klinikar\x00@example.no", "secret-password", "U+0000"),
    ("klinikar@example.no\r\nBcc: x@example.org", "secret-password", "U+000D"),
    ("klinikar@example.no", "secret\x00password", "U+0000"),
])
def test_login_with_a_control_character_is_refused_with_a_message(client, email, password, code):
    limiter.reset()

    response = client.post("/login", data={"csrf_token": csrf_token(client), "email": email, "password": password},
                           headers={"Accept-Language": "en"})

    assert response.status_code == 200
    assert f"invisible control character ({code})" in response.get_data(as_text=True)
