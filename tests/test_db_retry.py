"""SQLite: a write refused because another connection committed first is marked
retryable, so pyramid_retry replays the request instead of showing an error."""

import pytest
from pyramid_retry import IRetryableError
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from portal.db import make_engine


def test_locked_snapshot_write_is_retryable(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.sqlite'}")
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
        reader = engine.connect()
        writer = engine.connect()
        try:
            reader.begin()
            reader.execute(text("SELECT count(*) FROM t")).scalar()  # holds a read snapshot
            with writer.begin():
                writer.execute(text("INSERT INTO t VALUES (1)"))
            with pytest.raises(OperationalError) as info:
                reader.execute(text("INSERT INTO t VALUES (2)"))
            assert "database is locked" in str(info.value)
            assert IRetryableError.providedBy(info.value)
        finally:
            reader.close()
            writer.close()
    finally:
        engine.dispose()
