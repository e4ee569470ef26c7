"""Writes through the JSON API: create, update (If-Match), delete, workflow, uploads."""

from __future__ import annotations

import io
import unicodedata

import pytest
from sqlalchemy import select

from portal.api.serialize import etag_base
from portal.models import Node, User, WorkflowHistory

from .conftest import csrf_from
from .openapi_check import check

ITEM = "/api/v1/content/{path}"
FOLDER = "/api/v1/content/tin-tuc/"


@pytest.fixture
def folder(make):
    return make("folder", title="Tin tức", state="published")


def test_create_a_page_as_editor(app, folder, auth, doc, db):
    res = app.post_json(
        FOLDER, {"type": "page", "title": "Lịch tiếp dân"}, headers=auth("editor"), status=201
    )
    check(doc, ITEM, "post", res)
    assert res.headers["Location"] == "http://localhost/api/v1/content/tin-tuc/lich-tiep-dan/"
    assert res.json["state"] == "private" and res.json["path"] == "/tin-tuc/lich-tiep-dan/"
    # The tag a write returns is the one If-Match wants; a GET's adds what else its
    # answer depends on (caller, language, site generation), after the same version.
    fetched = app.get(res.headers["Location"], headers=auth("editor")).headers["ETag"]
    assert etag_base(res.headers["ETag"]) == etag_base(fetched)
    node = db.scalar(select(Node).where(Node.path == "/tin-tuc/lich-tiep-dan/"))
    assert node.owner_id == db.scalar(select(User.id).where(User.login == "editor"))


def test_create_normalises_and_sanitises_like_the_forms(app, folder, auth):
    decomposed = unicodedata.normalize("NFD", "Thông báo mới")
    res = app.post_json(
        FOLDER,
        {
            "type": "page",
            "title": decomposed,
            "name": "thong-bao",
            "body": '<p onclick="x()">Chào<script>alert(1)</script></p>',
            "effective": "2026-05-01T09:00:00+07:00",
        },
        headers=auth("editor"),
        status=201,
    )
    data = res.json
    assert data["title"] == unicodedata.normalize("NFC", "Thông báo mới")
    assert data["name"] == "thong-bao"
    assert "script" not in data["fields"]["body"] and "onclick" not in data["fields"]["body"]
    assert data["effective"] == "2026-05-01T09:00:00+07:00"


def test_create_refusals(app, folder, auth, doc):
    editor = auth("editor")
    # Anonymous: 401; a reader: 403; a nobody cannot even see a private folder.
    res = app.post_json(FOLDER, {"type": "page", "title": "X"}, status=401)
    assert res.json["error"] == "unauthorized"
    res = app.post_json(FOLDER, {"type": "page", "title": "X"}, headers=auth("reader"), status=403)
    assert res.json["error"] == "forbidden"
    # Unknown type, a type that cannot go here, a non-container.
    res = app.post_json(FOLDER, {"type": "khong-co", "title": "X"}, headers=editor, status=422)
    assert res.json["fields"] == {"type": "Loại nội dung không tồn tại."}
    res = app.post_json(FOLDER, {"type": "site", "title": "X"}, headers=editor, status=422)
    assert res.json["error"] == "not_addable"
    app.post_json(FOLDER, {"type": "page", "title": "Trang"}, headers=editor, status=201)
    res = app.post_json(FOLDER + "trang/", {"type": "page", "title": "X"}, headers=editor, status=422)
    assert res.json["error"] == "not_addable"
    # Invalid fields: Vietnamese messages per field.
    res = app.post_json(
        FOLDER,
        {"type": "link", "title": "", "url": "khong phai url", "effective": "hôm qua"},
        headers=editor,
        status=422,
    )
    fields = res.json["fields"]
    assert fields["title"] == "Bắt buộc nhập"
    check(doc, ITEM, "post", res)
    assert fields["effective"] == "Ngày giờ không hợp lệ (dd/mm/yyyy hh:mm)."
    assert "url" in fields
    res = app.post_json(FOLDER, {"type": "page", "title": "X", "mau": 1}, headers=editor, status=422)
    assert res.json["fields"] == {"mau": "Trường này không có ở loại nội dung này."}
    res = app.post_json(
        FOLDER,
        {"type": "page", "title": "X", "effective": "2026-05-01T09:00", "expires": "2026-04-01T09:00"},
        headers=editor,
        status=422,
    )
    assert res.json["fields"] == {"expires": "Ngày hết hạn phải sau ngày bắt đầu hiển thị."}
    # Name clash: 409.
    res = app.post_json(FOLDER, {"type": "page", "title": "Y", "name": "trang"}, headers=editor, status=409)
    assert res.json["error"] == "name_conflict" and "name" in res.json["fields"]


