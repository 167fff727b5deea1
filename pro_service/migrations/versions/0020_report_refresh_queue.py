"""report refresh queue: the pathways whose report rows a respondent's submit left for the worker (or the next
report read) to rewrite, so the submit no longer rewrites them itself

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-27 05:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

from pro_service.types import UTCDateTime


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'report_refresh_queue',
        sa.Column('pathway_id', sa.String(length=32), nullable=False),
        sa.Column('queued_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id']),
        sa.PrimaryKeyConstraint('pathway_id'),
    )
    op.create_index('ix_report_refresh_queue_queued_at', 'report_refresh_queue', ['queued_at'])


def downgrade() -> None:
    op.drop_index('ix_report_refresh_queue_queued_at', table_name='report_refresh_queue')
    op.drop_table('report_refresh_queue')
