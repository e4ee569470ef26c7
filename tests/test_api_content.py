"""GET /api/v1/content/{path}, /api/v1/types, /api/v1/openapi.json and JSON errors."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.models import utcnow

from .conftest import SHIPPED_TYPES
from .openapi_check import check, errors

ITEM = "/api/v1/content/{path}"
ISO_VN = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+07:00$")


@pytest.fixture
def section(make):
    """A published folder holding items in every visibility situation."""
    folder = make("folder", title="Tin tức", state="published")
    now = utcnow()
    make("page", folder, "Công khai", state="published", body="<p>Nội dung</p>")
    make("page", folder, "Riêng tư", state="private")
    make("page", folder, "Chờ duyệt", state="pending")
    make("page", folder, "Hết hạn", state="published", expires=now - dt.timedelta(days=1))
    make("page", folder, "Tương lai", state="published", effective=now + dt.timedelta(days=1))
    hidden = make("folder", folder, "Thư mục riêng", state="private")
    make("page", hidden, "Con công khai", state="published")
    return folder


def test_anonymous_reads_a_public_folder_with_only_visible_children(app, section, doc):
    res = app.get("/api/v1/content/tin-tuc/")
    check(doc, ITEM, "get", res)
    data = res.json
    assert data["type"] == "folder" and data["path"] == "/tin-tuc/"
    assert data["url"] == "http://localhost/tin-tuc/"
    assert [c["title"] for c in data["children"]] == ["Công khai"]
    assert data["children"][0]["api_url"] == "http://localhost/api/v1/content/tin-tuc/cong-khai/"
    assert "transitions" not in data and "addable" not in data  # anonymous: nothing to do
    assert res.headers["ETag"].startswith('W/"')


@pytest.mark.parametrize(
    "path", ["rieng-tu", "cho-duyet", "het-han", "tuong-lai", "thu-muc-rieng", "thu-muc-rieng/con-cong-khai"]
)
def test_anonymous_gets_404_for_what_visitors_may_not_see(app, section, path):
    res = app.get(f"/api/v1/content/tin-tuc/{path}/", status=404)
    assert res.content_type == "application/json"
    assert res.json["error"] == "not_found"


def test_logged_in_callers_see_per_their_roles(app, section, auth, doc):
    editor = app.get("/api/v1/content/tin-tuc/", headers=auth("editor")).json
    assert "page" in editor["addable"] and "site" not in editor["addable"]
    assert app.get("/api/v1/content/tin-tuc/", headers=auth("reader")).json["addable"] == []
    titles = {c["title"] for c in editor["children"]}
    assert {"Riêng tư", "Chờ duyệt", "Hết hạn", "Tương lai", "Thư mục riêng"} <= titles
    res = app.get("/api/v1/content/tin-tuc/rieng-tu/", headers=auth("editor"))
    check(doc, ITEM, "get", res)
    assert res.json["state"] == "private" and "publish" not in res.json["transitions"]
    assert "submit" in res.json["transitions"]
    # A user without a role sees what anonymous visitors see.
    app.get("/api/v1/content/tin-tuc/rieng-tu/", headers=auth("nobody"), status=404)
    nobody = app.get("/api/v1/content/tin-tuc/", headers=auth("nobody")).json
    assert [c["title"] for c in nobody["children"]] == ["Công khai"]


def test_item_fields_dates_and_no_internal_columns(app, make, doc):
    effective = dt.datetime(2026, 3, 1, 1, 30, 15, tzinfo=dt.UTC)
    make(
        "news",
        title="Họp dân",
        state="published",
        lead="Tóm tắt",
        body="<p>Thân <b>bài</b></p>",
        effective=effective,
        featured=True,
    )
    res = app.get("/api/v1/content/hop-dan")
    check(doc, ITEM, "get", res)
    data = res.json
    assert data["effective"] == "2026-03-01T08:30:15+07:00"
    assert ISO_VN.match(data["created"]) and ISO_VN.match(data["modified"])
    assert data["fields"]["lead"] == "Tóm tắt"
    assert data["fields"]["body"] == "<p>Thân <b>bài</b></p>"
    assert data["fields"]["featured"] is True
    assert data["fields"]["effective"] == "2026-03-01T08:30:15+07:00"
    assert "image_upload" not in data["fields"] and "image_remove" not in data["fields"]
    text = res.text
    for internal in ("owner_id", "password", "image_sha256", "public_from", "site_id"):
        assert internal not in text


def test_site_root_pages_its_children(app, make, doc):
    for i in range(5):
        make("page", title=f"Trang {i}", state="published")
    first = app.get("/api/v1/content/?per_page=2")
    check(doc, "/api/v1/content/", "get", first)
    assert [c["title"] for c in first.json["children"]] == ["Trang 0", "Trang 1"]
    links = first.json["paging"]["links"]
    assert links["prev"] is None and links["next"].endswith("?page=2&per_page=2")
    last = app.get("/api/v1/content/?page=3&per_page=2")
    assert [c["title"] for c in last.json["children"]] == ["Trang 4"]
    assert last.json["paging"]["links"]["next"] is None
    assert last.json["paging"]["links"]["prev"].endswith("?page=2&per_page=2")
    # per_page is capped, nonsense falls back to the defaults.
    assert app.get("/api/v1/content?per_page=5000").json["paging"]["per_page"] == 100
    assert app.get("/api/v1/content/?page=abc").json["paging"]["page"] == 1


def test_listing_costs_the_same_number_of_queries_however_long(app, make, count_statements):
    small = make("folder", title="Nhỏ", state="published")
    big = make("folder", title="Lớn", state="published")
    for i in range(2):
        make("page", small, f"Trang {i}", state="published")
    for i in range(15):
        make("news", big, f"Tin {i}", state="published")
    assert count_statements("/api/v1/content/nho/") == count_statements("/api/v1/content/lon/")


def test_types_lists_every_type_with_fields_in_vietnamese(app, doc):
    res = app.get("/api/v1/types")
    check(doc, "/api/v1/types", "get", res)
    types = {t["name"]: t for t in res.json["types"]}
    assert sorted(types) == sorted(SHIPPED_TYPES)
    news = {f["name"]: f for f in types["news"]["fields"]}
    assert news["title"] == {
        "name": "title",
        "type": "string",
        "required": True,
        "title": "Tiêu đề",
        "write_only": False,
        "max_length": 500,
    }
    assert news["image_upload"]["type"] == "file" and news["image_upload"]["write_only"]
    assert news["effective"]["type"] == "date-time"
    folder = {f["name"]: f for f in types["folder"]["fields"]}
    assert folder["home_block"]["choices"] == ["", "news", "links"]
    assert types["page"]["addable_to"] == ["site", "folder"]
    assert types["site"]["addable_to"] == []


def test_openapi_document_describes_every_type(doc):
    assert doc["openapi"].startswith("3.1")
    for name in SHIPPED_TYPES:
        assert f"Fields_{name}" in doc["components"]["schemas"]
    assert "Input_site" not in doc["components"]["schemas"]  # never added
    # The checker is not a rubber stamp.
    bad = {"id": "x", "type": "page"}
    assert errors(doc, {"$ref": "#/components/schemas/Content"}, bad)


def test_unknown_api_urls_and_methods_answer_json(app):
    for url in ("/api/v1/khong-co", "/api/v2/content/", "/api/"):
        res = app.get(url, status=404)
        assert res.json == {"error": "not_found", "message": "Không tìm thấy.", "fields": {}}
    res = app.put("/api/v1/content/", status=405)
    assert res.json["error"] == "method_not_allowed" and "PATCH" in res.headers["Allow"]
    assert app.post("/api/v1/types", status=405).json["error"] == "method_not_allowed"
    # The site keeps its HTML 404 page.
    assert app.get("/khong-co", status=404).content_type == "text/html"


def test_an_exception_in_an_api_view_is_a_json_500(app, monkeypatch):
    import portal.api.content as content

    def boom(*args, **kwargs):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(content, "node_json", boom)
    res = app.get("/api/v1/content/", status=500)
    assert res.content_type == "application/json"
    assert res.json["error"] == "server_error" and "hỏng" not in res.text


def test_a_bad_token_is_401_even_for_reads(app):
    res = app.get("/api/v1/content/", headers={"Authorization": "Bearer pt_khongdung"}, status=401)
    assert res.json["error"] == "unauthorized"
    assert "invalid_token" in res.headers["WWW-Authenticate"]
    app.get("/api/v1/types", headers={"Authorization": "Bearer pt_x"}, status=401)
    res = app.get("/api/v1/search?q=tin", headers={"Authorization": "Bearer pt_x"}, status=401)
    assert res.json["error"] == "unauthorized"


def test_search_api_takes_tokens_and_answers_errors_in_json(app, auth):
    assert app.get("/api/v1/search?q=tin", headers=auth("editor")).json["query"] == "tin"
    res = app.post("/api/v1/search", status=405)
    assert res.json["error"] == "method_not_allowed"


def test_every_demo_item_reads_and_matches_the_document(app, db, types, root, auth, doc):
    """The demo holds every shipped type with real data (tables, relations, files)."""
    from sqlalchemy import select

    from portal.demo import load_demo
    from portal.models import Node, User

    load_demo(db, types, root, db.scalar(select(User).where(User.login == "admin")))
    db.commit()
    admin = auth("admin")
    seen = set()
    for path, type_name in db.execute(select(Node.path, Node.type).order_by(Node.path)).all():
        res = app.get("/api/v1/content" + path, headers=admin)
        check(doc, ITEM, "get", res)
        assert res.json["type"] == type_name
        seen.add(type_name)
    # Every shipped type but "file" (the demo has no plain file; tests/test_api_write has).
    assert seen == set(SHIPPED_TYPES) - {"file"}
