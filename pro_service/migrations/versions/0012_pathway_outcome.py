"""pathway outcome: per pathway, role and scale the baseline, final and classification the report adds up;
per pathway and time limit when it fell due and whether it was met

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 15:40:00.000000

Existing pathways are filled by `pro-service db upgrade` (or `pro-service report refresh`).
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import pro_service.types


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pathway_outcome',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('pathway_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('unit_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('package_id', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('ended_at', pro_service.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('respondent_role', sa.String(length=20), nullable=False),
    sa.Column('instrument_id', sqlmodel.sql.sqltypes.AutoString(length=130), nullable=False),
    sa.Column('scale_id', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('paired', sa.SmallInteger(), nullable=False),
    sa.Column('case_at_start', sa.SmallInteger(), nullable=False),
    sa.Column('reliably_improved', sa.SmallInteger(), nullable=False),
    sa.Column('reliably_deteriorated', sa.SmallInteger(), nullable=False),
    sa.Column('no_reliable_change', sa.SmallInteger(), nullable=False),
    sa.Column('recovered', sa.SmallInteger(), nullable=False),
    sa.Column('reliably_recovered', sa.SmallInteger(), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('final', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pathway_id', 'respondent_role', 'instrument_id', 'scale_id')
    )
    op.create_index(op.f('ix_pathway_outcome_pathway_id'), 'pathway_outcome', ['pathway_id'], unique=False)
    op.create_index(op.f('ix_pathway_outcome_ended_at'), 'pathway_outcome', ['ended_at'], unique=False)
    op.create_table('pathway_time_limit',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('pathway_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('unit_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('package_id', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('time_limit', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('deadline_day', sa.Integer(), nullable=False),
    sa.Column('taken_days', sa.Integer(), nullable=True),
    sa.Column('met', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pathway_id', 'time_limit')
    )
    op.create_index(op.f('ix_pathway_time_limit_pathway_id'), 'pathway_time_limit', ['pathway_id'], unique=False)
    op.create_index('ix_pathway_time_limit_deadline_day', 'pathway_time_limit', ['deadline_day'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_pathway_time_limit_deadline_day', table_name='pathway_time_limit')
    op.drop_index(op.f('ix_pathway_time_limit_pathway_id'), table_name='pathway_time_limit')
    op.drop_table('pathway_time_limit')
    op.drop_index(op.f('ix_pathway_outcome_ended_at'), table_name='pathway_outcome')
    op.drop_index(op.f('ix_pathway_outcome_pathway_id'), table_name='pathway_outcome')
    op.drop_table('pathway_outcome')
