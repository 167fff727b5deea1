"""letters: general practitioners and finalized letters

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 12:32:52.144633
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import pro_service.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('general_practitioner',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('patient_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('practice', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('her_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('created_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('patient_id')
    )
    op.create_table('letter',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('pathway_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('milestone_event_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('supersedes_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('finalized_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finalized_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['milestone_event_id'], ['milestone_event.id'], ),
    sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id'], ),
    sa.ForeignKeyConstraint(['supersedes_id'], ['letter.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('milestone_event_id', 'version')
    )
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_milestone_event_id'), ['milestone_event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_pathway_id'), ['pathway_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_pathway_id'))
        batch_op.drop_index(batch_op.f('ix_letter_milestone_event_id'))

    op.drop_table('letter')
    op.drop_table('general_practitioner')
