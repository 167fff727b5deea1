"""care setting: whether a pathway is treated in an outpatient clinic or an inpatient unit, which decides the
time limit that applies where a package has an inpatient one (TSB's clinical decision: 7 days, not 21)

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-27 01:50:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every pathway so far was counted with the outpatient limits; that stays true of them until a clinician
    # says otherwise.
    with op.batch_alter_table('pathway') as batch:
        batch.add_column(sa.Column('care_setting', sa.String(length=12), nullable=False,
                                   server_default='outpatient'))
    with op.batch_alter_table('pathway') as batch:
        batch.alter_column('care_setting', existing_type=sa.String(length=12), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('pathway') as batch:
        batch.drop_column('care_setting')
