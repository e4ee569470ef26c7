"""Regressions found in review: removal and moves must not reach past the user's rights."""

from sqlalchemy import select

from portal.models import LocalRole, Node, User
from tests.conftest import csrf_from, login


def test_owner_of_a_folder_cannot_delete_others_published_pages_inside(app, make, db):
    folder = make("folder", title="Của tôi", state="private", owner="contributor")
    page = make("page", folder, title="Bài của biên tập", state="published", owner="editor")
    login(app, "contributor")
    app.get("/cua-toi/bai-cua-bien-tap/@@delete", status=403)
    token = csrf_from(app.get("/dang-xuat"))
    app.post("/cua-toi/@@delete", {"csrf_token": token}, status=403)
    app.get("/cua-toi/@@move", status=403)
    db.expire_all()
    assert db.get(Node, page.id) is not None


def test_owner_can_still_delete_a_folder_holding_only_their_own_drafts(app, make, db):
    folder = make("folder", title="Nháp", state="private", owner="contributor")
    make("page", folder, title="Nháp một", state="private", owner="contributor")
    login(app, "contributor")
    token = csrf_from(app.get("/nhap/@@delete"))
    assert app.post("/nhap/@@delete", {"csrf_token": token}).status_int == 302


def test_local_roles_do_not_travel_to_where_the_mover_cannot_grant_them(app, make, db):
    a = make("folder", title="A", state="published")
    b = make("folder", title="B", state="published")
    x = make("folder", a, title="X", state="published")
    nobody = db.scalar(select(User).where(User.login == "nobody"))
    db.add(LocalRole(node_id=a.id, principal=nobody.principal, role="Editor"))
    db.add(LocalRole(node_id=b.id, principal=nobody.principal, role="Contributor"))
    db.add(LocalRole(node_id=x.id, principal=nobody.principal, role="Editor"))
    db.commit()
    login(app, "nobody")
    form = app.get("/a/x/@@move").forms["deform"]
    form["target"] = str(b.id)
    res = form.submit("save", status=403)
    assert "vai trò được cấp riêng" in res.text
    app.get("/b/x/", status=404)
    app.get("/a/x/", status=200)


def test_urls_that_are_not_utf8_are_a_400_not_a_crash(app):
    for url in ("/%ff/", "/?a=%ff", "/gioi-thieu/?trang=%c3%28"):
        res = app.get(url, status=400)
        assert "Yêu cầu không hợp lệ" in res.text


def test_odd_input_is_refused_with_messages_not_500(app, make):
    make("folder", title="Mục", state="published")
    login(app, "editor")
    form = app.get("/muc/@@add?type=page").forms["deform"]
    form["title"] = "Ngày\x00 lạ"
    form["effective"] = "0001-01-01T00:00"
    res = form.submit("save", status=400)
    assert "1900" in res.text
    form = res.forms["deform"]
    form["effective"] = ""
    form["name"] = "lien-he--"
    assert form.submit("save", status=400)
    form["name"] = ""
    res = form.submit("save", status=302)
    assert "\x00" not in app.get(res.location).text

    token = csrf_from(app.get("/dang-xuat"))
    app.post("/muc/@@move-item", {"csrf_token": token, "id": "9" * 30, "direction": "up"}, status=400)


def test_tree_depth_is_bounded_with_a_message(app, make):
    from portal import tree

    parent = None
    for i in range(tree.MAX_DEPTH - 1):
        parent = make("folder", parent, title=f"c{i}", state="published")
    login(app, "editor")
    url = "/" + "".join(f"c{i}/" for i in range(tree.MAX_DEPTH - 1))
    form = app.get(url + "@@add?type=folder").forms["deform"]
    form["title"] = "Tầng cuối"
    assert form.submit("save").status_int == 302
    form = app.get(url + "tang-cuoi/@@add?type=page").forms["deform"]
    form["title"] = "Quá sâu"
    res = form.submit("save", status=400)
    assert "quá sâu" in res.text
    assert res.forms["deform"]["title"].value == "Quá sâu"


def test_a_database_never_initialised_gives_a_maintenance_page(tmp_path):
    import logging

    import webtest

    from portal import main

    logging.disable(logging.CRITICAL)
    try:
        app = webtest.TestApp(main({}, **{"portal.data_dir": str(tmp_path)}))
        for url in ("/", "/gioi-thieu/", "/dang-nhap"):
            res = app.get(url, status=503)
            assert "Hệ thống đang bảo trì" in res.text
            assert "Traceback" not in res.text and "sqlite" not in res.text.lower()
    finally:
        logging.disable(logging.NOTSET)


def test_requests_never_touch_a_session_outside_them(app, db, make):
    """Each request has its own transaction manager: a script's or a test's session is
    neither joined nor closed by it (with the thread-local manager it was)."""
    from sqlalchemy import inspect

    folder = make("folder", title="Ngoài", state="published")
    app.get("/ngoai/", status=200)
    app.get("/khong-co/", status=404)
    assert not inspect(folder).detached
    folder.title = "Đã đổi"
    db.commit()
    assert "Đã đổi" in app.get("/ngoai/").text
