"""follow-up after the end: a pathway records that its patient declined follow-up; the report's follow-up rows

Revision ID: 0017
Revises: 0015
Create Date: 2026-11-26 22:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

from pro_service.types import UTCDateTime


revision = '0017'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pathway') as batch:
        batch.add_column(sa.Column('follow_up_declined_at', UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('follow_up_declined_by', sa.String(length=200), nullable=True))
    op.create_table('pathway_follow_up',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('pathway_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('unit_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('package_id', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('ended_day', sa.Integer(), nullable=False),
    sa.Column('respondent_role', sa.String(length=20), nullable=False),
    sa.Column('instrument_id', sqlmodel.sql.sqltypes.AutoString(length=130), nullable=False),
    sa.Column('scale_id', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('days_after_end', sa.Integer(), nullable=False),
    sa.Column('expires_day', sa.Integer(), nullable=False),
    sa.Column('answered', sa.SmallInteger(), nullable=False),
    sa.Column('still_improved', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pathway_id', 'respondent_role', 'instrument_id', 'scale_id', 'days_after_end')
    )
    op.create_index('ix_pathway_follow_up_day', 'pathway_follow_up', ['unit_id', 'package_id', 'ended_day'])
    op.create_index(op.f('ix_pathway_follow_up_pathway_id'), 'pathway_follow_up', ['pathway_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_pathway_follow_up_pathway_id'), table_name='pathway_follow_up')
    op.drop_index('ix_pathway_follow_up_day', table_name='pathway_follow_up')
    op.drop_table('pathway_follow_up')
    with op.batch_alter_table('pathway') as batch:
        batch.drop_column('follow_up_declined_by')
        batch.drop_column('follow_up_declined_at')
