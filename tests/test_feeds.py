"""Feeds: RSS, Atom and JSON Feed for the site, folders, catalogues, categories and tags;
only what anonymous visitors may see; validators and 304; stable guids; enclosures;
a fixed number of queries; autodiscovery; /rss; WebSub pings after commit."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import feedparser
import pytest
from sqlalchemy import event
from webtest import Upload

from portal import tree
from portal.models import utcnow
from portal.models.terms import CATEGORY, TAG
from portal.terms import set_terms
from tests.conftest import login
from tests.test_news import add_news, jpeg_bytes, publish

FEEDS = {
    "rss.xml": "application/rss+xml",
    "atom.xml": "application/atom+xml",
    "feed.json": "application/feed+json",
}
NOW = utcnow()
DAY = dt.timedelta(days=1)


def parse(res):
    """Entries of any feed as (title, guid, link) in document order, after checking
    its content type and that it is well formed."""
    assert res.charset == "utf-8"
    if res.content_type == FEEDS["feed.json"]:
        feed = json.loads(res.body)
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["title"] and isinstance(feed["items"], list)
        for item in feed["items"]:
            assert {"id", "url", "title", "date_published"} <= item.keys()
            assert isinstance(item["id"], str) and item["id"]
            assert "content_html" in item or "content_text" in item
            assert dt.datetime.fromisoformat(item["date_published"]).utcoffset() == dt.timedelta(hours=7)
        return feed, [(i["title"], i["id"], i["url"]) for i in feed["items"]]
    parsed = feedparser.parse(res.body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed, [(e.title, e.id, e.link) for e in parsed.entries]


def titles(app, url, **kwargs):
    return [t for t, _guid, _link in parse(app.get(url, **kwargs))[1]]


def article(make, parent, title, **fields):
    fields.setdefault("state", "published")
    return make("news", parent, title, **fields)


@pytest.fixture
def site(make):
    """A published section with articles in every visibility situation."""
    section = make("folder", title="Tin tức", state="published")
    article(make, section, "Tin cũ", effective=NOW - 3 * DAY, lead="Sapo tin cũ")
    article(make, section, "Tin mới", effective=NOW - DAY, lead="Sapo tin mới", body="<p>Toàn văn</p>")
    article(make, section, "Tin giữa", effective=NOW - 2 * DAY)
    article(make, section, "Bản nháp", state="private")
    article(make, section, "Hẹn giờ", effective=NOW + DAY)
    article(make, section, "Hết hạn", effective=NOW - 5 * DAY, expires=NOW - DAY)
    hidden = make("folder", section, "Mục riêng", state="private")
    article(make, hidden, "Trong mục riêng", effective=NOW - DAY)
    return section


VISIBLE = ["Tin mới", "Tin giữa", "Tin cũ"]


@pytest.mark.parametrize("name", list(FEEDS))
def test_site_and_folder_feeds_list_only_visible_items_newest_first(app, site, name):
    for url in (f"/{name}", f"/tin-tuc/{name}"):
        res = app.get(url)
        assert res.content_type == FEEDS[name]
        assert res.headers["Content-Type"] == f"{FEEDS[name]}; charset=utf-8"
        assert titles(app, url) == VISIBLE


def test_rss_and_atom_carry_dates_in_vietnam_time_self_link_author_and_summary(app, site):
    rss = app.get("/tin-tuc/rss.xml")
    feed, _entries = parse(rss)
    assert "+0700</pubDate>" in rss.text
    assert '<atom:link href="http://localhost/tin-tuc/rss.xml" rel="self"' in rss.text
    newest = feed.entries[0]
    assert newest.summary == "Sapo tin mới"
    assert newest.author == "Phường Thử Nghiệm"  # no byline: the site speaks
    atom = app.get("/tin-tuc/atom.xml")
    parsed, _ = parse(atom)
    assert "+07:00</published>" in atom.text
    assert any(link.rel == "self" and link.href.endswith("/tin-tuc/atom.xml") for link in parsed.feed.links)
    # Summaries only, unless the folder asks for full content.
    assert "content" not in parsed.entries[0]


def test_a_folder_flagged_full_content_sends_whole_articles(app, site, db):
    site.full_content = True
    db.commit()
    parsed, _ = parse(app.get("/tin-tuc/atom.xml"))
    assert "Toàn văn" in parsed.entries[0].content[0].value
    rss = app.get("/tin-tuc/rss.xml")
    assert "<content:encoded>" in rss.text and "Toàn văn" in parse(rss)[0].entries[0].content[0].value
    feed = app.get("/tin-tuc/feed.json").json
    assert "Toàn văn" in feed["items"][0]["content_html"]
    # The site's feeds keep summaries (their own setting).
    assert "content_html" not in app.get("/feed.json").json["items"][0]


def test_folder_form_has_the_full_content_field(app, make):
    make("folder", title="Tin", state="published")
    login(app, "editor")
    form = app.get("/tin/@@edit").forms["deform"]
    assert "Nguồn tin đầy đủ" in app.get("/tin/@@edit").text
    form["full_content"] = True
    assert form.submit("save").status_int == 302
    assert app.get("/tin/@@edit").forms["deform"]["full_content"].checked


def test_conditional_get_answers_304_without_a_body(app, site):
    for name in FEEDS:
        first = app.get(f"/tin-tuc/{name}")
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert "public" in first.headers["Cache-Control"]
        again = app.get(f"/tin-tuc/{name}", headers={"If-None-Match": etag}, status=304)
        assert again.body == b"" and again.headers["ETag"] == etag
        app.get(f"/tin-tuc/{name}", headers={"If-Modified-Since": modified}, status=304)
        app.get(f"/tin-tuc/{name}", headers={"If-None-Match": '"something-else"'}, status=200)
        # Lists, weak tags and "*" are understood (a HEAD too).
        app.get(f"/tin-tuc/{name}", headers={"If-None-Match": f'"x", W/{etag}'}, status=304)
        app.get(f"/tin-tuc/{name}", headers={"If-None-Match": "*"}, status=304)
        app.head(f"/tin-tuc/{name}", headers={"If-None-Match": etag}, status=304)
        assert app.head(f"/tin-tuc/{name}").body == b""
    assert len({app.get(f"/tin-tuc/{name}").headers["ETag"] for name in FEEDS}) == 3


def test_a_new_item_changes_the_validator(app, site, make):
    etag = app.get("/rss.xml").headers["ETag"]
    app.get("/rss.xml", headers={"If-None-Match": etag}, status=304)
    article(make, site, "Tin nóng", effective=utcnow())
    res = app.get("/rss.xml", headers={"If-None-Match": etag}, status=200)
    assert res.headers["ETag"] != etag
    assert titles(app, "/rss.xml")[0] == "Tin nóng"


def test_the_304_path_does_not_build_the_feed(app, site, connection, count_statements):
    etag = app.get("/tin-tuc/rss.xml").headers["ETag"]
    full = count_statements("/tin-tuc/rss.xml")
    statements = []

    def log(conn, cursor, statement, *args):
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(connection, "before_cursor_execute", log)
    try:
        conditional = count_statements("/tin-tuc/rss.xml", headers={"If-None-Match": etag}, status=304)
        # No item, term or type table is read for a 304: one aggregate decides.
        assert not any("news_articles" in s or "FROM terms" in s for s in statements)
        statements.clear()
        # And while nothing changes the validator comes from the cache.
        app.get("/tin-tuc/rss.xml", headers={"If-None-Match": etag}, status=304)
        cached = len(statements)
    finally:
        event.remove(connection, "before_cursor_execute", log)
    assert cached < conditional < full


def test_fast_304s_without_the_database_when_the_setting_asks(
    app, site, make, registry, monkeypatch, connection
):
    statements = []

    def log(conn, cursor, statement, *args):
        statements.append(statement)

    url = "/tin-tuc/rss.xml"
    etag = app.get(url).headers["ETag"]
    event.listen(connection, "before_cursor_execute", log)
    try:
        app.get(url, headers={"If-None-Match": etag}, status=304)
        assert statements, "off (as in the test harness): the validator is checked"
        monkeypatch.setitem(registry.settings, "portal.feeds.fast_304_seconds", "600")
        app.get(url)  # remembered from here
        statements.clear()
        res = app.get(url, headers={"If-None-Match": etag}, status=304)
        assert statements == [] and res.headers["ETag"] == etag and "public" in res.headers["Cache-Control"]
        # A session holder always goes the long way.
        statements.clear()
        app.get(url, headers={"If-None-Match": etag, "Cookie": "portal_session=x"}, status=304)
        assert statements
    finally:
        event.remove(connection, "before_cursor_execute", log)
    # Any commit forgets what was remembered.
    article(make, site, "Tin nóng", effective=utcnow())
    assert app.get(url, headers={"If-None-Match": etag}, status=200).headers["ETag"] != etag
    # And nothing is remembered past the next scheduled change.
    soon = utcnow() + dt.timedelta(minutes=2)
    article(make, site, "Sắp đăng", effective=soon)
    etag = app.get(url).headers["ETag"]
    app.get(url, headers={"If-None-Match": etag}, status=304)
    for module in ("portal.feeds.http", "portal.feeds.fast304"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: soon + dt.timedelta(seconds=1))
    assert "Sắp đăng" in app.get(url, headers={"If-None-Match": etag}, status=200).text


def test_a_scheduled_item_appears_on_time_without_a_write(app, site, make, monkeypatch):
    soon = utcnow() + dt.timedelta(minutes=2)
    article(make, site, "Sắp đăng", effective=soon)
    first = app.get("/tin-tuc/atom.xml")
    assert "Sắp đăng" not in titles(app, "/tin-tuc/atom.xml")
    # Readers and proxies may keep it only until then.
    assert 0 < int(first.headers["Cache-Control"].split("max-age=")[1]) <= 120
    # A minute later (well within any cache's time-to-live), nothing written meanwhile.
    monkeypatch.setattr("portal.feeds.http.utcnow", lambda: soon + dt.timedelta(minutes=1))
    res = app.get("/tin-tuc/atom.xml", headers={"If-None-Match": first.headers["ETag"]}, status=200)
    assert res.headers["ETag"] != first.headers["ETag"]
    assert titles(app, "/tin-tuc/atom.xml")[0] == "Sắp đăng"
    # The next day the other scheduled item is in as well.
    monkeypatch.setattr("portal.feeds.http.utcnow", lambda: NOW + DAY + dt.timedelta(minutes=1))
    assert titles(app, "/tin-tuc/atom.xml")[:2] == ["Hẹn giờ", "Sắp đăng"]


def test_an_item_that_expires_leaves_the_feed_on_time(app, make, monkeypatch):
    section = make("folder", title="Tin", state="published")
    ends = utcnow() + dt.timedelta(minutes=2)
    article(make, section, "Sắp hết hạn", effective=NOW - DAY, expires=ends)
    etag = app.get("/tin/rss.xml").headers["ETag"]
    assert titles(app, "/tin/rss.xml") == ["Sắp hết hạn"]
    monkeypatch.setattr("portal.feeds.http.utcnow", lambda: ends + dt.timedelta(minutes=1))
    res = app.get("/tin/rss.xml", headers={"If-None-Match": etag}, status=200)
    assert parse(res)[1] == []


def test_a_retracted_item_leaves_the_feeds(app, site, db):
    from content_types.news import NewsArticle

    newest = db.query(NewsArticle).filter_by(title="Tin mới").one()
    etag = app.get("/feed.json").headers["ETag"]
    newest.state = "retracted"
    db.commit()
    res = app.get("/feed.json", headers={"If-None-Match": etag}, status=200)
    assert [i["title"] for i in res.json["items"]] == ["Tin giữa", "Tin cũ"]
    assert titles(app, "/tin-tuc/rss.xml") == ["Tin giữa", "Tin cũ"]


def test_guid_survives_rename_and_move(app, make, db):
    a = make("folder", title="Mục A", state="published")
    b = make("folder", title="Mục B", state="published")
    item = article(make, a, "Bài di chuyển", effective=NOW - DAY)
    ((_t, guid, link),) = parse(app.get("/rss.xml"))[1]
    assert link == "http://localhost/muc-a/bai-di-chuyen/" and str(item.id) not in link
    tree.rename(db, item, "ten-moi")
    db.commit()
    ((_t, guid2, link2),) = parse(app.get("/atom.xml"))[1]
    tree.move(db, item, b)
    db.commit()
    ((_t, guid3, link3),) = parse(app.get("/rss.xml"))[1]
    assert guid == guid2 == guid3
    assert link2 == "http://localhost/muc-a/ten-moi/" and link3 == "http://localhost/muc-b/ten-moi/"
    assert titles(app, "/muc-b/rss.xml") == ["Bài di chuyển"] and titles(app, "/muc-a/rss.xml") == []
    assert app.get("/feed.json").json["items"][0]["id"] == guid
    # RSS says the guid is not a URL.
    assert 'isPermaLink="false"' in app.get("/rss.xml").text


def test_guid_is_a_tag_uri_with_an_authority(app, make, registry, monkeypatch):
    monkeypatch.setitem(registry.settings, "portal.feeds.tag_authority", "ubnd.example.gov.vn,2025")
    item = article(make, None, "Bài gốc", effective=NOW - DAY)
    assert parse(app.get("/rss.xml"))[1][0][1] == f"tag:ubnd.example.gov.vn,2025:default/node/{item.id}"


def test_lead_image_is_the_enclosure_with_its_length_and_type(app, make):
    make("folder", title="Ảnh", state="published")
    login(app, "editor")
    image = jpeg_bytes(800, 450)
    res = add_news(app, "/anh/", "Bài có ảnh", lead="Sapo", image_upload=Upload("a.jpg", image, "image/jpeg"),
                   categories="Chuyển đổi số", tags="Một cửa")  # fmt: skip
    assert res.status_int == 302, res.text[:2000]
    publish(app, res.location)
    parsed, _ = parse(app.get("/anh/rss.xml"))
    (enclosure,) = parsed.entries[0].enclosures
    assert enclosure.type == "image/jpeg" and int(enclosure.length) == len(image)
    got = app.get(enclosure.href)
    assert got.content_type == "image/jpeg" and len(got.body) == int(enclosure.length)
    atom, _ = parse(app.get("/anh/atom.xml"))
    assert [link.href for link in atom.entries[0].links if link.rel == "enclosure"] == [enclosure.href]
    item = app.get("/anh/feed.json").json["items"][0]
    expected = {"url": enclosure.href, "mime_type": "image/jpeg", "size_in_bytes": len(image)}
    assert item["attachments"] == [expected]
    # Categories and tags travel with the item, with their pages as scheme.
    terms = {(t.term, t.label, t.get("scheme")) for t in atom.entries[0].tags}
    assert ("chuyen-doi-so", "Chuyển đổi số", "http://localhost/chuyen-muc/") in terms
    assert ("mot-cua", "Một cửa", "http://localhost/the/") in terms
    assert sorted(item["tags"]) == ["Chuyển đổi số", "Một cửa"]


def test_bad_feed_urls_are_404_never_500(app, site, make):
    app.get("/khong-co/rss.xml", status=404)
    app.get("/tin-tuc/tin-moi/rss.xml", status=404)  # an article has no feed
    app.get("/tin-tuc/tin-moi/atom.xml", status=404)
    app.get("/tin-tuc/muc-rieng/rss.xml", status=404)  # private to anonymous visitors
    app.get("/tin-tuc/muc-rieng/feed.json", status=404)
    app.get("/chuyen-muc/KHONG%20HOP%20LE/rss.xml", status=404)
    app.get("/chuyen-muc/khong-co/rss.xml", status=404)
    app.get("/the/khong-co/atom.xml", status=404)
    app.post("/rss.xml", status=(403, 404, 405))
    # Odd query strings are ignored, not errors; bytes that are not UTF-8 are a 400.
    assert app.get("/rss.xml?trang=x&q=%3Cscript%3E&trang=-1").status_int == 200
    app.get("/rss.xml?%ff=1", status=400)
    assert app.get("/tin-tuc/feed.json?format=%00").status_int == 200


def test_a_private_folder_feed_is_404_to_anonymous_but_its_items_never_leak(app, site, as_user):
    as_user("anonymous").get("/tin-tuc/muc-rieng/rss.xml", status=404)
    editor = as_user("editor")
    res = editor.get("/tin-tuc/muc-rieng/rss.xml")
    # Feeds are what anonymous visitors see, whoever asks.
    assert parse(res)[1] == [] and "no-cache" in res.headers["Cache-Control"]


def _fill(make, parent, count):
    for i in range(count):
        item = article(make, parent, f"Bài {i}", effective=NOW - dt.timedelta(minutes=i + 1))
        set_terms(item, CATEGORY, [f"Chuyên mục {i % 3}"])
        set_terms(item, TAG, ["Tin nổi bật"])
    make("procedure", parent, "Thủ tục", state="published", code="1.0001")
    make("legal_document", parent, "Văn bản", state="published", number="1/QĐ")


def test_a_feed_costs_the_same_queries_for_5_and_25_items(make, registry, monkeypatch, count_statements):
    monkeypatch.setitem(registry.settings, "portal.feeds.items", "40")
    small = make("folder", title="Ít", state="published")
    big = make("folder", title="Nhiều", state="published")
    _fill(make, small, 5)
    _fill(make, big, 25)
    for name in FEEDS:
        assert count_statements(f"/it/{name}") == count_statements(f"/nhieu/{name}")
    assert count_statements("/the/tin-noi-bat/rss.xml") <= count_statements("/nhieu/rss.xml") + 1


def test_category_and_tag_feeds_and_pages(app, make, db):
    section = make("folder", title="Tin", state="published")
    one = article(make, section, "Về số hóa", effective=NOW - DAY)
    two = article(make, section, "Về một cửa", effective=NOW - 2 * DAY)
    hidden = article(make, section, "Nháp số hóa", state="private")
    for node, cats, tags in ((one, ["Chuyển đổi số"], ["Số hóa"]), (two, ["Cải cách"], ["Một cửa", "Số hóa"]),
                             (hidden, ["Chuyển đổi số"], ["Số hóa"])):  # fmt: skip
        set_terms(node, CATEGORY, cats)
        set_terms(node, TAG, tags)
    db.commit()
    assert titles(app, "/chuyen-muc/chuyen-doi-so/rss.xml") == ["Về số hóa"]
    assert titles(app, "/the/so-hoa/atom.xml") == ["Về số hóa", "Về một cửa"]
    assert [i["title"] for i in app.get("/the/mot-cua/feed.json").json["items"]] == ["Về một cửa"]
    page = app.get("/the/so-hoa")
    assert page.html.select_one("h1").text.strip() == "Từ khóa: Số hóa"
    assert [a.text for a in page.html.select(".item-list h2 a")] == ["Về số hóa", "Về một cửa"]
    alternates = [link["href"] for link in page.html.select('link[rel="alternate"]')]
    assert alternates == ["http://localhost/the/so-hoa/" + n for n in FEEDS]
    app.get("/chuyen-muc/cai-cach/").mustcontain("Về một cửa")
    # The article links its categories and tags to their pages.
    art = app.get("/tin/ve-mot-cua/")
    assert [a["href"] for a in art.html.select("a.tag")] == [
        "http://localhost/the/mot-cua",
        "http://localhost/the/so-hoa",
    ]
    assert art.html.select_one("a.category")["href"] == "http://localhost/chuyen-muc/cai-cach"
    # A term carried only by unpublished items has no page or feed.
    set_terms(hidden, TAG, ["Bí mật"])
    db.commit()
    app.get("/the/bi-mat", status=404)
    app.get("/the/bi-mat/rss.xml", status=404)


def test_term_pages_are_paged(app, make, db):
    section = make("folder", title="Tin", state="published")
    for i in range(23):
        node = article(make, section, f"Bài {i:02d}", effective=NOW - dt.timedelta(hours=i + 1))
        set_terms(node, TAG, ["Nhiều"])
    db.commit()
    first = app.get("/the/nhieu")
    assert len(first.html.select(".item-list li")) == 20 and first.html.select_one("a[rel=next]")
    second = app.get("/the/nhieu?trang=2")
    assert [a.text for a in second.html.select(".item-list h2 a")] == ["Bài 20", "Bài 21", "Bài 22"]
    assert app.get("/the/nhieu?trang=abc").status_int == 200


def test_procedure_and_document_feeds_list_new_and_changed_items(app, make, db):
    folder = make("folder", title="Hồ sơ", state="published")
    older = make(
        "procedure", folder, "Đăng ký khai sinh", state="published", code="1.001193", field="Hộ tịch"
    )
    make("procedure", folder, "Đăng ký kết hôn", state="published", code="1.000894")
    make("procedure", folder, "Chưa công bố", code="1.0")
    make(
        "legal_document", folder, "Quyết định công bố", state="published", number="12/2025/QĐ-UBND",
        issued_on=dt.date(2025, 3, 4), issuer="Ủy ban nhân dân tỉnh", summary="Về việc công bố thủ tục",
    )  # fmt: skip
    assert titles(app, "/thu-tuc-hanh-chinh/rss.xml") == ["Đăng ký kết hôn", "Đăng ký khai sinh"]
    # A change puts the procedure first: the feed is of new and changed procedures.
    older.modified = utcnow() + dt.timedelta(seconds=5)
    db.commit()
    parsed, entries = parse(app.get("/thu-tuc-hanh-chinh/atom.xml"))
    assert [t for t, _g, _l in entries] == ["Đăng ký khai sinh", "Đăng ký kết hôn"]
    assert "Mã thủ tục: 1.001193" in parsed.entries[0].summary
    assert "Hộ tịch" in [t.label for t in parsed.entries[0].tags]
    docs, _ = parse(app.get("/van-ban/rss.xml"))
    (entry,) = docs.entries
    assert entry.title == "Quyết định công bố"
    assert "Số 12/2025/QĐ-UBND" in entry.summary and "04/03/2025" in entry.summary
    assert "Về việc công bố thủ tục" in entry.summary
    # Both kinds are in the site's and the folder's feeds too.
    assert set(titles(app, "/ho-so/rss.xml")) == {
        "Đăng ký khai sinh", "Đăng ký kết hôn", "Quyết định công bố"}  # fmt: skip


def test_home_and_folder_pages_announce_their_feeds(app, site):
    for url, base in (("/", "http://localhost/"), ("/tin-tuc/", "http://localhost/tin-tuc/")):
        links = app.get(url).html.select('head link[rel="alternate"]')
        assert [(link["type"], link["href"]) for link in links] == [(t, base + n) for n, t in FEEDS.items()]
    # The catalogues announce their feeds of new and changed items.
    for url in ("/van-ban", "/thu-tuc-hanh-chinh/"):
        links = app.get(url).html.select('head link[rel="alternate"]')
        base = "http://localhost" + url.rstrip("/") + "/"
        assert [link["href"] for link in links] == [base + n for n in FEEDS]
    # Not on an article, nor on editing views.
    assert not app.get("/tin-tuc/tin-moi/").html.select('link[rel="alternate"][type="application/rss+xml"]')


def test_the_rss_page_lists_every_feed(app, site, db):
    from content_types.news import NewsArticle

    node = db.query(NewsArticle).filter_by(title="Tin mới").one()
    set_terms(node, CATEGORY, ["Kinh tế"])
    set_terms(node, TAG, ["Nông thôn mới"])
    db.commit()
    page = app.get("/rss")
    assert page.content_type == "text/html"
    hrefs = {a["href"] for a in page.html.select("main a")}
    for path in ("/rss.xml", "/tin-tuc/atom.xml", "/thu-tuc-hanh-chinh/rss.xml", "/van-ban/feed.json",
                 "/chuyen-muc/kinh-te/rss.xml", "/the/nong-thon-moi/rss.xml"):  # fmt: skip
        assert "http://localhost" + path in hrefs, path
    # A private folder is not listed.
    assert "http://localhost/tin-tuc/muc-rieng/rss.xml" not in hrefs
    assert page.html.select_one("h1").text == "Tin RSS"


# --- WebSub ---------------------------------------------------------------------------


class FakeHub:
    """A hub on 127.0.0.1 that records the publish notifications it receives."""

    def __init__(self, status=204):
        self.received: list[dict] = []
        self.event = threading.Event()
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", 0))
                hub.received.append(parse_qs(self.rfile.read(length).decode()))
                self.send_response(status)
                self.end_headers()
                hub.event.set()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def topics(self) -> set[str]:
        return {url for form in self.received for url in form.get("hub.url", [])}

    def wait_for(self, topic: str, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if topic in self.topics():
                return True
            time.sleep(0.05)
        return False

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hub(registry, monkeypatch):
    fake = FakeHub()
    monkeypatch.setitem(registry.settings, "portal.websub.hub", fake.url)
    yield fake
    fake.close()


def test_feeds_advertise_the_hub(app, site, hub):
    rss = app.get("/tin-tuc/rss.xml")
    assert f'<{hub.url}>; rel="hub"' in rss.headers["Link"]
    assert '<http://localhost/tin-tuc/rss.xml>; rel="self"' in rss.headers["Link"]
    assert f'<atom:link href="{hub.url}" rel="hub"/>' in rss.text
    atom, _ = parse(app.get("/atom.xml"))
    assert any(link.rel == "hub" and link.href == hub.url for link in atom.feed.links)
    assert app.get("/feed.json").json["hubs"] == [{"type": "WebSub", "url": hub.url}]


def test_publishing_pings_the_hub_after_commit(app, make, hub):
    make("folder", title="Thông báo", state="published")
    login(app, "editor")
    res = add_news(app, "/thong-bao/", "Lịch tiếp dân", lead="Sapo", tags="Tiếp dân")
    url = res.location
    app.reset()
    # Saving a private draft announces nothing.
    time.sleep(0.2)
    assert hub.received == []
    publish(app, url)
    for topic in ("http://localhost/rss.xml", "http://localhost/atom.xml", "http://localhost/feed.json",
                  "http://localhost/thong-bao/rss.xml", "http://localhost/the/tiep-dan/rss.xml"):  # fmt: skip
        assert hub.wait_for(topic), (topic, hub.topics())
    assert all(form["hub.mode"] == ["publish"] for form in hub.received)
    # What the hub then fetches lists the new item.
    assert titles(app, "/thong-bao/rss.xml") == ["Lịch tiếp dân"]


def test_a_failing_hub_never_breaks_publishing(app, make, registry, monkeypatch, caplog):
    dead = FakeHub()
    dead.close()  # nothing listens there any more
    monkeypatch.setitem(registry.settings, "portal.websub.hub", dead.url)
    make("folder", title="Tin", state="published")
    login(app, "editor")
    url = add_news(app, "/tin/", "Bài mới", lead="Sapo").location
    app.reset()
    publish(app, url)  # asserts the 302
    assert titles(app, "/tin/rss.xml") == ["Bài mới"]


def test_a_failed_request_pings_nothing(app, make, hub, db):
    folder = make("folder", title="Tin", state="published")
    item = article(make, folder, "Bài", state="private")
    login(app, "editor")
    form = app.get(f"http://localhost/tin/{item.name}/@@edit").forms["deform"]
    form["title"] = ""  # invalid: nothing is saved
    assert form.submit("save", expect_errors=True).status_int == 400
    time.sleep(0.2)
    assert hub.received == []
