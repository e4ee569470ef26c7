"""The migrations and the models describe the same schema, and the migration
chain goes up and back down cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from migrations.schema import target_metadata
from portal import migrate
from portal.db import make_engine


def test_migrated_schema_matches_the_models(engine):
    # The session engine was upgraded to head by conftest: SQLite by default,
    # PostgreSQL when PORTAL_TEST_DATABASE_URL is set.
    with engine.connect() as conn:
        assert migrate.current(conn) == migrate.head()
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, target_metadata())
    assert diff == []


def test_upgrade_then_downgrade_an_empty_sqlite_file(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    try:
        assert inspect(engine).get_table_names() == []
        assert migrate.current(engine) is None

        migrate.upgrade(engine)
        assert migrate.current(engine) == migrate.head()
        expected = set(target_metadata().tables) | {"alembic_version"}
        assert set(inspect(engine).get_table_names()) == expected

        migrate.downgrade(engine, "base")
        assert migrate.current(engine) is None
        assert inspect(engine).get_table_names() == ["alembic_version"]

        # And back up again: the downgrade left nothing in the way.
        migrate.upgrade(engine)
        assert set(inspect(engine).get_table_names()) == expected
    finally:
        engine.dispose()
