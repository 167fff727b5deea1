"""The password policy (NIST SP 800-63B): length, a breach list, nothing personal, no composition rules."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pro_service.auth.password_policy import MAX_LENGTH, PasswordProblem, common_passwords, password_problem
from pro_service.auth.passwords import hash_password, verify_password

PERSONAL = ("kari.nordmann@helse-vest.no", "Kari Nordmann")


@pytest.mark.parametrize(("password", "problem"), [
    ("kort", PasswordProblem.TOO_SHORT),
    ("seven77", PasswordProblem.TOO_SHORT),
    ("eightch8", None),  # 8 characters, lower case and a digit: no composition rules
    ("fjell og fjord og fisk", None),  # a passphrase with spaces
    ("x" * 63 + "y", None),  # 64 characters, as NIST asks a verifier to accept
    ("ab" * (MAX_LENGTH // 2), None),
    ("ab" * (MAX_LENGTH // 2) + "c", PasswordProblem.TOO_LONG),
    ("password1", PasswordProblem.COMMON),
    ("PASSWORD1", PasswordProblem.COMMON),  # compared case-folded
    ("ｐａｓｓｗｏｒｄ１", PasswordProblem.COMMON),  # full-width letters are the same word (NFKC)
    ("iloveyou", PasswordProblem.COMMON),
    ("qwertyuiop", PasswordProblem.COMMON),
    ("zzzzzzzzzzzz", PasswordProblem.COMMON),  # one character repeated
    ("nordmann1988", PasswordProblem.PERSONAL),
    ("Kari.Nordmann!", PasswordProblem.PERSONAL),
    ("helse-vest-sommer", PasswordProblem.PERSONAL),  # part of the email address
    ("min pro-service kode", PasswordProblem.PERSONAL),  # the name of the service
])
def test_password_rules(password, problem):
    assert password_problem(password, personal=PERSONAL) is problem


def test_a_higher_minimum_from_the_setting_and_never_below_eight():
    assert password_problem("elevenchars", min_length=12) is PasswordProblem.TOO_SHORT
    assert password_problem("twelve chars", min_length=12) is None
    assert password_problem("seven77", min_length=4) is PasswordProblem.TOO_SHORT


def test_the_shipped_list_is_read_and_names_its_source():
    from pro_service.auth.password_policy import COMMON_PASSWORDS_FILE

    assert len(common_passwords()) > 8000
    assert all(len(p) >= 8 for p in common_passwords())
    header = [line for line in COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert any("Source:" in line for line in header)


@settings(max_examples=20, deadline=None)  # two argon2 hashes per example
@given(st.text(min_size=1, max_size=40))
def test_a_password_matches_its_hash_in_any_unicode_form(password):
    import unicodedata

    hashed = hash_password(unicodedata.normalize("NFD", password))

    assert verify_password(hashed, unicodedata.normalize("NFC", password))


def test_an_empty_hash_matches_nothing():
    assert verify_password("", "") is False and verify_password("", "anything") is False
