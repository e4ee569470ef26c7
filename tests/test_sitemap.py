"""/sitemap.xml (an index past the setting's number of URLs) and /robots.txt."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from portal.models import utcnow

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NOW = utcnow()
DAY = dt.timedelta(days=1)


def urls(res) -> list[tuple[str, str | None]]:
    assert res.content_type == "application/xml"
    root = ET.fromstring(res.body)
    assert root.tag == f"{{{NS['s']}}}urlset"
    return [(u.findtext("s:loc", namespaces=NS), u.findtext("s:lastmod", namespaces=NS))
            for u in root.findall("s:url", NS)]  # fmt: skip


def build(make):
    section = make("folder", title="Tin tức", state="published")
    make("news", section, "Công khai", state="published", effective=NOW - DAY)
    make("page", section, "Giới thiệu", state="published")
    make("news", section, "Nháp", state="private")
    make("news", section, "Hẹn giờ", state="published", effective=NOW + DAY)
    make("news", section, "Hết hạn", state="published", effective=NOW - 3 * DAY, expires=NOW - DAY)
    make("news", section, "Thu hồi", state="retracted")
    hidden = make("folder", section, "Riêng", state="private")
    make("news", hidden, "Trong mục riêng", state="published")


VISIBLE = {
    "http://localhost/",
    "http://localhost/tin-tuc/",
    "http://localhost/tin-tuc/cong-khai/",
    "http://localhost/tin-tuc/gioi-thieu/",
}


def test_sitemap_lists_only_what_anonymous_visitors_see(app, make):
    build(make)
    found = urls(app.get("/sitemap.xml"))
    assert {loc for loc, _ in found} == VISIBLE
    for _loc, lastmod in found:
        assert dt.datetime.fromisoformat(lastmod).utcoffset() == dt.timedelta(hours=7)


def test_a_scheduled_item_enters_the_sitemap_on_time(app, make, monkeypatch):
    build(make)
    later = NOW + DAY + dt.timedelta(minutes=1)
    for module in ("portal.feeds.sitemap", "portal.blocks", "portal.workflow"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: later)
    assert "http://localhost/tin-tuc/hen-gio/" in {loc for loc, _ in urls(app.get("/sitemap.xml"))}


def test_many_urls_make_an_index_of_parts(app, make, registry, monkeypatch):
    build(make)
    monkeypatch.setitem(registry.settings, "portal.sitemap.max_urls", "3")
    res = app.get("/sitemap.xml")
    root = ET.fromstring(res.body)
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    parts = [s.findtext("s:loc", namespaces=NS) for s in root.findall("s:sitemap", NS)]
    assert parts == ["http://localhost/sitemap-1.xml", "http://localhost/sitemap-2.xml"]
    seen = []
    for part in parts:
        found = urls(app.get(part))
        assert 0 < len(found) <= 3
        seen += [loc for loc, _ in found]
    assert sorted(seen) == sorted(VISIBLE)
    app.get("/sitemap-3.xml", status=404)
    app.get("/sitemap-0.xml", status=404)
    app.get("/sitemap-01.xml", status=404)
    app.get("/sitemap-x.xml", status=404)


def test_a_small_site_is_one_file(app, make, registry, monkeypatch):
    build(make)
    monkeypatch.setitem(registry.settings, "portal.sitemap.max_urls", "4")
    assert len(urls(app.get("/sitemap.xml"))) == 4


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_off_editing_views(app):
    res = app.get("/robots.txt")
    assert res.content_type == "text/plain"
    lines = res.text.splitlines()
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert "Disallow: /*@@edit" in lines and "Disallow: /dang-nhap" in lines
    # Public views (lead images, print) are not all blocked.
    assert "Disallow: /*@@" not in lines and "Disallow: /" not in lines