def test_bad_bodies(app, folder, auth):
    editor = auth("editor")
    res = app.post(
        FOLDER, "{không phải json", headers={**editor, "Content-Type": "application/json"}, status=400
    )
    assert res.json["error"] == "bad_json"
    res = app.post(FOLDER, "[1, 2]", headers={**editor, "Content-Type": "application/json"}, status=400)
    assert res.json["error"] == "bad_json"
    res = app.post(FOLDER, "title=X", headers={**editor, "Content-Type": "text/plain"}, status=415)
    assert res.json["error"] == "unsupported_media_type"
    huge = '{"type": "page", "title": "' + "a" * (1024 * 1024 + 10) + '"}'
    res = app.post(FOLDER, huge, headers={**editor, "Content-Type": "application/json"}, status=413)
    assert res.json["error"] == "too_large"


def test_cookie_writes_need_the_csrf_header_bearer_writes_do_not(app, folder, as_user, auth):
    as_user("editor")
    res = app.post_json(FOLDER, {"type": "page", "title": "Không token"}, status=403)
    assert res.json["error"] == "csrf"
    token = csrf_from(app.get("/tai-khoan/token"))
    res = app.post_json(
        FOLDER, {"type": "page", "title": "Có token"}, headers={"X-CSRF-Token": token}, status=201
    )
    assert res.json["title"] == "Có token"
    app.reset()
    app.post_json(FOLDER, {"type": "page", "title": "Bằng mã"}, headers=auth("editor"), status=201)


def test_patch_needs_if_match_and_refuses_stale_versions(app, folder, auth, doc):
    editor = auth("editor")
    created = app.post_json(
        FOLDER, {"type": "news", "title": "Tin", "lead": "Cũ"}, headers=editor, status=201
    )
    url, tag = created.headers["Location"], created.headers["ETag"]
    res = app.patch_json(url, {"lead": "Mới"}, headers=editor, status=428)
    assert res.json["error"] == "precondition_required"
    check(doc, ITEM, "patch", res)
    first = app.patch_json(url, {"lead": "Mới", "categories": "Thời sự"}, headers={**editor, "If-Match": tag})
    check(doc, ITEM, "patch", first)
    assert first.json["fields"]["lead"] == "Mới" and first.json["fields"]["categories"] == "Thời sự"
    assert first.json["title"] == "Tin"  # what was not sent stays
    assert first.headers["ETag"] != tag
    # A second client still holding the old version is refused, not silently applied.
    res = app.patch_json(url, {"lead": "Ghi đè"}, headers={**editor, "If-Match": tag}, status=409)
    assert res.json["error"] == "conflict" and res.headers["ETag"] == first.headers["ETag"]
    check(doc, ITEM, "patch", res)
    assert app.get(url, headers=editor).json["fields"]["lead"] == "Mới"
    # Invalid values are a 422 like on POST.
    res = app.patch_json(
        url, {"title": ""}, headers={**editor, "If-Match": first.headers["ETag"]}, status=422
    )
    assert res.json["fields"] == {"title": "Bắt buộc nhập"}
    check(doc, ITEM, "patch", res)
    res = app.patch_json(
        url, {"type": "page"}, headers={**editor, "If-Match": first.headers["ETag"]}, status=422
    )
    assert res.json["fields"] == {"type": "Không thể đổi loại nội dung."}


def test_patch_permissions_and_rename(app, folder, make, auth):
    page = make("page", folder, "Trang", state="published")
    make("page", folder, "Khác", state="published")
    url = "/api/v1/content/tin-tuc/trang/"
    tag = app.get(url).headers["ETag"]
    app.patch_json(url, {"title": "X"}, headers={"If-Match": tag}, status=401)
    app.patch_json(url, {"title": "X"}, headers=auth("reader", **{"If-Match": tag}), status=403)
    # A contributor may not edit a published page of someone else.
    app.patch_json(url, {"title": "X"}, headers=auth("contributor", **{"If-Match": tag}), status=403)
    res = app.patch_json(url, {"name": "khac"}, headers=auth("editor", **{"If-Match": tag}), status=409)
    assert res.json["error"] == "name_conflict"
    res = app.patch_json(url, {"name": "moi"}, headers=auth("editor", **{"If-Match": tag}))
    assert res.json["path"] == "/tin-tuc/moi/" and res.json["id"] == page.id


def test_delete_follows_the_ui_rules(app, folder, make, auth):
    mine = make("folder", folder, "Của tôi", owner="contributor")
    make("page", mine, "Của người khác", owner="editor")
    make("page", folder, "Trang", state="published")
    app.delete("/api/v1/content/tin-tuc/trang/", status=401)
    app.delete("/api/v1/content/tin-tuc/trang/", headers=auth("reader"), status=403)
    # Owning a folder does not make one the owner of what others put in it.
    app.delete("/api/v1/content/tin-tuc/cua-toi/", headers=auth("contributor"), status=403)
    app.delete("/api/v1/content/", headers=auth("admin"), status=403)
    res = app.delete("/api/v1/content/tin-tuc/cua-toi/", headers=auth("editor"), status=204)
    assert res.body == b""
    app.get("/api/v1/content/tin-tuc/cua-toi/", headers=auth("editor"), status=404)


