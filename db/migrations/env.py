"""Alembic environment: runs migrations over the admin connection given by db.engine."""

import sqlalchemy as sa
from alembic import context

from db.engine import admin_url

config = context.config
url = config.attributes.get("url") or admin_url()
connectable = sa.create_engine(url, poolclass=sa.pool.NullPool)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
connectable.dispose()
