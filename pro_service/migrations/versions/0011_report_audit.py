"""report audit: reading an outcome report is audited per unit, with no patient

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 15:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_event') as batch:
        batch.alter_column('patient_id', existing_type=sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM audit_event WHERE patient_id IS NULL"))
    with op.batch_alter_table('audit_event') as batch:
        batch.alter_column('patient_id', existing_type=sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False)