def test_workflow_transitions_are_guarded_and_recorded(app, folder, auth, db, doc):
    contributor = auth("contributor")
    res = app.post_json(FOLDER, {"type": "page", "title": "Bài"}, headers=contributor, status=201)
    url = res.headers["Location"]
    app.post_json(url + "@workflow/submit", {"comment": "Nhờ duyệt"}, status=401)
    res = app.post_json(url + "@workflow/publish", {}, headers=contributor, status=403)
    assert res.json["error"] == "forbidden"
    res = app.post_json(url + "@workflow/submit", {"comment": "Nhờ duyệt"}, headers=contributor)
    check(doc, "/api/v1/content/{path}/@workflow/{transition}", "post", res)
    assert res.json["state"] == "pending"
    res = app.post_json(url + "@workflow/submit", {}, headers=contributor, status=409)
    assert res.json["error"] == "invalid_transition"
    app.post_json(url + "@workflow/khong-co", {}, headers=contributor, status=404)
    # No body at all is fine: the comment is optional.
    res = app.post(url + "@workflow/publish", headers=auth("reviewer"))
    assert res.json["state"] == "published"
    assert app.get(url).json["state"] == "published"  # anonymous sees it now
    history = db.scalars(
        select(WorkflowHistory).where(WorkflowHistory.node_id == res.json["id"]).order_by(WorkflowHistory.id)
    ).all()
    assert [(h.transition, h.comment, h.actor_name) for h in history] == [
        ("submit", "Nhờ duyệt", "Contributor"),
        ("publish", "", "Reviewer"),
    ]
    app.get(url + "@workflow/publish", headers=contributor, status=405)


# --- uploads ------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(width=40, height=30) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_upload_a_file_and_an_image(app, folder, auth, doc):
    editor = auth("editor")
    res = app.post(
        FOLDER,
        {"type": "file", "title": "Biểu mẫu"},
        upload_files=[("file", "bieu-mau.pdf", PDF)],
        headers=editor,
        status=201,
    )
    check(doc, ITEM, "post", res)
    info = res.json["files"]["file"]
    assert info["mime_type"] == "application/pdf" and info["size"] == len(PDF)
    assert info["url"] == "http://localhost/tin-tuc/bieu-mau/@@download"
    # Bearer tokens count under /api/ only: the private file's page is a 404 to them...
    app.get(info["url"], headers=editor, status=404)
    app.post(res.headers["Location"] + "@workflow/publish", headers=auth("admin"))
    # ... and once published, the absolute URL serves the bytes to anyone.
    assert app.get(info["url"]).body == PDF
    res = app.post(
        FOLDER,
        {"type": "image", "title": "Ảnh", "alt": "Ảnh đỏ"},
        upload_files=[("file", "anh.png", png_bytes())],
        headers=editor,
        status=201,
    )
    assert res.json["files"]["file"]["width"] == 40 and res.json["fields"]["alt"] == "Ảnh đỏ"
    # Adding a file needs one; a page takes none; text is not an allowed type.
    res = app.post_json(FOLDER, {"type": "file", "title": "Trống"}, headers=editor, status=422)
    assert res.json["error"] == "invalid"
    res = app.post(
        FOLDER,
        {"type": "page", "title": "T"},
        upload_files=[("file", "a.pdf", PDF)],
        headers=editor,
        status=422,
    )
    assert res.json["fields"] == {"file": "Loại nội dung này không nhận tệp."}
    res = app.post(
        FOLDER,
        {"type": "image", "title": "Giả"},
        upload_files=[("file", "anh.png", PDF)],
        headers=editor,
        status=422,
    )
    assert res.json["fields"]["upload"] == "Chỉ nhận ảnh JPEG, PNG, GIF hoặc WebP."


def test_news_lead_image_by_patch_and_size_limits(app, folder, auth, registry, monkeypatch):
    editor = auth("editor")
    created = app.post_json(FOLDER, {"type": "news", "title": "Tin ảnh"}, headers=editor, status=201)
    url = created.headers["Location"]
    res = app.patch(
        url,
        {"image_alt": "Mô tả", "featured": "true"},
        upload_files=[("file", "anh.png", png_bytes(64, 48))],
        headers={**editor, "If-Match": created.headers["ETag"]},
    )
    image = res.json["files"]["image"]
    assert (image["width"], image["height"]) == (64, 48) and res.json["fields"]["featured"] is True
    assert image["url"] == "http://localhost/tin-tuc/tin-anh/@@anh-dai-dien/goc"
    # Same limit as the forms: a file over it is refused by the schema (422)...
    monkeypatch.setitem(registry.settings, "portal.upload.max_bytes", "1000")
    res = app.post(
        FOLDER,
        {"type": "file", "title": "Lớn"},
        upload_files=[("file", "lon.pdf", PDF + b" " * 2000)],
        headers=editor,
        status=422,
    )
    assert res.json["fields"]["upload"].startswith("Tệp quá lớn")
    # ... and a body far over it is not read at all (413).
    res = app.post(
        FOLDER,
        {"type": "file", "title": "Rất lớn"},
        upload_files=[("file", "rat-lon.pdf", PDF + b" " * (2 * 1024 * 1024))],
        headers=editor,
        status=413,
    )
    assert res.json["error"] == "too_large"
