"""own goals (Goal Based Outcomes): goals, their 0–10 ratings and clinicians' wording edits

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-26 22:50:00.000000
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

from pro_service.types import UTCDateTime


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('goal',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('pathway_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('respondent_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('milestone_event_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('original_text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.CheckConstraint('number BETWEEN 1 AND 3', name='ck_goal_number'),
    sa.ForeignKeyConstraint(['milestone_event_id'], ['milestone_event.id'], ),
    sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id'], ),
    sa.ForeignKeyConstraint(['respondent_id'], ['respondent.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pathway_id', 'respondent_id', 'number')
    )
    op.create_index(op.f('ix_goal_pathway_id'), 'goal', ['pathway_id'])
    op.create_index(op.f('ix_goal_respondent_id'), 'goal', ['respondent_id'])
    op.create_table('goal_rating',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('goal_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('milestone_event_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('rated_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.CheckConstraint('rating BETWEEN 0 AND 10', name='ck_goal_rating_rating'),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], ),
    sa.ForeignKeyConstraint(['milestone_event_id'], ['milestone_event.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('goal_id', 'milestone_event_id')
    )
    op.create_index(op.f('ix_goal_rating_goal_id'), 'goal_rating', ['goal_id'])
    op.create_index(op.f('ix_goal_rating_milestone_event_id'), 'goal_rating', ['milestone_event_id'])
    op.create_table('goal_edit',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('goal_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('previous_text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('new_text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('edited_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('edited_at', UTCDateTime(), nullable=False),
    sa.Column('patient_present', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_goal_edit_goal_id'), 'goal_edit', ['goal_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_goal_edit_goal_id'), table_name='goal_edit')
    op.drop_table('goal_edit')
    op.drop_index(op.f('ix_goal_rating_milestone_event_id'), table_name='goal_rating')
    op.drop_index(op.f('ix_goal_rating_goal_id'), table_name='goal_rating')
    op.drop_table('goal_rating')
    op.drop_index(op.f('ix_goal_respondent_id'), table_name='goal')
    op.drop_index(op.f('ix_goal_pathway_id'), table_name='goal')
    op.drop_table('goal')
