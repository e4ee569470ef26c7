"""Log-in, log-out, throttling, session cookies, error pages and security headers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import webtest
from sqlalchemy import select

from portal import make_config
from portal.models import LoginThrottle, Node, User
from portal.security import hash_password
from tests.conftest import PASSWORD, csrf_from, login

ROOT = "http://localhost/"
BAD_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."
LOCKED = "Đăng nhập tạm bị khóa do nhập sai nhiều lần."


def token(app) -> str:
    return csrf_from(app.get("/dang-xuat"))


def alert(res) -> str | None:
    match = re.search(r'<p class="alert" role="alert">([^<]*)</p>', res.text)
    return match.group(1) if match else None


def logged_in(app) -> bool:
    """Whether the session in ``app`` belongs to an editor-capable user."""
    res = app.get("/@@edit", status="*")
    assert res.status_int in (200, 302), res.status
    return res.status_int == 200


def post_login(app, user, password, came_from="/", **kw):
    """One log-in attempt with the session's current token (the form's own fields)."""
    page = app.get("/dang-nhap", **kw)
    fields = {
        "csrf_token": csrf_from(page),
        "login": user,
        "password": password,
        "came_from": came_from,
        "do_login": "do_login",
    }
    return app.post("/dang-nhap", fields, status="*", **kw)


# --- Log-in ---------------------------------------------------------------------------------


def test_login_success_redirects_home_and_logs_in(app):
    assert not logged_in(app)
    res = login(app, "admin")
    assert res.status_int == 302
    assert res.location == ROOT
    assert "Xin chào Admin." in res.follow().text
    assert logged_in(app)


@pytest.mark.parametrize(
    "came_from, expected",
    [
        ("/thu-muc/@@edit", ROOT + "thu-muc/@@edit"),
        ("/@@sharing?x=1", ROOT + "@@sharing?x=1"),
        ("//evil.example", ROOT),
        ("//evil.example/dang-nhap", ROOT),
        ("https://evil.example", ROOT),
        ("https://evil.example/thu-muc/", ROOT),
        ("http://localhost.evil.example/", ROOT),
        ("/\\evil.example", ROOT),
        ("\\\\evil.example", ROOT),
        ("javascript:alert(1)", ROOT),
        ("", ROOT),
    ],
)
def test_login_came_from_stays_on_this_site(app, came_from, expected):
    page = app.get("/dang-nhap", params={"came_from": came_from})
    form = page.forms["deform"]
    assert form["came_from"].value == came_from
    form["login"] = "admin"
    form["password"] = PASSWORD
    res = form.submit("do_login")
    assert res.status_int == 302
    assert res.location == expected
    assert "evil.example" not in res.location


@pytest.mark.parametrize(
    "came_from, allowed",
    [
        # A crafted link must not turn a successful log-in into a server error.
        ("/\r\nSet-Cookie: x=1", {ROOT}),
        ("/\nLocation: https://evil.example/", {ROOT}),
        # Non-ASCII must reach the Location header percent-encoded (or be dropped).
        ("/thư-mục/", {ROOT, ROOT + "th%C6%B0-m%E1%BB%A5c/"}),
    ],
)
def test_login_came_from_with_unsafe_characters_still_redirects(wsgi_app, app, came_from, allowed):
    # lint=False: look at the raw header instead of webtest's WSGI lint error.
    raw = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"}, lint=False)
    res = post_login(raw, "admin", PASSWORD, came_from=came_from)
    assert res.status_int == 302, f"{res.status}: came_from={came_from!r} breaks the log-in"
    location = res.headers["Location"]
    assert location.isascii() and location.isprintable(), repr(location)
    assert location in allowed


def test_bad_password_is_refused_in_vietnamese(app):
    res = post_login(app, "admin", "sai-mat-khau")
    assert res.status_int == 400
    assert alert(res) == BAD_LOGIN
    assert "Traceback" not in res.text
    form = res.forms["deform"]
    assert form["login"].value == "admin"
    assert form["password"].value == ""  # never echoed back
    assert "sai-mat-khau" not in res.text
    assert not logged_in(app)


def test_unknown_user_gets_the_same_answer(app):
    wrong_password = post_login(app, "admin", "sai-mat-khau")
    unknown = post_login(app, "khong-ton-tai", "sai-mat-khau")
    assert unknown.status_int == wrong_password.status_int == 400
    assert alert(unknown) == alert(wrong_password) == BAD_LOGIN
    # Apart from the echoed login, the two pages are identical: nothing tells
    # which accounts exist.
    assert unknown.text.replace("khong-ton-tai", "X") == wrong_password.text.replace(
        'value="admin"', 'value="X"'
    )
    assert not logged_in(app)


def test_empty_login_form_is_a_field_error(app):
    res = post_login(app, "", "")
    assert res.status_int == 400
    assert "Bắt buộc nhập" in res.text
    assert "Traceback" not in res.text


def test_login_without_csrf_keeps_the_login(app):
    app.get("/dang-nhap")
    res = app.post(
        "/dang-nhap",
        {"login": "admin", "password": PASSWORD, "came_from": "/", "do_login": "do_login"},
        status="*",
    )
    assert res.status_int == 400
    assert "Phiên làm việc đã hết hạn" in res.text
    assert res.forms["deform"]["login"].value == "admin"
    assert not logged_in(app)


# --- Throttling -----------------------------------------------------------------------------


def test_account_locks_after_five_failures(app, registry, db):
    limit = int(registry.settings["portal.login.max_failures_per_account"])
    minutes = int(registry.settings["portal.login.lock_minutes"])
    assert limit == 5
    for attempt in range(limit):
        res = post_login(app, "editor", f"sai-{attempt}")
        assert res.status_int == 400, attempt
        assert alert(res) == BAD_LOGIN

    res = post_login(app, "editor", PASSWORD)  # the right password, too late
    assert res.status_int == 429
    assert "phút" in alert(res)
    assert alert(res) == f"{LOCKED} Vui lòng thử lại sau {minutes} phút."
    assert "Traceback" not in res.text
    assert not logged_in(app)

    # The lock is on the account, whatever its spelling or the address.
    assert post_login(app, "EDITOR", PASSWORD).status_int == 429
    assert (
        post_login(app, "editor", PASSWORD, extra_environ={"REMOTE_ADDR": "198.51.100.9"}).status_int == 429
    )
    assert not logged_in(app)

    # Other accounts are not affected.
    res = post_login(app, "admin", PASSWORD)
    assert res.status_int == 302
    assert logged_in(app)

    row = db.get(LoginThrottle, "account:editor")
    assert row is not None and row.locked_until is not None


def test_lock_ends_after_its_time(app, db):
    for attempt in range(5):
        assert post_login(app, "editor", f"sai-{attempt}").status_int == 400
    assert post_login(app, "editor", PASSWORD).status_int == 429
    # Pretend the lock was set long enough ago.
    row = db.get(LoginThrottle, "account:editor")
    earlier = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)
    row.locked_until, row.window_start = earlier + dt.timedelta(minutes=15), earlier
    db.commit()
    assert post_login(app, "editor", PASSWORD).status_int == 302
    assert logged_in(app)


def test_four_failures_then_success_resets_the_account_counter(app, registry):
    limit = int(registry.settings["portal.login.max_failures_per_account"])
    for attempt in range(limit - 1):
        assert post_login(app, "reader", f"sai-{attempt}").status_int == 400
    assert post_login(app, "reader", PASSWORD).status_int == 302
    app.reset()
    # A fresh count: limit - 1 more failures do not lock.
    for attempt in range(limit - 1):
        assert post_login(app, "reader", f"sai-lai-{attempt}").status_int == 400
    assert post_login(app, "reader", PASSWORD).status_int == 302


def test_address_locks_after_the_configured_number_of_failures(wsgi_app, app, registry):
    limit = int(registry.settings["portal.login.max_failures_per_ip"])
    assert limit == 30
    attacker = webtest.TestApp(
        wsgi_app, extra_environ={"HTTP_HOST": "localhost", "REMOTE_ADDR": "203.0.113.7"}
    )
    csrf = csrf_from(attacker.get("/dang-nhap"))

    def attempt(who, password):
        return attacker.post(
            "/dang-nhap",
            {
                "csrf_token": csrf,
                "login": who,
                "password": password,
                "came_from": "/",
                "do_login": "do_login",
            },
            status="*",
        )

    # Different accounts each time, so only the address's counter reaches the limit.
    for i in range(limit):
        res = attempt(f"khach-{i}", "sai")
        assert res.status_int == 400, i
    res = attempt("admin", PASSWORD)
    assert res.status_int == 429
    assert "phút" in alert(res)
    assert not logged_in(attacker)
    assert attempt("editor", PASSWORD).status_int == 429

    # Another address is not affected.
    other = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost", "REMOTE_ADDR": "203.0.113.8"})
    res = login(other, "admin")
    assert res.status_int == 302
    assert logged_in(other)


def test_inactive_user_cannot_log_in_and_loses_open_sessions(app, db):
    login(app, "editor")
    assert logged_in(app)
    user = db.scalar(select(User).where(User.login == "editor"))
    user.active = False
    db.commit()
    assert not logged_in(app)  # the open session no longer counts
    app.reset()
    res = post_login(app, "editor", PASSWORD)
    assert res.status_int == 400
    assert alert(res) == BAD_LOGIN


def test_password_change_ends_other_sessions(app, db):
    login(app, "editor")
    assert logged_in(app)
    user = db.scalar(select(User).where(User.login == "editor"))
    user.password_hash = hash_password("mat-khau-moi")
    db.commit()
    assert not logged_in(app)
    app.reset()
    assert post_login(app, "editor", PASSWORD).status_int == 400
    assert post_login(app, "editor", "mat-khau-moi").status_int == 302


# --- Log-out --------------------------------------------------------------------------------


def test_logout_needs_a_post_with_csrf(app):
    login(app, "admin")
    page = app.get("/dang-xuat")
    assert page.status_int == 200
    assert "Bạn có chắc muốn đăng xuất?" in page.text
    assert logged_in(app)  # a GET (e.g. a link or an <img>) logs no one out

    res = app.post("/dang-xuat", {}, status=400)
    assert "Phiên làm việc đã hết hạn" in res.text
    assert app.post("/dang-xuat", {"csrf_token": "sai"}, status=400)
    assert logged_in(app)

    form = next(f for f in app.get("/dang-xuat").forms.values() if f.action.endswith("/dang-xuat"))
    res = form.submit()
    assert res.status_int == 302
    assert res.location == ROOT
    res = app.get("/@@edit", status=302)
    assert res.location == "http://localhost/dang-nhap?came_from=%2F%40%40edit"


def test_logout_ends_the_session_for_a_copied_cookie_too(app):
    """After log-out, replaying the session cookie captured before it must not
    authenticate (the cookie may sit in a shared computer's browser profile,
    a proxy log or a stolen backup)."""
    login(app, "admin")
    captured = app.cookies["portal_session"]
    form = next(f for f in app.get("/dang-xuat").forms.values() if f.action.endswith("/dang-xuat"))
    assert form.submit().status_int == 302
    assert not logged_in(app)

    app.reset()
    app.set_cookie("portal_session", captured)
    assert not logged_in(app), "the pre-log-out session cookie still logs in"


# --- Session cookie ---------------------------------------------------------------------------


def _set_cookies(res) -> list[str]:
    return [v for k, v in res.headerlist if k.lower() == "set-cookie"]


def test_session_cookie_flags(app):
    res = login(app, "admin")
    cookies = [c for c in _set_cookies(res) if c.startswith("portal_session=")]
    assert len(cookies) == 1
    attrs = {a.strip().split("=")[0].lower(): a.strip() for a in cookies[0].split(";")[1:]}
    assert "httponly" in attrs
    assert attrs["samesite"].lower() == "samesite=lax"
    assert attrs["path"] == "Path=/"
    # A browser-session cookie; the server-side timeout ends it.
    assert "max-age" not in attrs and "expires" not in attrs


def test_anonymous_pages_set_no_cookie(app, make):
    folder = make("folder", title="Công khai", state="published")
    page = make("page", folder, "Trang công khai", state="published")
    for url, status in (("/", 200), (folder.path, 200), (page.path, 200), ("/khong-co-trang-nay/", 404)):
        res = app.get(url, status=status)
        assert _set_cookies(res) == [], url
    assert not app.cookies


# --- Error pages ------------------------------------------------------------------------------


def test_unknown_url_is_a_themed_404(app):
    res = app.get("/khong-co-trang-nay/", status=404)
    assert 'lang="vi"' in res.text
    assert "Không tìm thấy trang" in res.text
    assert "Trang bạn tìm không tồn tại hoặc đã được chuyển đi." in res.text
    assert "Phường Thử Nghiệm" in res.text  # inside the site's layout
    assert res.content_type == "text/html"
    app.get("/khong-co/@@edit", status=404)
    app.get("/@@khong-co-view", status=404)


@pytest.fixture
def failing_app(settings, connection):
    def boom(context, request):
        raise RuntimeError("bí mật nội bộ: không được lộ ra")

    config = make_config({**settings, "portal.db_bind": connection})
    config.add_view(boom, name="gay-loi", context=Node)
    return webtest.TestApp(config.make_wsgi_app(), extra_environ={"HTTP_HOST": "localhost"})


def test_unexpected_exception_is_a_themed_500_without_traceback(failing_app):
    res = failing_app.get("/@@gay-loi", status=500)
    assert 'lang="vi"' in res.text
    assert "Lỗi hệ thống" in res.text
    assert "Đã có lỗi xảy ra. Chúng tôi đã ghi nhận và sẽ khắc phục sớm." in res.text
    for leak in ("Traceback", "RuntimeError", "bí mật nội bộ", "File &#34;", 'File "'):
        assert leak not in res.text, leak
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    # The same app still serves normal pages afterwards.
    assert failing_app.get("/").status_int == 200


def test_unexpected_exception_for_a_logged_in_user(failing_app):
    login(failing_app, "admin")
    res = failing_app.get("/@@gay-loi", status=500)
    assert "Lỗi hệ thống" in res.text
    assert "bí mật nội bộ" not in res.text and "Traceback" not in res.text


@pytest.mark.parametrize("user", ["anonymous", "admin"])
def test_post_to_non_form_views_without_csrf_is_a_themed_400(as_user, make, user):
    folder = make("folder", title="Thư mục", state="published")
    child = make("page", folder, "Trang", state="published")
    app = as_user(user)
    targets = [
        ("/dang-xuat", {}),
        (folder.path + "@@move-item", {"id": str(child.id), "direction": "up"}),
        (folder.path + "@@sharing-remove", {"principal": "user:1", "role": "Editor"}),
        (child.path + "@@delete", {}),
    ]
    if user == "anonymous":
        # Views with a permission refuse anonymous visitors before looking at the token.
        targets = [t for t in targets if not t[0].endswith(("@@move-item", "@@sharing-remove"))]
        for url in (folder.path + "@@move-item", folder.path + "@@sharing-remove"):
            res = app.post(url, {}, status=403)
            assert "Không có quyền truy cập" in res.text
    for url, fields in targets:
        res = app.post(url, fields, status="*")
        assert res.status_int == 400, url
        assert "Phiên làm việc đã hết hạn" in res.text, url
        assert "Vui lòng tải lại trang và thực hiện lại thao tác." in res.text, url
        assert 'lang="vi"' in res.text and "Traceback" not in res.text


# --- Security headers -------------------------------------------------------------------------


def test_security_headers(app, as_user):
    pages = [app.get("/"), app.get("/dang-nhap"), app.get("/khong-co/", status=404)]
    admin = as_user("admin")
    pages.append(admin.get("/@@edit"))
    for res in pages:
        assert res.headers["X-Content-Type-Options"] == "nosniff"
        csp = res.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'self'" in csp
        assert res.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert res.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    # Pages seen with a session are never kept by a shared cache.
    assert "no-store" in pages[-1].headers["Cache-Control"]
    assert "private" in pages[-1].headers["Cache-Control"]
