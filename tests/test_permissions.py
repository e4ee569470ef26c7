"""Who may do what, through the full WSGI stack.

A role matrix over a private, a pending and a published page (all owned by
admin) inside a published folder, then POST-level checks (the server refuses
what the UI merely hides), local roles granted through @@sharing, and
publication dates (expired / not yet effective items).
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import pytest
from sqlalchemy import select

from portal.models import LocalRole, Node, User, WorkflowHistory
from tests.conftest import ROLE_USERS, csrf_from

USERS = ["anonymous", *ROLE_USERS]
VIEWS = ("", "@@edit", "@@workflow", "@@history", "@@sharing")

FOLDER = "/thu-muc/"
PAGES = {
    "private": ("Trang riêng tư", "/thu-muc/trang-rieng-tu/"),
    "pending": ("Trang chờ duyệt", "/thu-muc/trang-cho-duyet/"),
    "published": ("Trang công khai", "/thu-muc/trang-cong-khai/"),
}

NOT_FOUND = "Không tìm thấy trang"
FORBIDDEN = "Không có quyền truy cập"
LOGIN = 302  # anonymous: sent to the log-in page

# Expected status per view, in the order of VIEWS: view, edit, workflow, history, sharing.
ALL_404 = (404,) * 5
EXPECTED = {
    "private": {
        "anonymous": ALL_404,
        "admin": (200, 200, 200, 200, 200),
        "editor": (200, 200, 200, 200, 200),
        "contributor": ALL_404,  # not a viewer of unpublished content, not the owner
        "reviewer": (200, 403, 200, 403, 403),
        "reader": (200, 403, 200, 403, 403),
        "nobody": ALL_404,
    },
    "pending": {
        "anonymous": ALL_404,
        "admin": (200, 200, 200, 200, 200),
        "editor": (200, 200, 200, 200, 200),
        "contributor": ALL_404,
        "reviewer": (200, 200, 200, 200, 403),  # reviewers may touch up what they review
        "reader": (200, 403, 200, 403, 403),
        "nobody": ALL_404,
    },
    "published": {
        "anonymous": (200, LOGIN, LOGIN, LOGIN, LOGIN),
        "admin": (200, 200, 200, 200, 200),
        "editor": (200, 200, 200, 200, 200),
        "contributor": (200, 403, 200, 403, 403),
        "reviewer": (200, 403, 200, 403, 403),
        "reader": (200, 403, 200, 403, 403),
        "nobody": (200, 403, 200, 403, 403),
    },
}

# Transition buttons offered on @@workflow (only where the page is 200).
TRANSITIONS = {
    "private": {
        "admin": {"submit", "publish"},
        "editor": {"submit"},
        "reviewer": {"publish"},
        "reader": set(),
    },
    "pending": {
        "admin": {"publish", "reject"},
        "editor": set(),
        "reviewer": {"publish", "reject"},
        "reader": set(),
    },
    "published": {
        "admin": {"retract"},
        "editor": {"retract"},
        "contributor": set(),
        "reviewer": {"retract"},
        "reader": set(),
        "nobody": set(),
    },
}

FOLDER_EXPECTED = {
    # user: (folder/@@contents, folder/@@add?type=page)
    "anonymous": (LOGIN, LOGIN),
    "admin": (200, 200),
    "editor": (200, 200),
    "contributor": (200, 200),
    "reviewer": (200, 403),
    "reader": (200, 403),
    "nobody": (200, 403),
}

# Which of the three pages each user sees listed in @@contents.
CONTENTS_SEES = {
    "admin": {"private", "pending", "published"},
    "editor": {"private", "pending", "published"},
    "reviewer": {"private", "pending", "published"},
    "reader": {"private", "pending", "published"},
    "contributor": {"published"},
    "nobody": {"published"},
}


@pytest.fixture
def site(make):
    folder = make("folder", title="Thư mục", state="published")
    pages = {state: make("page", folder, title, state=state) for state, (title, _url) in PAGES.items()}
    for state, (_title, url) in PAGES.items():
        assert pages[state].path == url
    assert folder.path == FOLDER
    return folder, pages


def login_url(path_qs: str) -> str:
    return "http://localhost/dang-nhap?came_from=" + quote(path_qs, safe="")


def token(app) -> str:
    """The session's CSRF token (the log-out page always carries one)."""
    return csrf_from(app.get("/dang-xuat"))


