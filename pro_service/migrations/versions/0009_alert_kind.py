"""alert kind: an unanswered critical item raises an alert of its own kind, with no value;
answers to items a later answer skipped are set aside on the response, never scored

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 14:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('alert', schema=None) as batch_op:
        # Every alert raised so far was a critical answer.
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='answer'))
        batch_op.alter_column('value', existing_type=sa.Float(), nullable=True)
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=sa.String(length=20), server_default=None)
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('set_aside', sa.JSON(), nullable=False, server_default='{}'))
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.alter_column('set_aside', existing_type=sa.JSON(), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('set_aside')
    # An unanswered-item alert has no value to keep in a column that needs one.
    op.execute("DELETE FROM alert WHERE value IS NULL")
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.alter_column('value', existing_type=sa.Float(), nullable=False)
        batch_op.drop_column('kind')
