"""Adding, editing, ordering and deleting content through the full WSGI stack."""

from __future__ import annotations

import re
import unicodedata

import pytest
from sqlalchemy import func, select

from portal.models import Node
from tests.conftest import ADDABLE_IN_FOLDER, csrf_from

FORBIDDEN = "Không có quyền truy cập"
CSRF_PAGE = "Phiên làm việc đã hết hạn"
CSRF_FORM_MESSAGE = "Phiên làm việc đã hết hạn. Thông tin bạn nhập vẫn được giữ, hãy gửi lại."


def token(app) -> str:
    return csrf_from(app.get("/dang-xuat"))


def field_error(res, name: str) -> str | None:
    """The error message deform shows under field ``name`` (None: no error)."""
    item = re.search(
        rf'<div\s+class="[^"]*\bitem-{re.escape(name)}\b[^"]*"[^>]*\bid="item-([\w-]+)"', res.text
    )
    assert item, f"no field {name} in the form"
    error = re.search(rf'id="error-{item.group(1)}">([^<]*)<', res.text)
    return error.group(1).strip() if error else None


def count_children(db, parent) -> int:
    return db.scalar(select(func.count()).select_from(Node).where(Node.parent_id == parent.id))


@pytest.fixture
def folder(make):
    return make("folder", title="Thư mục", state="published")


@pytest.fixture
def admin(as_user):
    return as_user("admin")


def add_form(app, container_path: str, type_name: str = "page"):
    return app.get(f"{container_path}@@add?type={type_name}").forms["deform"]


# --- Add restrictions, on the server -------------------------------------------------------


@pytest.mark.parametrize(
    "where, type_name",
    [
        ("page", "folder"),  # a page is no container
        ("page", "page"),
        ("folder", "khong-co-loai-nay"),  # unknown type
        ("folder", ""),
        ("folder", "site"),  # the site root type is never added
        ("folder", "node"),
    ],
)
def test_add_restrictions_are_enforced_on_post(admin, make, db, folder, where, type_name):
    page = make("page", folder, "Một trang", state="published")
    context = page if where == "page" else folder
    url = f"{context.path}@@add?type={type_name}"
    admin.get(url, status=403)
    before = db.scalar(select(func.count()).select_from(Node))
    res = admin.post(
        url,
        {"csrf_token": token(admin), "title": "Không được thêm", "description": "", "save": "save"},
        status=403,
    )
    assert "Không được thêm loại nội dung này vào đây." in res.text
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Node)) == before


def test_add_menu_offers_only_allowed_types(admin, make, folder):
    page = make("page", folder, "Một trang", state="published")
    links = set(re.findall(r"@@add\?type=(\w+)", admin.get(folder.path).text))
    assert links == set(ADDABLE_IN_FOLDER)
    assert not re.findall(r"@@add\?type=", admin.get(page.path).text)


# --- Add form validation -------------------------------------------------------------------


def test_empty_title_is_a_field_error_and_keeps_the_rest(admin, db, folder):
    form = add_form(admin, folder.path)
    form["title"] = ""
    form["description"] = "Mô tả vẫn còn"
    form["body"] = "<p>Nội dung vẫn còn</p>"
    form["effective"] = "2030-01-02T08:30"
    res = form.submit("save", status=400)
    assert field_error(res, "title") == "Bắt buộc nhập"
    assert field_error(res, "description") is None
    again = res.forms["deform"]
    assert again["description"].value == "Mô tả vẫn còn"
    assert again["body"].value == "<p>Nội dung vẫn còn</p>"
    assert again["effective"].value == "2030-01-02T08:30"
    assert "Traceback" not in res.text
    assert count_children(db, folder) == 0

    # Fixing the title is enough: the rest was kept.
    again["title"] = "Đã có tiêu đề"
    assert again.submit("save").status_int == 302
    created = db.scalar(select(Node).where(Node.parent_id == folder.id))
    assert (created.title, created.description, created.body) == (
        "Đã có tiêu đề",
        "Mô tả vẫn còn",
        "<p>Nội dung vẫn còn</p>",
    )


