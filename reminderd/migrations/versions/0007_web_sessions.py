"""web sessions kept server-side (logout, a password change, a revoked link end them)

Revision ID: 0007
Revises: 0002
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reminderd.store.schema

revision = '0007'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('web_sessions',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('who', sa.String(length=256), nullable=False),
    sa.Column('username', sa.String(length=128), nullable=True),
    sa.Column('admin', sa.Boolean(), nullable=False),
    sa.Column('department', sa.String(length=128), nullable=True),
    sa.Column('token_id', sa.Integer(), nullable=True),
    sa.Column('credential', sa.String(length=64), nullable=True),
    sa.Column('created_at', reminderd.store.schema.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', reminderd.store.schema.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id_hash')
    )
    op.create_index('ix_web_sessions_username', 'web_sessions', ['username'], unique=False)
    op.create_index('ix_web_sessions_expires', 'web_sessions', ['expires_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_web_sessions_expires', table_name='web_sessions')
    op.drop_index('ix_web_sessions_username', table_name='web_sessions')
    op.drop_table('web_sessions')
