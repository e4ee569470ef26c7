"""In a real browser: an editor writes a news article with a lead image and its
caption, a reviewer publishes it, and a visitor on a phone finds it on the home page."""

import io
import urllib.request
from urllib.parse import urljoin

import feedparser
from PIL import Image

from tests.browser.test_editor_flow import log_in, log_out


def jpeg(tmp_path):
    path = tmp_path / "quay-mot-cua.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (1200, 675), (30, 100, 160)).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return path


def test_editor_adds_illustrated_article_reviewer_publishes_phone_visitor_reads(
    page, browser, server, tmp_path
):
    log_in(page, server, "editor")
    page.goto(server + "/@@add?type=folder")
    page.fill("input[name=title]", "Cải cách hành chính")
    page.select_option("select[name=home_block]", "news")
    page.click("button[name=save]")
    page.wait_for_url(server + "/cai-cach-hanh-chinh/")

    page.goto(server + "/cai-cach-hanh-chinh/@@add?type=news")
    page.fill("input[name=title]", "Một cửa phường tiếp nhận hồ sơ ngày thứ Bảy")
    page.fill("textarea[name=lead]", "Người dân làm thủ tục cả sáng thứ Bảy.")
    page.locator("input[type=file]").first.set_input_files(str(jpeg(tmp_path)))
    page.fill("input[name=image_caption]", "Quầy tiếp nhận sáng thứ Bảy")
    page.fill("input[name=image_credit]", "Minh Anh")
    page.fill("input[name=tags]", "một cửa, thứ Bảy")
    page.click("button[name=save]")
    url = server + "/cai-cach-hanh-chinh/mot-cua-phuong-tiep-nhan-ho-so-ngay-thu-bay/"
    page.wait_for_url(url)
    assert "Ảnh: Minh Anh" in page.inner_text("figure.lead-image figcaption")
    # The lead image really loads (a rendition made by the portal).
    assert page.evaluate("document.querySelector('figure.lead-image img').naturalWidth") > 0

    for path in (
        "/cai-cach-hanh-chinh/",
        "/cai-cach-hanh-chinh/mot-cua-phuong-tiep-nhan-ho-so-ngay-thu-bay/",
    ):
        page.goto(server + path + "@@workflow")
        page.click("button[name=submit]")
    log_out(page, server)

    log_in(page, server, "reviewer")
    for path in (
        "/cai-cach-hanh-chinh/",
        "/cai-cach-hanh-chinh/mot-cua-phuong-tiep-nhan-ho-so-ngay-thu-bay/",
    ):
        page.goto(server + path + "@@workflow")
        page.click("button[name=publish]")
    log_out(page, server)
    assert page.errors == []

    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="vi-VN", is_mobile=True)
    try:
        visitor = phone.new_page()
        visitor.goto(server + "/")
        visitor.click("#tin-moi ~ ul >> text=Một cửa phường tiếp nhận hồ sơ ngày thứ Bảy")
        visitor.wait_for_url(url)
        assert "Quầy tiếp nhận sáng thứ Bảy" in visitor.inner_text("main")
        # Nothing wider than the phone's screen.
        assert visitor.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        phone.close()

    # And in the section's feed, which the folder page advertises.
    page.goto(server + "/cai-cach-hanh-chinh/")
    feed_url = page.get_attribute("head link[rel=alternate][type='application/rss+xml']", "href")
    assert feed_url.endswith("/cai-cach-hanh-chinh/rss.xml")
    feed = feedparser.parse(urllib.request.urlopen(urljoin(server + "/", feed_url), timeout=10).read())
    assert feed.bozo == 0
    assert [e.title for e in feed.entries] == ["Một cửa phường tiếp nhận hồ sơ ngày thứ Bảy"]
    assert feed.entries[0].link == url
