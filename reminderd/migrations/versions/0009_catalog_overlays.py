"""editors' catalog: partner and event overlays, the origin of imported items

Revision ID: 0009
Revises: 0002
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reminderd.store.schema

revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalog_partners',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('country', sa.String(length=8), nullable=False),
    sa.Column('tier', sa.String(length=64), nullable=True),
    sa.Column('changed_by', sa.String(length=256), nullable=False),
    sa.Column('changed_at', reminderd.store.schema.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('country')
    )
    op.create_table('catalog_overrides',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=128), nullable=False),
    sa.Column('task_id', sa.String(length=128), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('changed_by', sa.String(length=256), nullable=False),
    sa.Column('changed_at', reminderd.store.schema.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'task_id', name='uq_catalog_overrides_task')
    )
    with op.batch_alter_table('adhoc_events') as batch:
        batch.add_column(sa.Column('origin', sa.String(length=512), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('adhoc_events') as batch:
        batch.drop_column('origin')
    op.drop_table('catalog_overrides')
    op.drop_table('catalog_partners')
