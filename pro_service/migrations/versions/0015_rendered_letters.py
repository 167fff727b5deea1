"""rendered letters: the due letters a worker has rendered, so two workers never render one twice

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26 21:45:00.000000
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

from pro_service.types import UTCDateTime


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rendered_letter',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('milestone_event_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('rendered_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['milestone_event_id'], ['milestone_event.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('milestone_event_id')
    )


def downgrade() -> None:
    op.drop_table('rendered_letter')
