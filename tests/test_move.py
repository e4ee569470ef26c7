"""@@move: an editor moves a folder with its children; URLs follow."""

from tests.conftest import login


def test_move_folder_with_children(app, make):
    a = make("folder", title="Chuyên mục A", state="published")
    b = make("folder", title="Chuyên mục B", state="published")
    make("page", a, title="Bài một", state="published")
    login(app, "editor")
    form = app.get("/chuyen-muc-a/@@move").forms["deform"]
    form["target"] = str(b.id)
    res = form.submit("save")
    assert res.status_int == 302
    assert res.location.endswith("/chuyen-muc-b/chuyen-muc-a/")
    app.get("/chuyen-muc-b/chuyen-muc-a/bai-mot/", status=200)
    app.get("/chuyen-muc-a/bai-mot/", status=404)


def test_move_refuses_target_inside_itself_and_unknown_ids(app, make):
    a = make("folder", title="Cha", state="published")
    child = make("folder", a, title="Con", state="published")
    login(app, "editor")
    page = app.get("/cha/@@move")
    assert f'value="{child.id}"' not in page.text  # not offered
    form = page.forms["deform"]
    form["target"].force_value(str(child.id))
    res = form.submit("save", status=400)
    assert "Giá trị không hợp lệ" in res.text or "không nằm trong" in res.text
    app.get("/cha/con/", status=200)


def test_move_needs_permission(app, make):
    make("folder", title="Riêng", state="published")
    login(app, "contributor")
    app.get("/rieng/@@move", status=403)


def test_section_editor_cannot_remove_the_section_itself(app, make, db):
    from portal.models import LocalRole, User

    section = make("folder", title="Xã Tân An", state="published")
    make("page", section, title="Tin xã", state="published")
    nobody = db.query(User).filter_by(login="nobody").one()
    db.add(LocalRole(node_id=section.id, principal=nobody.principal, role="Editor"))
    db.commit()
    login(app, "nobody")
    app.get("/xa-tan-an/@@delete", status=403)
    app.get("/xa-tan-an/@@move", status=403)
    confirm = app.get("/xa-tan-an/tin-xa/@@delete")
    form = next(f for f in confirm.forms.values() if f.action.endswith("@@delete"))
    assert form.submit().status_int == 302
    app.get("/xa-tan-an/tin-xa/", status=404)


def test_explicit_name_longer_than_slugs_is_a_field_error(app, make):
    make("folder", title="Mục", state="published")
    login(app, "editor")
    form = app.get("/muc/@@add?type=page").forms["deform"]
    form["title"] = "Trang"
    form["name"] = "a" * 81
    res = form.submit("save", status=400)
    assert "tối đa 80 ký tự" in res.text
