"""user sessions: a session version that ends a user's sessions (logout, new password, reset) and
a flag for one-time passwords that must be replaced at the first login

Every password issued so far was one printed by `users create` or `demo` and read by whoever ran
the command, so existing users are asked to choose their own at their next login.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 17:50:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_set_password', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_version')
        batch_op.drop_column('must_set_password')