def test_whitespace_title_is_required_too(admin, db, folder):
    form = add_form(admin, folder.path)
    form["title"] = "   "
    res = form.submit("save", status=400)
    assert field_error(res, "title") == "Bắt buộc nhập"
    assert count_children(db, folder) == 0


def test_overlong_title_is_a_vietnamese_field_error(admin, db, folder):
    form = add_form(admin, folder.path)
    form["title"] = "Đ" * 501
    res = form.submit("save", status=400)
    assert field_error(res, "title") == "Dài quá 500 ký tự"
    assert count_children(db, folder) == 0


def test_expires_before_effective_is_a_field_error(admin, db, folder):
    form = add_form(admin, folder.path)
    form["title"] = "Thông báo có thời hạn"
    form["effective"] = "2030-05-10T08:00"
    form["expires"] = "2030-05-01T08:00"
    res = form.submit("save", status=400)
    assert field_error(res, "expires") == "Ngày hết hạn phải sau ngày bắt đầu hiển thị."
    assert field_error(res, "effective") is None
    assert res.forms["deform"]["title"].value == "Thông báo có thời hạn"
    assert count_children(db, folder) == 0


def test_invalid_date_is_a_field_error(admin, db, folder):
    form = add_form(admin, folder.path)
    form["title"] = "Ngày sai"
    form["effective"] = "ngày mai"
    res = form.submit("save", status=400)
    assert field_error(res, "effective") == "Ngày giờ không hợp lệ (dd/mm/yyyy hh:mm)."
    assert count_children(db, folder) == 0


def test_dates_are_read_in_vietnam_time(admin, db, folder):
    form = add_form(admin, folder.path)
    form["title"] = "Có ngày"
    form["effective"] = "02/01/2030 08:30"
    assert form.submit("save").status_int == 302
    created = db.scalar(select(Node).where(Node.parent_id == folder.id))
    assert created.effective.isoformat() == "2030-01-02T01:30:00+00:00"


@pytest.mark.parametrize("csrf", ["missing", "wrong"])
def test_bad_csrf_on_add_keeps_what_was_typed(admin, db, folder, csrf):
    form = add_form(admin, folder.path)
    form["title"] = "Tiêu đề đã gõ"
    form["description"] = "Mô tả đã gõ"
    fields = [(k, v) for k, v in form.submit_fields("save") if k != "csrf_token"]
    if csrf == "wrong":
        fields.append(("csrf_token", "khong-dung"))
    res = admin.post(form.action, fields, status="*")
    assert res.status_int == 400
    assert CSRF_FORM_MESSAGE in res.text
    again = res.forms["deform"]
    assert again["title"].value == "Tiêu đề đã gõ"
    assert again["description"].value == "Mô tả đã gõ"
    assert count_children(db, folder) == 0
    # The re-rendered form carries a good token: sending it again works.
    assert again["csrf_token"].value == token(admin)
    res = again.submit("save")
    assert res.status_int == 302
    assert res.location == "http://localhost/thu-muc/tieu-de-da-go/"


# --- Names ---------------------------------------------------------------------------------


def test_vietnamese_title_gives_ascii_slug_and_unique_names(admin, db, folder):
    locations = []
    for _ in range(3):
        form = add_form(admin, folder.path)
        form["title"] = "Đường Đồng Khởi"
        res = form.submit("save", status=302)
        locations.append(res.location)
    assert locations == [
        "http://localhost/thu-muc/duong-dong-khoi/",
        "http://localhost/thu-muc/duong-dong-khoi-2/",
        "http://localhost/thu-muc/duong-dong-khoi-3/",
    ]
    for url in locations:
        assert "Đường Đồng Khởi" in admin.get(url).text


def test_explicit_taken_name_is_a_field_error_on_add(admin, make, db, folder):
    make("page", folder, "Giới thiệu")
    form = add_form(admin, folder.path)
    form["title"] = "Trang khác"
    form["name"] = "gioi-thieu"
    res = form.submit("save", status=400)
    assert field_error(res, "name") == "Tên này đã được dùng trong thư mục. Hãy chọn tên khác."
    assert count_children(db, folder) == 1


