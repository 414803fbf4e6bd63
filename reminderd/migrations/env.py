"""Alembic environment: reminderd passes its own connection (see Store.upgrade)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from reminderd.store.schema import metadata

target_metadata = metadata
config = context.config
connection = config.attributes.get("connection")

if connection is not None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True)
    context.run_migrations()
else:  # `alembic -x url=...` from a shell, for developers
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("alembic: pass -x url=… or set sqlalchemy.url")
    engine = create_engine(url)
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        context.run_migrations()
