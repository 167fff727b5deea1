"""report indexes: a unit's pathways of a package started or ended in a period, for the outcome report

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 14:45:00.000000
"""
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pathway', schema=None) as batch_op:
        batch_op.create_index('ix_pathway_unit_package_started', ['unit_id', 'package_id', 'started_at'], unique=False)
        batch_op.create_index('ix_pathway_unit_package_ended', ['unit_id', 'package_id', 'ended_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pathway', schema=None) as batch_op:
        batch_op.drop_index('ix_pathway_unit_package_ended')
        batch_op.drop_index('ix_pathway_unit_package_started')