def test_reserved_name_on_the_site_root_is_a_field_error(admin, db, root):
    before = count_children(db, root)
    form = add_form(admin, "/")
    form["title"] = "Đăng nhập giả"
    form["name"] = "dang-nhap"
    res = form.submit("save", status=400)
    assert field_error(res, "name") == "Tên này đã được dùng trong thư mục. Hãy chọn tên khác."
    assert count_children(db, root) == before
    # Without an explicit name the generated one steers clear of the route.
    form = add_form(admin, "/")
    form["title"] = "Đăng nhập"
    assert form.submit("save").location == "http://localhost/dang-nhap-2/"


def test_invalid_explicit_name_is_a_field_error(admin, db, folder):
    form = add_form(admin, folder.path)
    form["title"] = "Tên sai"
    form["name"] = "Tên Có Dấu"
    res = form.submit("save", status=400)
    assert field_error(res, "name") == "Chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang."
    assert count_children(db, folder) == 0


def test_explicit_taken_name_is_a_field_error_on_edit(admin, make, db, folder):
    make("page", folder, "Trang một", state="published")
    two = make("page", folder, "Trang hai", state="published")
    form = admin.get(two.path + "@@edit").forms["deform"]
    assert form["name"].value == "trang-hai"
    form["title"] = "Trang hai đã sửa"
    form["name"] = "trang-mot"
    res = form.submit("save", status=400)
    assert field_error(res, "name") == "Tên này đã được dùng trong thư mục. Hãy chọn tên khác."
    assert res.forms["deform"]["title"].value == "Trang hai đã sửa"
    db.expire_all()
    unchanged = db.get(Node, two.id)
    assert (unchanged.name, unchanged.path, unchanged.title) == (
        "trang-hai",
        "/thu-muc/trang-hai/",
        "Trang hai",
    )


def test_editing_without_changing_the_name_keeps_the_url(admin, make, db, folder):
    page = make("page", folder, "Trang giữ tên", state="published")
    form = admin.get(page.path + "@@edit").forms["deform"]
    form["title"] = "Tiêu đề hoàn toàn mới"
    res = form.submit("save", status=302)
    assert res.location == "http://localhost/thu-muc/trang-giu-ten/"
    db.expire_all()
    assert db.get(Node, page.id).title == "Tiêu đề hoàn toàn mới"


def test_renaming_a_folder_moves_its_descendants(admin, as_user, make, db):
    old = make("folder", title="Phòng cũ", state="published")
    child = make("page", old, "Trang con", state="published")
    sub = make("folder", old, "Tiểu mục", state="published")
    grandchild = make("page", sub, "Trang cháu", state="published")
    assert grandchild.path == "/phong-cu/tieu-muc/trang-chau/"

    form = admin.get(old.path + "@@edit").forms["deform"]
    form["name"] = "phong-moi"
    res = form.submit("save", status=302)
    assert res.location == "http://localhost/phong-moi/"

    db.expire_all()
    paths = {
        n.id: n.path
        for n in db.scalars(select(Node).where(Node.id.in_([old.id, child.id, sub.id, grandchild.id])))
    }
    assert paths == {
        old.id: "/phong-moi/",
        child.id: "/phong-moi/trang-con/",
        sub.id: "/phong-moi/tieu-muc/",
        grandchild.id: "/phong-moi/tieu-muc/trang-chau/",
    }

    app = as_user("anonymous")
    app.get("/phong-cu/", status=404)
    app.get("/phong-cu/trang-con/", status=404)
    app.get("/phong-cu/tieu-muc/trang-chau/", status=404)
    assert "Trang con" in app.get("/phong-moi/trang-con/").text
    assert "Trang cháu" in app.get("/phong-moi/tieu-muc/trang-chau/").text
    listing = app.get("/phong-moi/").text
    assert 'href="http://localhost/phong-moi/trang-con/"' in listing


# --- Text on the way in ---------------------------------------------------------------------


