"""api clients: bearer tokens for EPR systems (stored hashed), scoped to units

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:40:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import pro_service.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_client',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', pro_service.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('api_client', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_client_token_hash'), ['token_hash'], unique=True)

    op.create_table('api_client_unit',
    sa.Column('api_client_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('unit_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.ForeignKeyConstraint(['api_client_id'], ['api_client.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('api_client_id', 'unit_id')
    )
    with op.batch_alter_table('api_client_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_client_unit_unit_id'), ['unit_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('api_client_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_client_unit_unit_id'))

    op.drop_table('api_client_unit')
    with op.batch_alter_table('api_client', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_client_token_hash'))

    op.drop_table('api_client')
