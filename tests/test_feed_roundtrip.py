"""The round trip of issue 5: one portal's folder feed imported by another portal.

Portal A is the test app (host ``localhost``, the default site) with published news in
a folder; it serves that folder's outgoing feed at ``<folder>/rss.xml`` and
``<folder>/atom.xml`` (built in the feeds branch). Portal B is a second site on the same
install (host ``xa-b.localhost``) whose folder subscribes to A's feed; its pulls reach A
through the injected WSGI transport, so the whole of A's stack answers them.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from content_types.news import NewsArticle
from portal.bootstrap import ensure_site
from portal.feedimport.fetch import wsgi_transport
from portal.feedimport.importer import pull
from portal.feedimport.models import FeedSubscription
from portal.models import LocalRole, SiteHost, User, utcnow
from portal.permissions import Roles

B_HOST = "xa-b.localhost"


@pytest.fixture
def portal_a(make):
    """A's news folder: two published articles and one private draft (never in the feed)."""
    folder = make("folder", title="Tin của tỉnh", state="published")
    first = make(
        "news",
        folder,
        "Hội nghị triển khai nhiệm vụ năm mới",
        state="published",
        lead="Ủy ban nhân dân tỉnh giao chỉ tiêu cho các xã, phường.",
        body="<p>Hội nghị đã thống nhất <strong>mười nhiệm vụ</strong> trọng tâm.</p>",
    )
    second = make(
        "news",
        folder,
        "Ra mắt dịch vụ công trực tuyến mới",
        state="published",
        lead="Người dân nộp hồ sơ đất đai qua mạng.",
        body="<p>Dịch vụ áp dụng từ tháng sau.</p>",
    )
    make("news", folder, "Bản nháp chưa xuất bản", state="private", lead="Nháp.", body="<p>Nháp.</p>")
    return folder, [first, second]


@pytest.fixture
def portal_b(db, settings, make):
    """A second site on the install, where admin is site administrator, and its news folder."""
    root = ensure_site(db, {**settings, "portal.site_name": "Xã B"}, name="xa-b")
    db.add(SiteHost(host=B_HOST, site_id=root.site_id))
    admin = db.scalar(select(User).where(User.login == "admin"))
    db.add(LocalRole(node_id=root.id, principal=admin.principal, role=Roles.SiteAdministrator))
    db.commit()
    folder = make("folder", root, "Tin tỉnh", state="published")
    return folder


def subscribe(db, folder, url: str) -> FeedSubscription:
    admin_id = db.scalar(select(User.id).where(User.login == "admin"))
    sub = FeedSubscription(folder_id=folder.id, url=url, publish_at_once=True, created_by=admin_id)
    db.add(sub)
    db.commit()
    return sub


def imported(db, folder) -> dict[str, NewsArticle]:
    db.expire_all()
    rows = db.scalars(select(NewsArticle).where(NewsArticle.parent_id == folder.id)).all()
    return {a.source_url: a for a in rows}


@pytest.mark.parametrize("feed", ["rss.xml", "atom.xml"])
def test_a_folder_feed_is_imported_once_even_when_pulled_twice(db, types, app, portal_a, portal_b, feed):
    folder_a, news_a = portal_a
    sub = subscribe(db, portal_b, f"http://localhost{folder_a.path}{feed}")
    transport = wsgi_transport(app.app)

    first = pull(db, types, sub, transport=transport)
    db.commit()

    assert first.error == "" and first.new == 2, first.summary()
    got = imported(db, portal_b)
    # Each published article of A, once, linking back to it; the draft stays at A.
    assert set(got) == {f"http://localhost{n.path}" for n in news_a}
    for original in news_a:
        copy = got[f"http://localhost{original.path}"]
        assert copy.title == original.title
        assert copy.state == "published"
        assert copy.path.startswith(portal_b.path) and copy.site_id == portal_b.site_id

    second = pull(db, types, sub, transport=transport)
    db.commit()

    # A may answer 304 to the conditional GET, or the whole feed again: nothing new either way.
    assert second.error == "" and second.new == 0 and second.updated == 0, second.summary()
    assert len(imported(db, portal_b)) == 2

    # B's readers see the copy with A's article as its source.
    copy = got[f"http://localhost{news_a[0].path}"]
    page = app.get(copy.path, extra_environ={"HTTP_HOST": B_HOST})
    assert news_a[0].title in page.text
    assert f'href="http://localhost{news_a[0].path}"' in page.text


@pytest.mark.parametrize("feed", ["rss.xml", "atom.xml"])
def test_an_update_at_the_source_follows_to_the_copy(db, types, app, portal_a, portal_b, feed):
    folder_a, news_a = portal_a
    sub = subscribe(db, portal_b, f"http://localhost{folder_a.path}{feed}")
    transport = wsgi_transport(app.app)
    assert pull(db, types, sub, transport=transport).new == 2
    db.commit()
    before = imported(db, portal_b)
    link = f"http://localhost{news_a[0].path}"

    original = db.get(NewsArticle, news_a[0].id)
    original.title = "Hội nghị triển khai nhiệm vụ năm mới (đã bổ sung)"
    original.modified = utcnow()
    db.commit()

    result = pull(db, types, sub, transport=transport)
    db.commit()

    assert result.error == "" and (result.new, result.updated) == (0, 1), result.summary()
    after = imported(db, portal_b)
    assert len(after) == 2
    assert after[link].title == "Hội nghị triển khai nhiệm vụ năm mới (đã bổ sung)"
    # The same article at B, at the same address, in the same state.
    assert (after[link].id, after[link].name, after[link].state) == (
        before[link].id,
        before[link].name,
        "published",
    )
