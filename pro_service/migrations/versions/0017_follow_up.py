"""follow-up after the end: a pathway records that its patient declined follow-up

Revision ID: 0017
Revises: 0015
Create Date: 2026-11-26 22:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

from pro_service.types import UTCDateTime


revision = '0017'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pathway') as batch:
        batch.add_column(sa.Column('follow_up_declined_at', UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('follow_up_declined_by', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('pathway') as batch:
        batch.drop_column('follow_up_declined_by')
        batch.drop_column('follow_up_declined_at')
