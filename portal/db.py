"""Database engine and the request-scoped session.

``request.dbsession`` is created on first use and joined to the request's
transaction manager (pyramid_tm), so a view never commits by hand: the
transaction commits after the view returns, or aborts on an exception, and
pyramid_retry replays the request on a serialisation conflict.
"""

from __future__ import annotations

from pyramid_retry import mark_error_retryable
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker
from zope.sqlalchemy import register


def make_engine(url: str, **kwargs) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT and deferred BEGIN;
    # take it over, as the SQLAlchemy documentation recommends.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "handle_error")
    def _locked_is_retryable(context):
        # A transaction that read and then writes after another connection committed
        # fails at once with "database is locked" (WAL snapshot; busy_timeout cannot
        # help). Nothing of it was committed, so pyramid_retry may replay the request.
        exc = context.sqlalchemy_exception
        if exc is not None and "database is locked" in str(context.original_exception):
            mark_error_retryable(exc)


def make_session_factory(bind: Engine | Connection) -> sessionmaker[Session]:
    kwargs = {}
    if isinstance(bind, Connection):
        # Tests hand in a connection inside an outer transaction: every commit
        # becomes a savepoint release and the test rolls the whole lot back.
        kwargs["join_transaction_mode"] = "create_savepoint"
    return sessionmaker(bind=bind, expire_on_commit=False, **kwargs)


def get_tm_session(session_factory, transaction_manager, request=None) -> Session:
    session = session_factory(info={"request": request})
    register(session, transaction_manager=transaction_manager)
    return session


def includeme(config):
    settings = config.get_settings()
    config.include("pyramid_tm")
    config.include("pyramid_retry")

    bind = settings.get("portal.db_bind")
    if bind is None:
        bind = make_engine(settings["sqlalchemy.url"])
    factory = make_session_factory(bind)
    config.registry["dbsession_factory"] = factory
    config.registry["db_bind"] = bind

    def dbsession(request) -> Session:
        # Tests and scripts may put a session in the environ to share it.
        session = request.environ.get("app.dbsession")
        if session is None:
            session = get_tm_session(factory, request.tm, request=request)
        return session

    config.add_request_method(dbsession, reify=True)
