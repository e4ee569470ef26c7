"""API tokens: created in the UI and the CLI, used as bearer tokens, revoked; only a
hash is ever stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import webtest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal import make_config
from portal.api.tokens import create_token
from portal.models import ApiToken, User, utcnow

from .api_helpers import bearer, token_for
from .test_cli import Database, data_dir, initialised, ok, portal  # noqa: F401 - fixtures


def _all_text_in_db(db) -> str:
    rows = db.execute(text("SELECT * FROM api_tokens")).all()
    return " ".join(str(v) for row in rows for v in row)


def test_created_in_the_ui_shown_once_used_and_revoked(app, as_user, make, db):
    make("page", title="Riêng tư")  # private: only logged-in roles see it
    as_user("editor")
    page = app.get("/tai-khoan/token")
    form = page.forms["deform"]
    form["name"] = "Máy chủ tin"
    shown = form.submit("create")
    secret = re.search(r'<code id="new-token">(pt_[A-Za-z0-9_-]+)</code>', shown.text).group(1)
    assert "Máy chủ tin" in shown.text
    # Shown once: the list page never shows it again.
    assert secret not in app.get("/tai-khoan/token").text
    # Only its SHA-256 is stored.
    assert secret not in _all_text_in_db(db)
    row = db.scalar(select(ApiToken).where(ApiToken.name == "Máy chủ tin"))
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()

    app.reset()  # no cookie: the token alone identifies the editor
    res = app.get("/api/v1/content/rieng-tu/", headers=bearer(secret))
    assert res.json["title"] == "Riêng tư"

    as_user("editor")
    listing = app.get("/tai-khoan/token")
    revoke = next(f for f in listing.forms.values() if f.action.endswith("/tai-khoan/token/thu-hoi"))
    assert revoke.submit().status_int == 302
    app.reset()
    res = app.get("/api/v1/content/rieng-tu/", headers=bearer(secret), status=401)
    assert res.json["error"] == "unauthorized"


def test_the_token_page_needs_a_login_and_csrf(app, as_user, db):
    res = app.get("/tai-khoan/token", status=302)
    assert "/dang-nhap" in res.location
    as_user("reader")
    page = app.get("/tai-khoan/token")
    form = page.forms["deform"]
    form["csrf_token"] = "sai"
    res = form.submit("create", status=400)
    assert "pt_" not in res.text
    assert db.scalar(select(ApiToken)) is None


def test_a_user_cannot_revoke_someone_elses_token(app, as_user, db):
    token_for(db, "editor")
    other = db.scalar(select(ApiToken))
    as_user("reader")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', app.get("/tai-khoan/token").text).group(1)
    app.post("/tai-khoan/token/thu-hoi", {"id": other.id, "csrf_token": csrf}, status=404)
    db.refresh(other)
    assert other.revoked_at is None
    # Ids that are no row id at all are refused the same way, never a database error.
    for odd in ("99999999999999999999", "²", "-1", ""):
        app.post("/tai-khoan/token/thu-hoi", {"id": odd, "csrf_token": csrf}, status=404)


def test_last_used_is_noted_at_most_once_a_minute(app, db):
    secret = token_for(db, "editor")
    row = db.scalar(select(ApiToken))
    assert row.last_used_at is None
    app.get("/api/v1/content/", headers=bearer(secret))
    db.refresh(row)
    first = row.last_used_at
    assert first is not None
    app.get("/api/v1/content/", headers=bearer(secret))
    db.refresh(row)
    assert row.last_used_at == first
    row.last_used_at = utcnow() - dt.timedelta(minutes=2)
    db.commit()
    app.get("/api/v1/content/", headers=bearer(secret))
    db.refresh(row)
    assert row.last_used_at > first


def test_tokens_count_only_under_api_and_for_active_users(app, make, db):
    make("page", title="Riêng tư")
    secret = token_for(db, "editor")
    # An HTML page ignores the header: the caller is anonymous there.
    app.get("/rieng-tu/", headers=bearer(secret), status=404)
    db.query(User).filter_by(login="editor").one().active = False
    db.commit()
    app.get("/api/v1/content/", headers=bearer(secret), status=401)


def test_token_commands(initialised):  # noqa: F811 - fixture from test_cli
    home = initialised
    created = ok(portal(home, "token", "create", "admin", "--name", "Đồng bộ"))
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("pt_") and len(secret) > 40
    listed = ok(portal(home, "token", "list", "admin")).stdout
    assert "Đồng bộ" in listed and "đang dùng" in listed and secret not in listed

    with Database(home) as database:
        with Session(database.engine) as db:
            assert secret not in _all_text_in_db(db)
            token_id = db.scalar(select(ApiToken.id))
        app = webtest.TestApp(
            make_config(
                {
                    "sqlalchemy.url": str(database.engine.url),
                    "portal.home": str(home),
                    "portal.db_bind": database.engine,
                }
            ).make_wsgi_app(),
            extra_environ={"HTTP_HOST": "localhost"},
        )
        res = app.get("/api/v1/content/", headers=bearer(secret))
        assert "transitions" in res.json  # a logged-in caller: admin
        ok(portal(home, "token", "revoke", str(token_id)))
        assert "đã thu hồi" in ok(portal(home, "token", "list", "admin")).stdout
        app.get("/api/v1/content/", headers=bearer(secret), status=401)
    res = portal(home, "token", "create", "khong-co")
    assert res.returncode == 1 and "không có người dùng" in res.stderr


def test_create_token_stores_only_the_hash(db):
    user = db.query(User).filter_by(login="admin").one()
    row, secret = create_token(db, user, "x")
    assert secret.startswith("pt_")
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in _all_text_in_db(db)