def check_status(res, expected: int, path_qs: str, title: str | None = None) -> list[str]:
    """Return the ways ``res`` differs from what ``expected`` means."""
    problems = []
    if res.status_int != expected:
        return [f"{path_qs}: {res.status_int} instead of {expected}"]
    if expected == 302:
        if res.location != login_url(path_qs):
            problems.append(f"{path_qs}: redirect to {res.location}")
    elif expected == 404:
        if NOT_FOUND not in res.text:
            problems.append(f"{path_qs}: 404 without the themed page")
        if title and title in res.text:
            problems.append(f"{path_qs}: the 404 leaks the title")
    elif expected == 403:
        if FORBIDDEN not in res.text:
            problems.append(f"{path_qs}: 403 without the themed page")
    elif expected == 200 and title and title not in res.text:
        problems.append(f"{path_qs}: title missing")
    return problems


def buttons(res) -> set[str]:
    form = res.forms.get("deform")
    if form is None:
        return set()
    return {name for name in ("submit", "publish", "reject", "retract") if name in form.fields}


@pytest.mark.parametrize("state", list(PAGES))
@pytest.mark.parametrize("user", USERS)
def test_role_matrix_on_pages(as_user, site, user, state):
    app = as_user(user)
    title, url = PAGES[state]
    problems = []
    for view, expected in zip(VIEWS, EXPECTED[state][user], strict=True):
        res = app.get(url + view, status="*")
        problems += check_status(res, expected, url + view, title)
        if view == "@@workflow" and expected == 200:
            got = buttons(res)
            if got != TRANSITIONS[state][user]:
                problems.append(f"{url}@@workflow offers {sorted(got)}")
    assert not problems, problems


@pytest.mark.parametrize("user", USERS)
def test_role_matrix_on_folder(as_user, site, user):
    app = as_user(user)
    contents_expected, add_expected = FOLDER_EXPECTED[user]
    problems = []

    res = app.get(FOLDER + "@@contents", status="*")
    problems += check_status(res, contents_expected, FOLDER + "@@contents")
    if contents_expected == 200:
        listed = {state for state, (title, _url) in PAGES.items() if title in res.text}
        if listed != CONTENTS_SEES[user]:
            problems.append(f"@@contents lists {sorted(listed)}")

    res = app.get(FOLDER + "@@add?type=page", status="*")
    problems += check_status(res, add_expected, FOLDER + "@@add?type=page")
    if add_expected == 200 and "title" not in res.forms["deform"].fields:
        problems.append("@@add has no title field")
    assert not problems, problems


def test_unpublished_404_is_indistinguishable_from_a_missing_page(as_user, site):
    app = as_user("anonymous")
    missing = app.get("/thu-muc/khong-ton-tai/", status=404)
    for state in ("private", "pending"):
        _title, url = PAGES[state]
        assert app.get(url, status=404).text == missing.text
        # Even an edit view says nothing about existence (no log-in redirect).
        assert (
            app.get(url + "@@edit", status=404).text
            == app.get("/thu-muc/khong-ton-tai/@@edit", status=404).text
        )


def test_anonymous_login_redirect_comes_back_to_the_edit_view(as_user, site):
    app = as_user("anonymous")
    url = PAGES["published"][1] + "@@edit"
    res = app.get(url, status=302)
    assert res.location == login_url(url)
    form = res.follow().forms["deform"]
    assert form["came_from"].value == url
    form["login"] = "editor"
    form["password"] = "mat-khau-thu-nghiem"
    res = form.submit("do_login", status=302)
    assert res.location == "http://localhost" + url
    assert res.follow().forms["deform"]["title"].value == "Trang công khai"


# --- POST-level checks: the server refuses, whatever the UI shows ---------------------------


def _workflow_post(app, url, transition, csrf):
    return app.post(
        url + "@@workflow", {"csrf_token": csrf, "comment": "", transition: transition}, status="*"
    )


def test_contributor_cannot_publish_own_page(as_user, make, db, site):
    folder, _pages = site
    page = make("page", folder, "Bài của cộng tác viên", owner="contributor")
    app = as_user("contributor")
    url = page.path

    res = app.get(url + "@@workflow")
    assert buttons(res) == {"submit"}  # the owner may submit, not publish

    res = _workflow_post(app, url, "publish", token(app))
    assert res.status_int == 403
    assert "Bạn không có quyền thực hiện thao tác này." in res.text
    db.expire_all()
    assert db.get(Node, page.id).state == "private"
    assert db.scalar(select(WorkflowHistory.id).where(WorkflowHistory.node_id == page.id)) is None

    # Submitted, it is still not theirs to publish.
    assert _workflow_post(app, url, "submit", token(app)).status_int == 302
    db.expire_all()
    assert db.get(Node, page.id).state == "pending"
    # Pending: the owner still sees it, and still may not publish it.
    res = _workflow_post(app, url, "publish", token(app))
    assert res.status_int == 403
    assert "Bạn không có quyền thực hiện thao tác này." in res.text
    db.expire_all()
    assert db.get(Node, page.id).state == "pending"


