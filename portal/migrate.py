"""Alembic, driven from the ``portal`` command and the tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection, Engine


def script_location() -> str:
    # The top-level ``migrations`` package knows every table (core and content
    # types); the core only needs to know where it is.
    spec = importlib.util.find_spec("migrations")
    return str(Path(spec.origin).parent)


def alembic_config(url: str = "") -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", script_location())
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _run(bind: Engine | Connection, fn, *args) -> None:
    cfg = alembic_config(str(bind.engine.url if isinstance(bind, Connection) else bind.url))
    if isinstance(bind, Connection):
        cfg.attributes["connection"] = bind
        fn(cfg, *args)
        return
    with bind.begin() as conn:
        cfg.attributes["connection"] = conn
        fn(cfg, *args)


def upgrade(bind, revision: str = "head") -> None:
    _run(bind, command.upgrade, revision)


def downgrade(bind, revision: str) -> None:
    _run(bind, command.downgrade, revision)


def current(bind) -> str | None:
    conn_cm = bind.connect() if isinstance(bind, Engine) else None
    conn = conn_cm if conn_cm is not None else bind
    try:
        return MigrationContext.configure(conn).get_current_revision()
    finally:
        if conn_cm is not None:
            conn_cm.close()


def head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
