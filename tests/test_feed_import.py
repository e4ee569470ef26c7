"""Feed import (issue 5): a folder subscribes to RSS/Atom feeds whose items become news
articles. Feeds are built with feedgen and served through the injected WSGI transport or
a real HTTP server on 127.0.0.1; the views go through WebTest, the CLI runs for real."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from content_types.news import NewsArticle
from portal.feedimport.fetch import wsgi_transport
from portal.feedimport.importer import pull
from portal.feedimport.models import FeedSubscription, ImportedEntry
from portal.models import User, WorkflowHistory
from tests.conftest import csrf_from
from tests.feed_helpers import Answer, FeedServer, Item, build_feed, feed_app, refused_url, sample_items
from tests.test_cli import fails_with_one_line, ok, portal

FEED_URL = "https://tinh.example.vn/tin-tuc/rss.xml"


@pytest.fixture
def folder(make):
    return make("folder", title="Tin của tỉnh", state="published")


@pytest.fixture
def routes():
    """What the injected transport serves: path -> Answer (change it between pulls)."""
    return {"/tin-tuc/rss.xml": Answer(body=build_feed(sample_items()))}


@pytest.fixture
def transport(routes):
    return wsgi_transport(feed_app(routes))


@pytest.fixture
def subscribe(db, folder):
    def _subscribe(url=FEED_URL, *, publish=False, owner="admin", into=None):
        owner_id = db.scalar(select(User.id).where(User.login == owner))
        sub = FeedSubscription(
            folder_id=(into or folder).id, url=url, publish_at_once=publish, created_by=owner_id
        )
        db.add(sub)
        db.commit()
        return sub

    return _subscribe


def pull_and_commit(db, types, sub, **kw):
    # The test feeds are served on 127.0.0.1, which the portal refuses unless told.
    kw.setdefault("allow_private", True)
    result = pull(db, types, sub, **kw)
    db.commit()
    return result


def articles(db, folder) -> list[NewsArticle]:
    db.expire_all()
    return db.scalars(
        select(NewsArticle).where(NewsArticle.parent_id == folder.id).order_by(NewsArticle.created)
    ).all()


def entries(db, sub) -> int:
    return db.scalar(select(func.count()).where(ImportedEntry.subscription_id == sub.id))


# --- importing ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_import_creates_published_articles_linking_to_their_source(
    db, types, app, folder, subscribe, routes, transport, kind
):
    routes["/tin-tuc/rss.xml"] = Answer(body=build_feed(sample_items(), kind))
    sub = subscribe(publish=True)

    result = pull_and_commit(db, types, sub, transport=transport)

    assert (result.new, result.updated, result.unchanged, result.skipped, result.error) == (2, 0, 0, 0, "")
    older, newer = articles(db, folder)
    assert newer.title == "Hội nghị tổng kết công tác năm"
    assert newer.source_url == "https://tinh.example.vn/tin-tuc/hoi-nghi-tong-ket/"
    assert newer.source == "Tin tức tỉnh Đồng Nai"
    assert newer.lead == "Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết."
    assert newer.description == newer.lead
    assert "<h2>Kết quả</h2>" in newer.body
    assert newer.byline == "Văn phòng UBND tỉnh"
    assert newer.state == older.state == "published"
    assert newer.effective == dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)
    assert older.effective == dt.datetime(2026, 11, 18, 2, 0, tzinfo=dt.UTC)
    assert older.body == "<p>Các xã, phường hoàn thành số hóa hồ sơ một cửa.</p>"  # from the summary
    admin_id = db.scalar(select(User.id).where(User.login == "admin"))
    assert {a.owner_id for a in (older, newer)} == {admin_id}
    history = db.scalars(select(WorkflowHistory).where(WorkflowHistory.node_id == newer.id)).all()
    assert [(h.transition, h.to_state) for h in history] == [("publish", "published")]
    assert history[0].comment == "Nhập từ nguồn tin “Tin tức tỉnh Đồng Nai”"
    db.refresh(sub)
    assert sub.title == "Tin tức tỉnh Đồng Nai" and sub.last_error == "" and sub.last_checked_at

    # Readers see the article with the link to the original.
    app.reset()
    page = app.get(newer.path)
    assert "Hội nghị tổng kết công tác năm" in page.text
    assert 'href="https://tinh.example.vn/tin-tuc/hoi-nghi-tong-ket/"' in page.text


def test_pending_setting_leaves_articles_for_review(db, types, app, folder, subscribe, transport):
    sub = subscribe(publish=False)
    assert pull_and_commit(db, types, sub, transport=transport).new == 2
    imported = articles(db, folder)
    assert [a.state for a in imported] == ["pending", "pending"]
    history = db.scalars(select(WorkflowHistory).where(WorkflowHistory.node_id == imported[0].id)).all()
    assert [(h.transition, h.to_state) for h in history] == [("submit", "pending")]
    app.get(imported[0].path, status=404)  # not public until a reviewer publishes it


def test_publish_at_once_needs_a_creator_who_may_publish(db, types, folder, subscribe, transport):
    # Editors may add but not publish: their subscription imports for review.
    sub = subscribe(publish=True, owner="editor")
    pull_and_commit(db, types, sub, transport=transport)
    assert {a.state for a in articles(db, folder)} == {"pending"}


def test_pulling_twice_imports_each_item_once(db, types, folder, subscribe, transport):
    sub = subscribe(publish=True)
    pull_and_commit(db, types, sub, transport=transport)
    first = [(a.id, a.modified) for a in articles(db, folder)]

    again = pull_and_commit(db, types, sub, transport=transport)

    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert [(a.id, a.modified) for a in articles(db, folder)] == first
    assert entries(db, sub) == 2


def test_changed_entry_updates_the_article_and_keeps_its_state(
    db, types, folder, subscribe, routes, transport
):
    sub = subscribe(publish=False)
    pull_and_commit(db, types, sub, transport=transport)
    before = {a.source_url: (a.id, a.name) for a in articles(db, folder)}

    items = sample_items()
    items[0] = dataclasses.replace(
        items[0], title="Hội nghị tổng kết công tác năm (cập nhật)", content="<p>Số liệu đã cập nhật.</p>"
    )
    items.append(
        Item(guid="urn:tinh:tin:3", title="Tin thứ ba", summary="Mới.", link="https://tinh.example.vn/3")
    )
    routes["/tin-tuc/rss.xml"] = Answer(body=build_feed(items))

    result = pull_and_commit(db, types, sub, transport=transport)

    assert (result.new, result.updated, result.unchanged) == (1, 1, 1)
    by_link = {a.source_url: a for a in articles(db, folder)}
    changed = by_link["https://tinh.example.vn/tin-tuc/hoi-nghi-tong-ket/"]
    assert changed.title == "Hội nghị tổng kết công tác năm (cập nhật)"
    assert changed.body == "<p>Số liệu đã cập nhật.</p>"
    # Same article, same address, same state.
    assert (changed.id, changed.name) == before[changed.source_url]
    assert changed.state == "pending"
    assert len(by_link) == 3


def test_malicious_html_is_sanitised(db, types, app, folder, subscribe, routes, transport):
    hostile = Item(
        guid="urn:tin:xau",
        title="<b>Tin</b> <script>alert('tieu-de')</script>có mã độc",
        summary="<script>alert('sapo')</script><p onclick=\"x()\">Sapo an toàn</p>",
        content=(
            "<p>Đoạn một<script>alert('noi-dung')</script></p>"
            '<img src="/anh.png" onerror="alert(\'anh\')">'
            "<a href=\"javascript:alert('lien-ket')\">bấm</a>"
            '<iframe src="https://evil.example/"></iframe><style>p{display:none}</style>'
            '<a href="https://tinh.example.vn/goc">bài gốc</a>'
        ),
        link="javascript:alert('nguon')",
    )
    routes["/tin-tuc/rss.xml"] = Answer(body=build_feed([hostile]))
    sub = subscribe(publish=True)

    assert pull_and_commit(db, types, sub, transport=transport).new == 1

    (article,) = articles(db, folder)
    assert article.title == "Tin có mã độc"
    assert article.lead == "Sapo an toàn"
    for bad in ("script", "alert", "onerror", "onclick", "javascript:", "iframe", "style"):
        assert bad not in article.body.lower(), article.body
    assert "Đoạn một" in article.body
    assert 'href="https://tinh.example.vn/goc"' in article.body
    # Relative addresses are resolved against the feed's.
    assert 'src="https://tinh.example.vn/anh.png"' in article.body
    assert article.source_url == ""  # only http(s) links to the source
    page = app.get(article.path)
    assert "alert(" not in page.text


def test_entries_without_title_or_identity_are_skipped_and_counted(
    db, types, folder, subscribe, routes, transport
):
    items = [*sample_items(), Item(guid="urn:khong-tieu-de", title="  ", summary="Không có tiêu đề")]
    # The same guid twice in one feed: imported once.
    items.append(dataclasses.replace(items[0], title="Bản trùng"))
    routes["/tin-tuc/rss.xml"] = Answer(body=build_feed(items))
    sub = subscribe()

    result = pull_and_commit(db, types, sub, transport=transport)

    assert (result.new, result.skipped) == (2, 2)
    assert len(articles(db, folder)) == 2


def test_an_article_deleted_by_the_editors_is_not_imported_again(db, types, folder, subscribe, transport):
    sub = subscribe(publish=True)
    pull_and_commit(db, types, sub, transport=transport)
    first, second = articles(db, folder)
    db.delete(first)
    db.commit()

    result = pull_and_commit(db, types, sub, transport=transport)

    assert (result.new, result.unchanged) == (0, 2)
    assert [a.id for a in articles(db, folder)] == [second.id]


def test_real_server_conditional_get_answers_304_and_nothing_changes(db, types, folder, subscribe):
    with FeedServer() as server:
        server.routes["/rss.xml"] = Answer(
            body=build_feed(sample_items(), "atom"), content_type="application/atom+xml"
        )
        sub = subscribe(server.url("/rss.xml"), publish=True)

        first = pull_and_commit(db, types, sub)
        assert first.new == 2
        db.refresh(sub)
        assert sub.etag.startswith('"')
        snapshot = [(a.id, a.title, a.modified) for a in articles(db, folder)]

        second = pull_and_commit(db, types, sub)

        assert second.not_modified and second.ok
        assert (second.new, second.updated) == (0, 0)
        assert [(a.id, a.title, a.modified) for a in articles(db, folder)] == snapshot
        assert entries(db, sub) == 2
        (_p1, h1), (_p2, h2) = server.requests
        assert "if-none-match" not in h1
        assert h2["if-none-match"] == sub.etag
        assert h1["user-agent"].startswith("portal-feed-import/")


def test_an_address_typed_with_vietnamese_letters_is_fetched(db, types, folder, subscribe):
    with FeedServer() as server:
        server.routes["/tin%20t%E1%BB%A9c/rss.xml"] = Answer(body=build_feed(sample_items()))
        sub = subscribe(server.url("/tin tức/rss.xml"))
        result = pull_and_commit(db, types, sub)
    assert result.ok and result.new == 2, result.summary()


def _broken(server, kind):
    """(url, fetch options) of a feed broken in the way ``kind`` says."""
    if kind == "refused":
        return refused_url(), {}
    if kind == "invalid":
        server.routes["/hong.xml"] = Answer(body=b"<html><body>Trang bao tri <<<", content_type="text/html")
    elif kind == "500":
        server.routes["/hong.xml"] = Answer(status=500, body=b"loi")
    elif kind == "too-large":
        server.routes["/hong.xml"] = Answer(body=build_feed(sample_items() * 40))
        return server.url("/hong.xml"), {"max_bytes": 4096}
    return server.url("/hong.xml"), {}


@pytest.mark.parametrize(
    "kind, message",
    [
        ("invalid", "không phải nguồn tin RSS hoặc Atom"),
        ("500", "HTTP 500"),
        ("refused", "Không kết nối được"),
        ("too-large", "quá lớn"),
    ],
)
def test_a_broken_feed_is_reported_and_the_next_one_still_imports(
    db, types, folder, subscribe, kind, message
):
    with FeedServer() as server:
        server.routes["/tot.xml"] = Answer(body=build_feed(sample_items()))
        url, options = _broken(server, kind)
        broken = subscribe(url, publish=True)
        good = subscribe(server.url("/tot.xml"), publish=True)

        results = [pull_and_commit(db, types, s, **options) for s in (broken, good)]

    assert not results[0].ok and message in results[0].error
    assert results[1].ok and results[1].new == 2
    db.refresh(broken)
    assert message in broken.last_error and broken.last_checked_at is not None
    assert broken.etag == ""
    assert entries(db, broken) == 0
    assert len(articles(db, folder)) == 2


def test_only_http_and_https_are_fetched(db, types, folder, subscribe):
    sub = subscribe("file:///etc/passwd")
    result = pull_and_commit(db, types, sub)
    assert not result.ok and "http://" in result.error
    assert articles(db, folder) == []


# --- the @@nguon-tin views ---------------------------------------------------------------


@pytest.fixture
def admin(as_user):
    return as_user("admin")


@pytest.fixture
def injected(wsgi_app, routes):
    """The app's pulls go to the test's feed application."""
    wsgi_app.registry["portal.feedimport.transport"] = wsgi_transport(feed_app(routes))
    yield
    wsgi_app.registry.pop("portal.feedimport.transport", None)


def subs_of(db, folder) -> list[FeedSubscription]:
    db.expire_all()
    return db.scalars(select(FeedSubscription).where(FeedSubscription.folder_id == folder.id)).all()


def test_the_folder_toolbar_links_to_its_feeds_and_a_subscription_is_added(db, admin, folder):
    page = admin.get(folder.path)
    assert f'href="http://localhost{folder.path}@@nguon-tin"' in page.text
    page = admin.get(folder.path + "@@nguon-tin")
    assert "Thư mục này chưa đăng ký nguồn tin nào." in page.text
    form = page.forms["deform"]
    form["url"] = "  " + FEED_URL + " "
    form["mode"] = "publish"
    res = form.submit("save")
    assert res.status_int == 302
    (sub,) = subs_of(db, folder)
    assert (sub.url, sub.publish_at_once) == (FEED_URL, True)
    assert sub.created_by == db.scalar(select(User.id).where(User.login == "admin"))
    listing = res.follow()
    assert FEED_URL in listing.text and "Chưa lấy" in listing.text and "Xuất bản ngay" in listing.text


def test_a_bad_url_keeps_what_was_typed_and_says_why_in_vietnamese(db, admin, folder):
    form = admin.get(folder.path + "@@nguon-tin").forms["deform"]
    form["url"] = "ftp://tinh.example.vn/tin-tức"
    res = form.submit("save", status=400)
    assert "Địa chỉ phải bắt đầu bằng http:// hoặc https://" in res.text
    assert 'value="ftp://tinh.example.vn/tin-tức"' in res.text
    assert subs_of(db, folder) == []


def test_the_same_feed_twice_in_a_folder_is_refused(db, admin, folder, subscribe):
    subscribe()
    form = admin.get(folder.path + "@@nguon-tin").forms["deform"]
    form["url"] = FEED_URL
    res = form.submit("save", status=400)
    assert "Thư mục này đã đăng ký nguồn tin này." in res.text
    assert len(subs_of(db, folder)) == 1


def test_adding_without_csrf_is_refused(db, admin, folder):
    res = admin.post(
        folder.path + "@@nguon-tin", {"url": FEED_URL, "mode": "pending", "save": "save"}, status=400
    )
    assert "Phiên làm việc đã hết hạn" in res.text
    assert subs_of(db, folder) == []


def test_an_editor_may_subscribe_but_not_publish_at_once(db, as_user, folder):
    editor = as_user("editor")
    form = editor.get(folder.path + "@@nguon-tin").forms["deform"]
    form["url"] = FEED_URL
    form["mode"] = "publish"
    res = form.submit("save", status=400)
    assert "Bạn không có quyền xuất bản ở thư mục này" in res.text
    form = res.forms["deform"]
    form["mode"] = "pending"
    assert form.submit("save").status_int == 302
    assert [s.publish_at_once for s in subs_of(db, folder)] == [False]


def test_contributors_readers_and_anonymous_may_not_manage_feeds(db, as_user, folder, subscribe, make):
    sub = subscribe()
    for user in ("contributor", "reader", "nobody"):
        app = as_user(user)
        app.get(folder.path + "@@nguon-tin", status=403)
        token = csrf_from(app.get("/dang-xuat"))
        app.post(folder.path + "@@nguon-tin-lay", {"csrf_token": token, "id": str(sub.id)}, status=403)
        app.post(folder.path + "@@nguon-tin-xoa", {"csrf_token": token, "id": str(sub.id)}, status=403)
    anonymous = as_user("anonymous")
    assert "/dang-nhap" in anonymous.get(folder.path + "@@nguon-tin", status=302).location
    # Not on a page, not in a folder one may not edit.
    page = make("page", folder, "Trang", state="published")
    as_user("admin").get(page.path + "@@nguon-tin", status=404)
    assert len(subs_of(db, folder)) == 1


def test_pull_now_imports_and_reports_the_outcome(db, admin, folder, subscribe, injected, routes):
    sub = subscribe(publish=True)
    page = admin.get(folder.path + "@@nguon-tin")
    form = next(f for f in page.forms.values() if f.action.endswith("@@nguon-tin-lay"))
    res = form.submit()
    assert res.status_int == 302
    shown = res.follow()
    assert "Đã lấy tin từ “Tin tức tỉnh Đồng Nai”: 2 tin mới, 0 tin cập nhật" in shown.text
    assert [a.state for a in articles(db, folder)] == ["published", "published"]
    assert "<td>2</td>" in shown.text  # imported items counted in the list

    # Pulled again: nothing new. Then the source breaks: the error is shown and kept.
    res = next(f for f in shown.forms.values() if f.action.endswith("@@nguon-tin-lay")).submit().follow()
    assert "0 tin mới, 0 tin cập nhật, 2 tin không đổi" in res.text
    routes["/tin-tuc/rss.xml"] = Answer(status=500)
    res = next(f for f in res.forms.values() if f.action.endswith("@@nguon-tin-lay")).submit().follow()
    assert "Không lấy được tin từ “Tin tức tỉnh Đồng Nai”: Máy chủ nguồn tin trả lỗi HTTP 500." in res.text
    db.refresh(sub)
    assert sub.last_error == "Máy chủ nguồn tin trả lỗi HTTP 500."
    assert len(articles(db, folder)) == 2


def test_pull_now_without_csrf_is_refused(db, admin, folder, subscribe, injected):
    sub = subscribe()
    admin.post(folder.path + "@@nguon-tin-lay", {"id": str(sub.id)}, status=400)
    assert articles(db, folder) == []


def test_delete_asks_then_needs_csrf_and_keeps_the_articles(db, admin, folder, subscribe, injected, make):
    sub = subscribe()
    token = csrf_from(admin.get("/dang-xuat"))
    admin.post(folder.path + "@@nguon-tin-lay", {"csrf_token": token, "id": str(sub.id)})
    confirm = admin.get(folder.path + f"@@nguon-tin-xoa?id={sub.id}")
    assert "Xóa nguồn tin" in confirm.text
    admin.post(folder.path + f"@@nguon-tin-xoa?id={sub.id}", status=400)  # no token
    assert len(subs_of(db, folder)) == 1
    # Another folder's subscription is not reachable from here.
    other = make("folder", title="Thư mục khác", state="published")
    admin.get(other.path + f"@@nguon-tin-xoa?id={sub.id}", status=404)
    admin.get(folder.path + "@@nguon-tin-xoa?id=abc", status=400)
    for odd in ("²", "99999999999999999", "0"):  # not a row id: a clear 400, never a database error
        admin.get(folder.path + f"@@nguon-tin-xoa?id={odd}", status=400)

    res = next(f for f in confirm.forms.values() if "@@nguon-tin-xoa" in f.action).submit()
    assert res.status_int == 302
    assert subs_of(db, folder) == []
    assert len(articles(db, folder)) == 2


# --- the CLI -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_site(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("feeds") / "data"
    ok(portal(data_dir, "init", PORTAL_ADMIN_PASSWORD="mat-khau-quan-tri-01"))
    ok(portal(data_dir, "demo"))
    return data_dir


def test_cli_feeds_add_list_pull_remove(cli_site):
    from sqlalchemy.orm import Session

    from portal.db import make_engine

    folder = "/tin-tuc/tin-hoat-dong/"
    with FeedServer() as server:
        server.routes["/hong.xml"] = Answer(status=500)
        server.routes["/tot.xml"] = Answer(body=build_feed(sample_items()))
        added = ok(portal(cli_site, "feeds", "add", "tin-tuc/tin-hoat-dong", server.url("/hong.xml")))
        assert "Đã đăng ký nguồn tin số" in added.stdout and "chờ duyệt" in added.stdout
        ok(portal(cli_site, "feeds", "add", folder, server.url("/tot.xml"), "--publish"))
        listed = ok(portal(cli_site, "feeds", "list")).stdout.splitlines()
        assert len(listed) == 2
        broken_id, good_id = (line.split("\t")[0] for line in listed)
        assert listed[1].split("\t")[1:4] == [folder, server.url("/tot.xml"), "xuất bản ngay"]

        # The broken feed first: the good one still imports; the run fails and says how many.
        result = portal(cli_site, "feeds", "pull", PORTAL_FEEDS_ALLOW_PRIVATE="true")
        fails_with_one_line(result, "1 nguồn tin bị lỗi")
        lines = result.stdout.splitlines()
        assert lines[0].startswith(f"{broken_id}\t") and "HTTP 500" in lines[0]
        assert lines[1].startswith(f"{good_id}\t") and "2 tin mới" in lines[1]

        # Pulled again: the server answers 304; only this feed, so the run succeeds.
        again = ok(portal(cli_site, "feeds", "pull", "--id", good_id, PORTAL_FEEDS_ALLOW_PRIVATE="true"))
        assert "304" in again.stdout
        listed = ok(portal(cli_site, "feeds", "list")).stdout
        assert "2 tin" in listed and "lỗi: Máy chủ nguồn tin trả lỗi HTTP 500." in listed

    engine = make_engine(f"sqlite:///{cli_site / 'portal.sqlite'}")
    try:
        with Session(engine) as db:
            parent = db.scalar(
                select(NewsArticle.parent_id).where(NewsArticle.source_url.like("https://tinh.%"))
            )
            imported = db.scalars(
                select(NewsArticle).where(NewsArticle.source_url.like("https://tinh.%"))
            ).all()
            assert len(imported) == 2 and {a.state for a in imported} == {"published"}
            assert db.get(NewsArticle, imported[0].id).path.startswith(folder)
            assert parent is not None
    finally:
        engine.dispose()

    ok(portal(cli_site, "feeds", "remove", broken_id))
    listed = ok(portal(cli_site, "feeds", "list")).stdout.splitlines()
    assert [line.split("\t")[0] for line in listed] == [good_id]


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["add", "/khong-co/", "https://tinh.example.vn/rss.xml"], "không có thư mục /khong-co/"),
        (["add", "/lien-he-truc-tuyen/", "https://tinh.example.vn/rss.xml"], "không phải thư mục"),
        (["add", "/tin-tuc/", "ftp://tinh.example.vn/rss.xml"], "http:// hoặc https://"),
        (["add", "/tin-tuc/", "tinh.example.vn/rss.xml"], "http:// hoặc https://"),
        (
            ["add", "/tin-tuc/", "https://tinh.example.vn/rss.xml", "--owner", "khong-ai"],
            "không có người dùng",
        ),
        (["remove", "999"], "không có nguồn tin số 999"),
        (["pull", "--id", "999"], "không có nguồn tin số 999"),
    ],
)
def test_cli_feeds_bad_input_fails_with_one_line(cli_site, args, fragment):
    fails_with_one_line(portal(cli_site, "feeds", *args), fragment)


@pytest.mark.parametrize(
    "address, public",
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.1.10", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),
        ("::1", False),
        ("::ffff:127.0.0.1", False),
        ("fe80::1%eth0", False),
        ("0.0.0.0", False),
    ],
)
def test_only_public_addresses_count_as_public(address, public):
    from portal.feedimport.fetch import _public_address

    assert _public_address((address, 80)) is public


def test_a_feed_on_the_servers_own_network_is_refused_by_default(db, types, folder, subscribe):
    """SSRF: an editor's URL must not make the server read its loopback or LAN."""
    with FeedServer() as server:
        server.routes["/rss.xml"] = Answer(body=build_feed(sample_items()))
        sub = subscribe(server.url("/rss.xml"), publish=True)
        refused = pull_and_commit(db, types, sub, allow_private=False)
        assert not refused.ok and "mạng nội bộ" in refused.error
        assert server.requests == []
        assert articles(db, folder) == []
        allowed = pull_and_commit(db, types, sub, allow_private=True)
    assert allowed.ok and allowed.new == 2