def test_reader_cannot_publish_or_edit_by_post(as_user, db, site):
    _folder, pages = site
    app = as_user("reader")
    csrf = token(app)
    res = _workflow_post(app, PAGES["private"][1], "publish", csrf)
    assert res.status_int == 403
    for state in ("private", "published"):
        title, url = PAGES[state]
        res = app.post(
            url + "@@edit",
            {"csrf_token": csrf, "title": "Đã bị sửa", "description": "", "body": "", "save": "save"},
            status="*",
        )
        assert res.status_int == 403, state
        assert FORBIDDEN in res.text
    db.expire_all()
    assert db.get(Node, pages["private"].id).state == "private"
    assert {db.get(Node, p.id).title for p in pages.values()} == {t for t, _u in PAGES.values()}


def test_nobody_cannot_add_by_post(as_user, db, site):
    folder, _pages = site
    app = as_user("nobody")
    before = db.scalar(select(Node.id).where(Node.parent_id == folder.id).order_by(Node.id.desc()).limit(1))
    res = app.post(
        FOLDER + "@@add?type=page",
        {"csrf_token": token(app), "title": "Trang lậu", "description": "", "body": "", "save": "save"},
        status="*",
    )
    assert res.status_int == 403
    assert FORBIDDEN in res.text
    after = db.scalar(select(Node.id).where(Node.parent_id == folder.id).order_by(Node.id.desc()).limit(1))
    assert after == before
    assert db.scalar(select(Node.id).where(Node.title == "Trang lậu")) is None


def _user(db, login):
    return db.scalar(select(User).where(User.login == login))


def test_editor_cannot_grant_site_administrator(as_user, db, site):
    app = as_user("editor")
    nobody = _user(db, "nobody")

    page = app.get(FOLDER + "@@sharing")
    options = [value for value, *_rest in page.forms["deform"]["role"].options]
    assert options == ["Editor"]  # only roles the editor holds here

    for role in ("SiteAdministrator", "Reviewer"):
        res = app.post(
            FOLDER + "@@sharing",
            {"csrf_token": token(app), "principal": "nobody", "role": role, "save": "save"},
            status="*",
        )
        assert res.status_int in (400, 403), role
        assert "Traceback" not in res.text
        db.expire_all()
        assert db.scalars(select(LocalRole).where(LocalRole.principal == nobody.principal)).all() == [], role

    # The same request with a role the editor holds is accepted (the refusal above is about the role).
    res = app.post(
        FOLDER + "@@sharing",
        {"csrf_token": token(app), "principal": "nobody", "role": "Editor", "save": "save"},
        status=302,
    )
    roles = db.scalars(select(LocalRole.role).where(LocalRole.principal == nobody.principal)).all()
    assert roles == ["Editor"]


def test_editor_cannot_revoke_site_administrator(as_user, db, root):
    app = as_user("editor")
    admin = _user(db, "admin")
    res = app.post(
        "/@@sharing-remove",
        {"csrf_token": token(app), "principal": admin.principal, "role": "SiteAdministrator"},
        status="*",
    )
    assert res.status_int == 403
    db.expire_all()
    held = db.scalars(
        select(LocalRole.role).where(LocalRole.principal == admin.principal, LocalRole.node_id == root.id)
    ).all()
    assert held == ["SiteAdministrator"]


# --- Local roles ----------------------------------------------------------------------------


