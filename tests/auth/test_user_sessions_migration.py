"""Migration 0013: users who exist before it hold a password someone else printed, so they must choose one."""
from __future__ import annotations

from sqlalchemy import text

from pro_service import db


def test_existing_users_must_choose_a_password_after_the_upgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'before.db'}"
    db.upgrade_database(url, "0012")
    engine = db.make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO user_account (id, email, name, password_hash, language, is_active, failed_logins,"
                " created_at) VALUES ('u1', 'lege@example.no', 'Dr. Lege', 'x', 'nb', 1, 0, '2026-01-01 00:00:00')"))

        db.upgrade_database(url, "0013")

        with engine.connect() as connection:
            row = connection.execute(text("SELECT must_set_password, session_version FROM user_account")).one()
        assert (bool(row.must_set_password), row.session_version) == (True, 0)
    finally:
        engine.dispose()