def test_nfd_title_is_stored_nfc(admin, db, folder):
    nfc_title = "Phường Bến Nghé tiếp dân"
    nfd_title = unicodedata.normalize("NFD", nfc_title)
    assert nfd_title != nfc_title
    form = add_form(admin, folder.path)
    form["title"] = nfd_title
    form["description"] = unicodedata.normalize("NFD", "Lịch tiếp công dân")
    res = form.submit("save", status=302)
    assert res.location == "http://localhost/thu-muc/phuong-ben-nghe-tiep-dan/"
    created = db.scalar(select(Node).where(Node.parent_id == folder.id))
    assert created.title == nfc_title
    assert unicodedata.is_normalized("NFC", created.title)
    assert created.description == "Lịch tiếp công dân"
    # Found by the NFC spelling in the database.
    assert db.scalar(select(Node.id).where(Node.title == nfc_title)) == created.id


def test_rich_text_body_is_sanitised(admin, as_user, db, folder):
    form = add_form(admin, folder.path)
    form["title"] = "Trang có mã độc"
    form["body"] = (
        "<p>Xin chào <strong>bà con</strong></p>"
        "<script>alert('x')</script>"
        '<img src="/static/anh.png" alt="Ảnh" onerror="alert(2)">'
        '<a href="javascript:alert(3)" onclick="alert(4)">bấm vào đây</a>'
        '<a href="https://dichvucong.gov.vn/">Dịch vụ công</a>'
        '<p style="color:red" onmouseover="alert(5)">Đoạn</p>'
        "<iframe src='https://evil.example'></iframe>"
    )
    url = form.submit("save", status=302).location
    body = db.scalar(select(Node).where(Node.parent_id == folder.id)).body
    lowered = body.lower()
    for bad in (
        "<script",
        "alert('x')",
        "onerror",
        "onclick",
        "onmouseover",
        "javascript:",
        "<iframe",
        "style=",
    ):
        assert bad not in lowered, bad
    assert "<p>Xin chào <strong>bà con</strong></p>" in body
    assert 'src="/static/anh.png"' in body and 'alt="Ảnh"' in body
    assert "bấm vào đây" in body
    assert 'href="https://dichvucong.gov.vn/"' in body
    assert "<p>Đoạn</p>" in body

    page = admin.get(url).text.lower()
    assert "<script>alert" not in page and "onerror" not in page and "javascript:" not in page


def test_description_is_escaped_on_display(admin, db, folder):
    form = add_form(admin, folder.path)
    form["title"] = "Mô tả có thẻ"
    form["description"] = "<script>alert(1)</script>"
    url = form.submit("save", status=302).location
    text = admin.get(url).text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_markup_in_a_title_is_escaped_everywhere(admin, make, db, folder):
    evil = '<img src=x onerror="alert(1)">'
    top = make("folder", None, evil, state="published")
    form = add_form(admin, folder.path)
    form["title"] = evil
    res = form.submit("save", status=302)
    url = res.location
    db.expire_all()
    assert db.scalar(select(Node.title).where(Node.parent_id == folder.id)) == evil  # stored as typed
    pages = [
        res.follow(),  # the flash message
        admin.get(url),
        admin.get(folder.path),
        admin.get(folder.path + "@@contents"),
        admin.get(url + "@@edit"),
        admin.get(url + "@@workflow"),
        admin.get(url + "@@history"),
        admin.get(url + "@@sharing"),
        admin.get(url + "@@delete"),
        admin.get("/"),  # navigation and home listing
        admin.get(top.path),
    ]
    for page in pages:
        assert "<img src=x" not in page.text, page.request.path_qs
    assert "&lt;img src=x" in pages[1].text


# --- @@contents and ordering ----------------------------------------------------------------


@pytest.fixture
def three(make, folder):
    return [
        make("page", folder, "Bài An", state="published"),
        make("page", folder, "Bài Bình", state="private"),
        make("page", folder, "Bài Cường", state="pending"),
    ]


def listed_titles(res) -> list[str]:
    return re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>', res.text)


def ordered_ids(db, folder) -> list[int]:
    db.expire_all()
    return list(
        db.scalars(select(Node.id).where(Node.parent_id == folder.id).order_by(Node.position, Node.id))
    )


