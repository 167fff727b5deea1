from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from pro_service import db


def test_migrations_create_exactly_the_schema_of_the_models(app):
    """The schema made by `pro-service db upgrade` on an empty database matches the models."""
    metadata = db.import_all_models().metadata
    with db.engine(app).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
