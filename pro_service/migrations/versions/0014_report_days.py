"""report days: the outcome and time-limit rows added up per unit, package and day, so a report
reads a few rows per day instead of every pathway's

Existing pathways are filled by `pro-service db upgrade` (or `pro-service report refresh`): the
per-pathway rows are rewritten with their end day and the day tables built from them.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 17:45:00.000000
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pathway_outcome') as batch:
        batch.add_column(sa.Column('ended_day', sa.Integer(), nullable=True))
    op.create_index('ix_pathway_outcome_day', 'pathway_outcome', ['unit_id', 'package_id', 'ended_day'], unique=False)
    op.create_index('ix_pathway_time_limit_day', 'pathway_time_limit', ['unit_id', 'package_id', 'deadline_day'],
                    unique=False)
    op.create_table('outcome_day',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('unit_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('package_id', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('ended_day', sa.Integer(), nullable=False),
    sa.Column('respondent_role', sa.String(length=20), nullable=False),
    sa.Column('instrument_id', sqlmodel.sql.sqltypes.AutoString(length=130), nullable=False),
    sa.Column('scale_id', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('eligible', sa.Integer(), nullable=False),
    sa.Column('paired', sa.Integer(), nullable=False),
    sa.Column('case_at_start', sa.Integer(), nullable=False),
    sa.Column('reliably_improved', sa.Integer(), nullable=False),
    sa.Column('reliably_deteriorated', sa.Integer(), nullable=False),
    sa.Column('no_reliable_change', sa.Integer(), nullable=False),
    sa.Column('recovered', sa.Integer(), nullable=False),
    sa.Column('reliably_recovered', sa.Integer(), nullable=False),
    sa.Column('sum_baseline', sa.Float(), nullable=False),
    sa.Column('sum_sq_baseline', sa.Float(), nullable=False),
    sa.Column('sum_final', sa.Float(), nullable=False),
    sa.Column('sum_change', sa.Float(), nullable=False),
    sa.Column('sum_sq_change', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_id', 'package_id', 'ended_day', 'respondent_role', 'instrument_id', 'scale_id')
    )
    op.create_table('time_limit_day',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('unit_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('package_id', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('deadline_day', sa.Integer(), nullable=False),
    sa.Column('time_limit', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('taken_days', sa.Integer(), nullable=True),
    sa.Column('due', sa.Integer(), nullable=False),
    sa.Column('met', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_time_limit_day_key', 'time_limit_day', ['unit_id', 'package_id', 'deadline_day'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_time_limit_day_key', table_name='time_limit_day')
    op.drop_table('time_limit_day')
    op.drop_table('outcome_day')
    op.drop_index('ix_pathway_time_limit_day', table_name='pathway_time_limit')
    op.drop_index('ix_pathway_outcome_day', table_name='pathway_outcome')
    with op.batch_alter_table('pathway_outcome') as batch:
        batch.drop_column('ended_day')
