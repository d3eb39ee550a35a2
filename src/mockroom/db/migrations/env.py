"""Alembic environment: runs migrations on the connection Mockroom hands over."""

from alembic import context

from mockroom.db.models import Base

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")

if connection is None:
    raise RuntimeError("Run migrations through mockroom.db.engine.migrate(), which supplies the connection.")

context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
