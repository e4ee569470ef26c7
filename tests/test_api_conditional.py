"""Conditional GET on /api/v1/content/{path}: ETag, If-None-Match and 304."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

import portal.listing
import portal.workflow
from portal.models import Node, utcnow

from .openapi_check import check

ITEM = "/api/v1/content/{path}"


def test_item_answers_304_to_its_current_etag_and_200_after_a_change(app, make, db, doc):
    page = make("page", title="Giới thiệu", state="published", body="<p>Cũ</p>")
    url = "/api/v1/content/gioi-thieu/"
    first = app.get(url)
    check(doc, ITEM, "get", first)
    tag = first.headers["ETag"]
    assert tag.startswith('W/"') and str(page.id) in tag
    res = app.get(url, headers={"If-None-Match": tag}, status=304)
    assert res.body == b"" and res.headers["ETag"] == tag
    assert "304" in doc["paths"][ITEM]["get"]["responses"]
    # The strong form, a list and "*" match too (weak comparison).
    app.get(url, headers={"If-None-Match": tag.removeprefix("W/")}, status=304)
    app.get(url, headers={"If-None-Match": f'"khac", {tag}'}, status=304)
    app.get(url, headers={"If-None-Match": "*"}, status=304)
    # Another tag, or garbage, gets the full answer.
    assert app.get(url, headers={"If-None-Match": 'W/"1-2"'}).json["title"] == "Giới thiệu"
    assert app.get(url, headers={"If-None-Match": "\x7f,,;"}).status_int == 200
    # An edit moves ``modified``: the old copy is stale.
    db.execute(update(Node).where(Node.id == page.id).values(modified=utcnow() + dt.timedelta(seconds=1)))
    db.commit()
    again = app.get(url, headers={"If-None-Match": tag})
    assert again.status_int == 200 and again.headers["ETag"] != tag


def test_no_304_for_what_the_caller_may_not_see(app, make, auth):
    make("page", title="Nháp", state="private")
    url = "/api/v1/content/nhap/"
    tag = app.get(url, headers=auth("editor")).headers["ETag"]
    # The permission check runs first: a hidden item is a 404 whatever the client holds.
    app.get(url, headers={"If-None-Match": tag}, status=404)
    app.get(url, headers={"If-None-Match": "*"}, status=404)
    res = app.get(url, headers={**auth("editor"), "If-None-Match": tag}, status=304)
    assert "no-store" in res.headers["Cache-Control"]


def test_folder_etag_follows_its_children(app, make, db):
    folder = make("folder", title="Tin tức", state="published")
    make("page", folder, "Một", state="published")
    url = "/api/v1/content/tin-tuc/"
    tag = app.get(url).headers["ETag"]
    app.get(url, headers={"If-None-Match": tag}, status=304)
    # A new child leaves the folder's own row alone but changes the listing.
    make("page", folder, "Hai", state="published")
    res = app.get(url, headers={"If-None-Match": tag})
    assert res.status_int == 200 and [c["title"] for c in res.json["children"]] == ["Một", "Hai"]
    tag = res.headers["ETag"]
    # Paging and the caller are part of the answer, so of the tag.
    assert app.get(url + "?page=2").headers["ETag"] != tag
    assert app.get(url, headers={"Accept-Language": "en"}).status_int == 200


def test_folder_etag_changes_when_a_scheduled_child_appears(app, make, monkeypatch):
    folder = make("folder", title="Thông báo", state="published")
    soon = utcnow() + dt.timedelta(hours=1)
    make("page", folder, "Sắp đăng", state="published", effective=soon)
    url = "/api/v1/content/thong-bao/"
    first = app.get(url)
    assert first.json["children"] == []
    app.get(url, headers={"If-None-Match": first.headers["ETag"]}, status=304)
    # Two hours later, with no write at all, the child is visible: the tag has moved.
    later = soon + dt.timedelta(hours=1)
    monkeypatch.setattr(portal.listing, "utcnow", lambda: later)
    monkeypatch.setattr(portal.workflow, "utcnow", lambda: later)
    res = app.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert res.status_int == 200 and res.headers["ETag"] != first.headers["ETag"]
    assert [c["title"] for c in res.json["children"]] == ["Sắp đăng"]


def test_folder_etag_differs_per_caller_and_is_accepted_by_if_match(app, make, auth):
    make("folder", title="Văn phòng", state="published")
    url = "/api/v1/content/van-phong/"
    anonymous = app.get(url).headers["ETag"]
    editor = auth("editor")
    mine = app.get(url, headers=editor).headers["ETag"]
    assert mine != anonymous
    app.get(url, headers={**editor, "If-None-Match": anonymous}, status=200)
    # The folder's GET tag names the folder's version for PATCH as well.
    res = app.patch_json(url, {"description": "Mô tả mới"}, headers={**editor, "If-Match": mine})
    assert res.status_int == 200
    # ...and once it changed, the old one is stale.
    app.patch_json(url, {"description": "Lần nữa"}, headers={**editor, "If-Match": mine}, status=409)


def test_an_items_tag_depends_on_the_caller_and_the_language(app, make, auth):
    make("page", title="Giới thiệu", state="published")
    url = "/api/v1/content/gioi-thieu/"
    anonymous = app.get(url).headers["ETag"]
    # The editor's answer lists their transitions: the anonymous copy is not theirs.
    editor = app.get(url, headers={**auth("editor"), "If-None-Match": anonymous})
    assert editor.status_int == 200 and "retract" in editor.json["transitions"]
    # Titles of the type and state are translated: another language, another tag.
    app.set_cookie("portal_lang", "en")
    english = app.get(url, headers={"If-None-Match": anonymous})
    assert english.status_int == 200 and english.headers["ETag"] != anonymous
