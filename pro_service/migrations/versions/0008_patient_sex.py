"""patient sex: an optional administrative sex (FHIR AdministrativeGender) for sex-specific
caseness thresholds; the threshold a stored score's caseness was judged by

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 14:15:00.000000
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sex', sa.String(length=10), nullable=True))
    with op.batch_alter_table('score', schema=None) as batch_op:
        batch_op.add_column(sa.Column('threshold', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('score', schema=None) as batch_op:
        batch_op.drop_column('threshold')
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_column('sex')