def test_contents_lists_children_with_their_state(admin, folder, three):
    res = admin.get(folder.path + "@@contents")
    assert listed_titles(res) == ["Bài An", "Bài Bình", "Bài Cường"]
    rows = re.findall(r"<tr>(.*?)</tr>", res.text, re.S)[1:]
    states = [re.search(r'class="state state-(\w+)">([^<]+)<', row).groups() for row in rows]
    assert states == [
        ("published", "Đã xuất bản"),
        ("private", "Riêng tư"),
        ("pending", "Chờ duyệt"),
    ]


def test_contents_of_an_empty_folder_and_of_a_page(admin, make, folder):
    assert "Thư mục này chưa có nội dung." in admin.get(folder.path + "@@contents").text
    page = make("page", folder, "Không phải thư mục")
    admin.get(page.path + "@@contents", status=404)


def test_move_item_up_and_down(admin, db, folder, three):
    a, b, c = (n.id for n in three)
    assert ordered_ids(db, folder) == [a, b, c]

    csrf = token(admin)
    res = admin.post(folder.path + "@@move-item", {"csrf_token": csrf, "id": str(c), "direction": "up"})
    assert res.status_int == 302
    assert res.location == "http://localhost/thu-muc/@@contents"
    assert ordered_ids(db, folder) == [a, c, b]
    assert listed_titles(res.follow()) == ["Bài An", "Bài Cường", "Bài Bình"]

    admin.post(
        folder.path + "@@move-item", {"csrf_token": csrf, "id": str(a), "direction": "down"}, status=302
    )
    assert ordered_ids(db, folder) == [c, a, b]

    # At the ends, nothing moves.
    admin.post(folder.path + "@@move-item", {"csrf_token": csrf, "id": str(c), "direction": "up"}, status=302)
    admin.post(
        folder.path + "@@move-item", {"csrf_token": csrf, "id": str(b), "direction": "down"}, status=302
    )
    assert ordered_ids(db, folder) == [c, a, b]

    # The public listing follows the new order.
    public = admin.get(folder.path).text
    assert public.index("Bài Cường") < public.index("Bài An") < public.index("Bài Bình")


def test_move_item_through_the_contents_form(admin, db, folder, three):
    a, b, c = (n.id for n in three)
    res = admin.get(folder.path + "@@contents")
    forms = [f for f in res.forms.values() if f.action.endswith("@@move-item")]
    form = next(f for f in forms if f["id"].value == str(b))
    res = form.submit("direction", value="up")
    assert res.status_int == 302
    assert ordered_ids(db, folder) == [b, a, c]


def test_move_item_without_csrf_is_a_themed_400(admin, db, folder, three):
    before = ordered_ids(db, folder)
    res = admin.post(folder.path + "@@move-item", {"id": str(three[2].id), "direction": "up"}, status=400)
    assert CSRF_PAGE in res.text
    assert 'lang="vi"' in res.text and "Traceback" not in res.text
    res = admin.post(
        folder.path + "@@move-item",
        {"csrf_token": "sai", "id": str(three[2].id), "direction": "up"},
        status=400,
    )
    assert CSRF_PAGE in res.text
    assert ordered_ids(db, folder) == before


def test_move_item_bad_input(admin, as_user, make, db, folder, three):
    csrf = token(admin)
    url = folder.path + "@@move-item"
    res = admin.post(url, {"csrf_token": csrf, "id": str(three[0].id), "direction": "sang-trai"}, status=400)
    assert "Hướng không hợp lệ." in res.text
    admin.post(url, {"csrf_token": csrf, "id": "abc", "direction": "up"}, status=400)
    other = make("page", None, "Trang ở chỗ khác", state="published")
    admin.post(url, {"csrf_token": csrf, "id": str(other.id), "direction": "up"}, status=404)
    reader = as_user("reader")
    reader.post(url, {"csrf_token": token(reader), "id": str(three[2].id), "direction": "up"}, status=403)
    assert ordered_ids(db, folder) == [n.id for n in three]


# --- Delete ---------------------------------------------------------------------------------


