"""Test harness: migrate once per run, roll back after every test.

The suite runs on SQLite by default and on PostgreSQL when
PORTAL_TEST_DATABASE_URL is set. Every test gets its own outer transaction on
one connection; the app's sessions join it through savepoints, so a test sees
its own writes through the full WSGI stack and leaves nothing behind.
"""

from __future__ import annotations

import os
import re

import pytest
import webtest
from sqlalchemy import event, inspect, text
from sqlalchemy.orm import Session

from portal import make_config, migrate
from portal.bootstrap import create_user, ensure_site
from portal.db import make_engine
from portal.permissions import Roles
from portal.settings import resolve

PASSWORD = "mat-khau-thu-nghiem"

# Every content type the project ships, and those an editor may add inside a folder.
SHIPPED_TYPES = [
    "file",
    "folder",
    "image",
    "legal_document",
    "legal_document_review",
    "link",
    "news",
    "page",
    "procedure",
    "question_answer",
    "review_list",
    "service_link",
    "site",
]
ADDABLE_IN_FOLDER = [t for t in SHIPPED_TYPES if t != "site"]

ROLE_USERS = {
    "admin": Roles.SiteAdministrator,
    "editor": Roles.Editor,
    "contributor": Roles.Contributor,
    "reviewer": Roles.Reviewer,
    "reader": Roles.Reader,
    "nobody": None,
}


def _drop_everything(engine) -> None:
    from migrations.schema import target_metadata

    with engine.begin() as conn:
        target_metadata().drop_all(conn)
        if inspect(conn).has_table("alembic_version"):
            conn.execute(text("DROP TABLE alembic_version"))


@pytest.fixture(scope="session")
def settings(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("data")
    url = os.environ.get("PORTAL_TEST_DATABASE_URL") or f"sqlite:///{data_dir / 'test.sqlite'}"
    return resolve(
        {
            "sqlalchemy.url": url,
            "portal.data_dir": str(data_dir),
            "portal.secret": "test-secret-not-for-production",
            "portal.site_name": "Phường Thử Nghiệm",
            "portal.site_level": "Ủy ban nhân dân phường",
            "portal.site_address": "Số 1 đường Thử",
            "portal.site_hotline": "0251 3800 100",
            # Views are written when a test flushes them, never by a background thread.
            "portal.views.flush_seconds": "0",
            # Feed 304s without the database are on by default (10 s); tests change rows
            # and move the clock without committing, so they check the validator every
            # time, and test_feeds.py turns the shortcut on where it is the subject.
            "portal.feeds.fast_304_seconds": "0",
        },
        environ={},
    )


@pytest.fixture(scope="session")
def engine(settings):
    engine = make_engine(settings["sqlalchemy.url"])
    _drop_everything(engine)
    migrate.upgrade(engine)
    with Session(engine) as db, db.begin():
        root = ensure_site(db, settings)
        for login, role in ROLE_USERS.items():
            create_user(
                db,
                login,
                PASSWORD,
                fullname=login.capitalize(),
                roles=(role,) if role else (),
                root=root,
            )
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def wsgi_app(settings, engine):
    return make_config({**settings, "portal.db_bind": engine}).make_wsgi_app()


@pytest.fixture
def connection(engine, wsgi_app):
    conn = engine.connect()
    trans = conn.begin()
    factory = wsgi_app.registry["dbsession_factory"]
    factory.configure(bind=conn, join_transaction_mode="create_savepoint")
    # Every test rolls back, so site generations repeat: start with empty caches.
    wsgi_app.registry.pop("portal.nav_cache", None)
    wsgi_app.registry["portal.view_counter"].discard()
    wsgi_app.registry["portal.block_cache"].clear()
    yield conn
    factory.configure(bind=engine, join_transaction_mode="conservative_savepoint")
    trans.rollback()
    conn.close()


@pytest.fixture
def db(connection):
    """A session on the test's connection, beside the app's (each request has its own
    transaction manager, so requests never join or abort this session)."""
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield session
    session.close()


@pytest.fixture
def registry(wsgi_app):
    return wsgi_app.registry


@pytest.fixture
def types(registry):
    return registry["portal.types"]


@pytest.fixture
def root(db):
    from portal.models import Node

    return db.query(Node).filter(Node.parent_id.is_(None)).one()


@pytest.fixture
def app(wsgi_app, connection):
    return webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})


def csrf_from(response) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
    assert match, "no CSRF token in the page"
    return match.group(1)


def login(app, user: str, password: str = PASSWORD):
    page = app.get("/dang-nhap")
    form = page.forms["deform"]
    form["login"] = user
    form["password"] = password
    return form.submit("do_login")


@pytest.fixture
def as_user(app):
    def _as(user: str):
        app.reset()
        if user != "anonymous":
            res = login(app, user)
            assert res.status_int == 302, res.text[:500]
        return app

    return _as


@pytest.fixture
def make(db, types, root):
    """Create content directly: make("page", parent, "Tiêu đề", state="published")."""
    from portal import tree
    from portal.models import User, utcnow

    def _make(type_name, parent=None, title="Mục thử", *, state="private", owner="admin", **fields):
        info = types[type_name]
        owner_id = db.query(User.id).filter(User.login == owner).scalar()
        node = info.model(title=title, state=state, owner_id=owner_id, **fields)
        now = utcnow()
        node.created = node.modified = now
        if state == "published" and "effective" not in fields:
            node.effective = now
        tree.add_child(db, parent or root, node)
        db.commit()
        return node

    return _make


@pytest.fixture
def count_statements(app, connection):
    """count_statements(url) -> how many SQL statements one GET of ``url`` ran with
    empty block and page caches (savepoint bookkeeping left out): listings must not
    grow with their length."""

    def _count(url, **kwargs):
        # Measure the real work, not the anonymous page and block caches.
        app.app.registry["portal.block_cache"].clear()
        statements = []

        def log(conn, cursor, statement, *args):
            if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                statements.append(statement)

        event.listen(connection, "before_cursor_execute", log)
        try:
            app.get(url, **kwargs)
        finally:
            event.remove(connection, "before_cursor_execute", log)
        return len(statements)

    return _count


@pytest.fixture
def auth(db):
    """auth("editor") -> headers carrying a fresh API token of that user (JSON API)."""
    from .api_helpers import bearer, token_for

    def _auth(login: str, **extra) -> dict:
        return bearer(token_for(db, login), **extra)

    return _auth


@pytest.fixture
def doc(app):
    """The API's OpenAPI document, as served."""
    return app.get("/api/v1/openapi.json").json


@pytest.fixture
def smtp_sink(registry, monkeypatch):
    """A local SMTP server (aiosmtpd) that keeps what it receives; the app's mail
    settings point at it for the test. Yields the list of received messages."""
    import email
    import email.policy
    import socket

    from aiosmtpd.controller import Controller

    received = []
    with socket.socket() as probe:  # aiosmtpd's start() connects to its port: no port 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
            received.append(msg)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setitem(registry.settings, "portal.mail.host", "127.0.0.1")
        monkeypatch.setitem(registry.settings, "portal.mail.port", str(port))
        monkeypatch.setitem(registry.settings, "portal.mail.staff", "canbo@example.org, lanhdao@example.org")
        yield received
    finally:
        controller.stop()