def test_local_editor_role_applies_to_one_folder_only(as_user, make, db):
    a = make("folder", title="Phòng A", state="published")
    b = make("folder", title="Phòng B", state="published")
    page_a = make("page", a, "Trang A", state="published")
    page_b = make("page", b, "Trang B", state="published")
    private_a = make("page", a, "Nháp A")
    private_b = make("page", b, "Nháp B")

    app = as_user("nobody")
    app.get(page_a.path + "@@edit", status=403)  # nothing before the grant
    app.get(private_a.path, status=404)

    app = as_user("admin")
    form = app.get(a.path + "@@sharing").forms["deform"]
    form["principal"] = "nobody"
    form["role"] = "Editor"
    res = form.submit("save")
    assert res.status_int == 302
    assert "Biên tập viên" in res.follow().text
    nobody = _user(db, "nobody")
    assert db.scalars(
        select(LocalRole.node_id).where(LocalRole.principal == nobody.principal, LocalRole.role == "Editor")
    ).all() == [a.id]

    app = as_user("nobody")
    form = app.get(page_a.path + "@@edit").forms["deform"]
    form["title"] = "Trang A đã sửa"
    assert form.submit("save").status_int == 302
    db.expire_all()
    assert db.get(Node, page_a.id).title == "Trang A đã sửa"
    assert "Nháp A" in app.get(private_a.path).text
    assert "Nháp A" in app.get(a.path + "@@contents").text
    app.get(a.path + "@@add?type=page", status=200)

    # The sibling folder is out of reach.
    app.get(page_b.path + "@@edit", status=403)
    app.get(b.path + "@@add?type=page", status=403)
    app.get(b.path + "@@sharing", status=403)
    app.get(private_b.path, status=404)
    assert "Nháp B" not in app.get(b.path + "@@contents").text
    res = app.post(
        page_b.path + "@@edit",
        {"csrf_token": token(app), "title": "Trang B đã sửa", "description": "", "save": "save"},
        status=403,
    )
    db.expire_all()
    assert db.get(Node, page_b.id).title == "Trang B"

    # Revoked through @@sharing, the role is gone.
    app = as_user("admin")
    sharing = app.get(a.path + "@@sharing")
    form = next(
        f
        for f in sharing.forms.values()
        if f.action.endswith("@@sharing-remove") and f["principal"].value == nobody.principal
    )
    assert form["role"].value == "Editor"
    assert form.submit().status_int == 302
    app = as_user("nobody")
    app.get(page_a.path + "@@edit", status=403)
    app.get(private_a.path, status=404)


# --- Publication dates ------------------------------------------------------------------------


def _nav(html: str) -> str:
    match = re.search(r'<nav class="main-nav".*?</nav>', html, re.S)
    assert match, "no main navigation"
    return match.group(0)


def _listing(html: str) -> str:
    match = re.search(r'<main id="noi-dung".*?</main>', html, re.S)
    assert match, "no main content"
    return match.group(0)


@pytest.fixture
def dated(make):
    now = dt.datetime.now(dt.UTC)
    past, future = now - dt.timedelta(days=1), now + dt.timedelta(days=1)
    folder = make("folder", title="Tin tức", state="published")
    items = {
        "live": make("page", folder, "Tin đang hiển thị", state="published"),
        "expired": make(
            "page",
            folder,
            "Tin đã hết hạn",
            state="published",
            effective=now - dt.timedelta(days=9),
            expires=past,
        ),
        "future": make("page", folder, "Tin chưa đến ngày", state="published", effective=future),
        "nav_live": make("folder", None, "Mục đang mở", state="published"),
        "nav_expired": make("folder", None, "Mục đã đóng", state="published", expires=past),
        "nav_future": make("folder", None, "Mục sắp mở", state="published", effective=future),
    }
    return folder, items


HIDDEN = ("expired", "future")


@pytest.mark.parametrize("user", ["anonymous", "nobody", "contributor"])
def test_expired_and_future_items_are_hidden(as_user, dated, user):
    folder, items = dated
    app = as_user(user)
    for key in ("expired", "future", "nav_expired", "nav_future"):
        res = app.get(items[key].path, status=404)
        assert items[key].title not in res.text
    listing = _listing(app.get(folder.path).text)
    assert items["live"].title in listing
    for key in HIDDEN:
        assert items[key].title not in listing, key
    for page in ("/", folder.path, items["live"].path):
        nav = _nav(app.get(page).text)
        assert items["nav_live"].title in nav
        assert items["nav_expired"].title not in nav
        assert items["nav_future"].title not in nav
    home = app.get("/").text
    assert "Mục đã đóng" not in home and "Mục sắp mở" not in home


@pytest.mark.parametrize("user", ["editor", "admin", "reader"])
def test_expired_and_future_items_are_visible_to_editors(as_user, dated, user):
    folder, items = dated
    app = as_user(user)
    for key in ("expired", "future", "nav_expired", "nav_future"):
        assert items[key].title in app.get(items[key].path).text
    listing = _listing(app.get(folder.path).text)
    for key in ("live", *HIDDEN):
        assert items[key].title in listing, key
    nav = _nav(app.get("/").text)
    for key in ("nav_live", "nav_expired", "nav_future"):
        assert items[key].title in nav, key


def test_live_page_inside_an_expired_folder_is_hidden(as_user, make):
    past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    closed = make("folder", None, "Chuyên mục đã đóng", state="published", expires=past)
    inner = make("page", closed, "Bài bên trong", state="published")
    private_parent = make("folder", None, "Chuyên mục nháp")
    inner2 = make("page", private_parent, "Bài trong nháp", state="published")
    app = as_user("anonymous")
    for node in (closed, inner, private_parent, inner2):
        app.get(node.path, status=404)
    app = as_user("editor")
    for node in (closed, inner, private_parent, inner2):
        assert node.title in app.get(node.path).text
