"""Alembic environment: the database URL comes from the caller, the metadata from the models."""
from alembic import context
from sqlalchemy import pool
from sqlmodel import create_engine

from pro_service.db import import_all_models

config = context.config
target_metadata = import_all_models().metadata


def _database_url() -> str:
    url = config.attributes.get("database_url")
    if not url:
        from pro_service.config import Settings

        url = Settings().database_url
    return url


def run_migrations_offline() -> None:
    context.configure(url=_database_url(), target_metadata=target_metadata, literal_binds=True,
                      compare_type=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(_database_url(), poolclass=pool.NullPool, hide_parameters=True)  # as db.make_engine
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          compare_type=True, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
