"""alerts: critical answers for the unit to act on; the idempotency key of an invitation's submit

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 12:31:12.559158
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import pro_service.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alert',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('pathway_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('unit_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('assessment_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('item', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('created_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', pro_service.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ),
    sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('assessment_id', 'item')
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_pathway_id'), ['pathway_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('submission_key')

    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_unit_id'))
        batch_op.drop_index(batch_op.f('ix_alert_pathway_id'))
        batch_op.drop_index(batch_op.f('ix_alert_assessment_id'))

    op.drop_table('alert')
