"""Alembic's entry point: migrations run on the connection `upgrade` hands over, never from an ini file."""
from alembic import context

from onrecord.corpus.store import metadata

context.configure(connection=context.config.attributes["connection"], target_metadata=metadata,
                  render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
