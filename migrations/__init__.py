"""Alembic owns the schema: the environment and the versions live here."""
