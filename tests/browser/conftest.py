"""Browser tests: Playwright driving Debian's Chromium against a real server.

The server runs in a thread on 127.0.0.1 with its own SQLite database in a
temp dir (browser requests come from other threads, so the savepoint harness of
the WebTest suite does not apply). Never ``playwright install``: the browser is
/usr/bin/chromium, installed by .ci/run from Debian's packages.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import urllib.request
from types import SimpleNamespace

import pytest
from sqlalchemy.orm import Session

from portal import make_config
from portal.bootstrap import create_user, initialise
from portal.db import make_engine
from portal.permissions import Roles
from portal.settings import resolve

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "mat-khau-trinh-duyet"

if not shutil.which(CHROMIUM):
    pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """The running server: its base URL, engine, settings and app registry."""
    from portal.server import make_server

    data_dir = tmp_path_factory.mktemp("browser-data")
    settings = resolve(
        {"portal.data_dir": str(data_dir), "portal.site_name": "Phường Trình Duyệt"}, environ={}
    )
    engine = make_engine(settings["sqlalchemy.url"])
    initialise(settings, engine, admin_password=PASSWORD)
    with Session(engine) as db, db.begin():
        from portal.models import Node

        root = db.query(Node).filter(Node.parent_id.is_(None)).one()
        for login, role in (("editor", Roles.Editor), ("reviewer", Roles.Reviewer)):
            create_user(db, login, PASSWORD, fullname=login.capitalize(), roles=(role,), root=root)
    app = make_config({**settings, "portal.db_bind": engine}).make_wsgi_app()
    port = _free_port()
    srv = make_server(app, host="127.0.0.1", port=port, threads=4)  # as `portal serve`
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(50):
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield SimpleNamespace(url=base, engine=engine, settings=settings, registry=app.registry)
    srv.close()
    engine.dispose()


@pytest.fixture(scope="session")
def server(live_site):
    return live_site.url


@pytest.fixture(scope="session")
def demo_server(live_site):
    """The same server with the demo content (``portal demo``) loaded, once."""
    from sqlalchemy import select

    from portal.demo import load_demo
    from portal.models import Node, User

    with Session(live_site.engine) as db, db.begin():
        root = db.query(Node).filter(Node.parent_id.is_(None)).one()
        owner = db.scalar(select(User).where(User.login == "admin"))
        load_demo(db, live_site.registry["portal.types"], root, owner)
    return live_site.url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()
