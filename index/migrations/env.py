"""Alembic's environment for the corpus store. `sayso db upgrade` (index.migrate) hands
it an open connection; plain `alembic` (alembic.ini at the repository root) reads
SAYSO_DATABASE_URL / SAYSO_DATA_DIR like the service does."""
from alembic import context

import imports.tables  # noqa: F401  (the import jobs, on the same metadata)
from index.tables import Base

config = context.config
target_metadata = Base.metadata


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    from core.settings import Settings
    from index.store import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url") or Settings.from_env().store_url)
    with engine.connect() as connection:
        run(connection)
    engine.dispose()