@pytest.fixture
def doomed(make, folder):
    target = make("folder", folder, "Mục sẽ xóa", state="published")
    child = make("page", target, "Trang con sẽ xóa", state="published")
    sub = make("folder", target, "Thư mục con", state="private")
    grandchild = make("page", sub, "Trang cháu sẽ xóa", state="published")
    sibling = make("page", folder, "Trang ở lại", state="published")
    return target, [child, sub, grandchild], sibling


def test_delete_asks_for_confirmation_first(admin, db, doomed):
    target, descendants, _sibling = doomed
    res = admin.get(target.path + "@@delete")
    assert res.status_int == 200
    assert "Xóa “Mục sẽ xóa”?" in res.text
    assert "tất cả sẽ bị xóa cùng" in res.text
    form = next(f for f in res.forms.values() if f.action.endswith("@@delete"))
    assert form.method.lower() == "post"
    assert form["csrf_token"].value == token(admin)
    db.expire_all()
    assert db.get(Node, target.id) is not None  # a GET deletes nothing

    leaf = admin.get(descendants[0].path + "@@delete")
    assert "tất cả sẽ bị xóa cùng" not in leaf.text


def test_delete_removes_the_item_and_its_descendants(admin, as_user, db, folder, doomed):
    target, descendants, sibling = doomed
    ids = [target.id] + [n.id for n in descendants]
    paths = [target.path] + [n.path for n in descendants]
    form = next(
        f for f in admin.get(target.path + "@@delete").forms.values() if f.action.endswith("@@delete")
    )
    res = form.submit()
    assert res.status_int == 302
    assert res.location == "http://localhost/thu-muc/@@contents"
    assert "Đã xóa “Mục sẽ xóa”." in res.follow().text

    db.expire_all()
    assert db.scalars(select(Node.id).where(Node.id.in_(ids))).all() == []
    assert db.scalar(select(Node.id).where(Node.path.startswith(paths[0]))) is None
    assert db.get(Node, sibling.id) is not None
    for path in paths:
        admin.get(path, status=404)
    assert "Trang ở lại" in as_user("anonymous").get(folder.path).text


def test_delete_without_csrf_is_a_themed_400(admin, db, doomed):
    target, descendants, _sibling = doomed
    res = admin.post(target.path + "@@delete", {}, status=400)
    assert CSRF_PAGE in res.text and "Traceback" not in res.text
    admin.post(target.path + "@@delete", {"csrf_token": "sai"}, status=400)
    db.expire_all()
    assert db.get(Node, target.id) is not None
    assert all(db.get(Node, n.id) is not None for n in descendants)


def test_delete_needs_permission(as_user, db, doomed, root):
    target, _descendants, _sibling = doomed
    for user in ("reader", "contributor", "reviewer"):
        app = as_user(user)
        app.get(target.path + "@@delete", status=403)
        app.post(target.path + "@@delete", {"csrf_token": token(app)}, status=403)
    app = as_user("admin")
    res = app.post("/@@delete", {"csrf_token": token(app)}, status=403)
    assert "Không thể xóa trang gốc." in res.text
    db.expire_all()
    assert db.get(Node, target.id) is not None
    assert db.get(Node, root.id) is not None


def test_contents_names_each_childs_type_and_state(admin, make, folder):
    make("link", folder, "Cổng dịch vụ", state="published", url="https://dichvucong.gov.vn")
    make("page", folder, "Bản nháp", state="private")
    rows = admin.get(folder.path + "@@contents").html.select("table.contents tbody tr")
    cells = {r.select("td")[0].text.strip(): (r.select("td")[1].text, r.select("td")[2].text.strip())
             for r in rows}  # fmt: skip
    assert cells["Cổng dịch vụ"] == ("Liên kết", "Đã xuất bản")
    assert cells["Bản nháp"] == ("Trang", "Riêng tư")


def test_a_folder_titled_like_a_citizen_service_page_does_not_hide_it(admin, db, root):
    # "/khao-sat" is the survey's fixed route: a root folder of that name would never show.
    form = add_form(admin, "/")
    form["title"] = "Khảo sát"
    assert form.submit("save").location == "http://localhost/khao-sat-2/"
    assert "/khao-sat/ket-qua" in admin.get("/khao-sat").text
