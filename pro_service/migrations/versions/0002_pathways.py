"""pathways: units, patients, respondents, pathways, milestones, assessments, invitations, responses, scores, outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:18:58.761292
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import pro_service.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('unit',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('created_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_code'), ['code'], unique=True)

    op.create_table('patient',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('unit_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('created_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_id', 'external_id')
    )
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patient_unit_id'), ['unit_id'], unique=False)

    op.create_table('pathway',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('patient_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('unit_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('package_id', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('responsible_clinician', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('started_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', pro_service.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pathway', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pathway_package_id'), ['package_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pathway_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pathway_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_pathway_unit_id'), ['unit_id'], unique=False)

    op.create_table('respondent',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('patient_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('created_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_respondent_patient_id'), ['patient_id'], unique=False)

    op.create_table('milestone_event',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('pathway_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('milestone_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('occurred_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('registered_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('registered_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pathway_id', 'milestone_id', 'occurred_at')
    )
    with op.batch_alter_table('milestone_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_event_pathway_id'), ['pathway_id'], unique=False)

    op.create_table('assessment',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('pathway_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('milestone_event_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('respondent_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('instrument_id', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('opens_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('completed_at', pro_service.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', pro_service.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('created_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['milestone_event_id'], ['milestone_event.id'], ),
    sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id'], ),
    sa.ForeignKeyConstraint(['respondent_id'], ['respondent.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('milestone_event_id', 'instrument_id', 'respondent_id')
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_milestone_event_id'), ['milestone_event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_pathway_id'), ['pathway_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_respondent_id'), ['respondent_id'], unique=False)

    op.create_table('invitation',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('milestone_event_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('respondent_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('expires_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', pro_service.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminders_sent', sa.Integer(), nullable=False),
    sa.Column('last_reminded_at', pro_service.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['milestone_event_id'], ['milestone_event.id'], ),
    sa.ForeignKeyConstraint(['respondent_id'], ['respondent.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('milestone_event_id', 'respondent_id')
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_milestone_event_id'), ['milestone_event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_respondent_id'), ['respondent_id'], unique=False)

    op.create_table('invitation_token',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('invitation_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('secret_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('invitation_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_token_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_token_secret_hash'), ['secret_hash'], unique=True)

    op.create_table('outbox_message',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('invitation_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('created_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', pro_service.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_message_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_sent_at'), ['sent_at'], unique=False)

    op.create_table('response',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('assessment_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('instrument_version', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('entered_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('started_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', pro_service.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', pro_service.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('assessment_id')
    )
    op.create_table('score',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('response_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('scale_id', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('band', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('caseness', sa.Boolean(), nullable=True),
    sa.Column('missing', sa.Integer(), nullable=False),
    sa.Column('prorated', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('response_id', 'scale_id')
    )
    with op.batch_alter_table('score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_response_id'), ['response_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_response_id'))

    op.drop_table('score')
    op.drop_table('response')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_sent_at'))
        batch_op.drop_index(batch_op.f('ix_outbox_message_invitation_id'))

    op.drop_table('outbox_message')
    with op.batch_alter_table('invitation_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_token_secret_hash'))
        batch_op.drop_index(batch_op.f('ix_invitation_token_invitation_id'))

    op.drop_table('invitation_token')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_respondent_id'))
        batch_op.drop_index(batch_op.f('ix_invitation_milestone_event_id'))

    op.drop_table('invitation')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_respondent_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_pathway_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_milestone_event_id'))

    op.drop_table('assessment')
    with op.batch_alter_table('milestone_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_event_pathway_id'))

    op.drop_table('milestone_event')
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_respondent_patient_id'))

    op.drop_table('respondent')
    with op.batch_alter_table('pathway', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pathway_unit_id'))
        batch_op.drop_index(batch_op.f('ix_pathway_status'))
        batch_op.drop_index(batch_op.f('ix_pathway_patient_id'))
        batch_op.drop_index(batch_op.f('ix_pathway_package_id'))

    op.drop_table('pathway')
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patient_unit_id'))

    op.drop_table('patient')
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_code'))

    op.drop_table('unit')
