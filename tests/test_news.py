"""News articles: the form (lead image, video, categories, tags), the article page and
its blocks, print and save views, and who may do what."""

import datetime as dt
import io
import time

import pytest
from PIL import Image as PILImage
from webtest import Upload

from content_types.news import DEFAULT_EMBED_HOSTS, NewsArticle, embed_src
from portal.models import ViewCount, utcnow
from portal.models.terms import CATEGORY, TAG
from portal.terms import set_terms
from tests.conftest import login

ALLOWED = set(DEFAULT_EMBED_HOSTS.split())


def jpeg_bytes(width=1600, height=900) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), (20, 90, 160)).save(buf, "JPEG")
    return buf.getvalue()


# The smallest MP4 the sniffer accepts: an ftyp box.
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


UPLOADS = {"image_upload": 0, "video_upload": 1}


def add_news(app, folder_url, title, **fields):
    form = app.get(folder_url + "@@add?type=news").forms["deform"]
    form["title"] = title
    for key, value in fields.items():
        if key in UPLOADS:
            # deform names every upload input "upload", inside its own mapping.
            form.set("upload", value, index=UPLOADS[key])
        else:
            form[key] = value
    return form.submit("save", expect_errors=True)


def publish(app, url, reviewer="reviewer"):
    login(app, reviewer)
    wf = app.get(url + "@@workflow").forms["deform"]
    assert wf.submit("publish").status_int == 302
    app.reset()


def news(make, parent, title, *, tags=(), categories=(), **fields):
    fields.setdefault("state", "published")
    node = make("news", parent, title, **fields)
    return node


def tagged(db, node, *, tags=(), categories=()):
    set_terms(node, TAG, tags)
    set_terms(node, CATEGORY, categories)
    db.commit()


def test_editor_adds_an_article_with_lead_image_and_reviewer_publishes_it(app, make):
    make("folder", title="Cải cách hành chính", state="published")
    login(app, "editor")
    res = add_news(
        app,
        "/cai-cach-hanh-chinh/",
        "Số hóa hồ sơ một cửa",
        lead="Mọi hồ sơ được số hóa khi tiếp nhận.",
        body="<p>Nội dung <b>chính</b></p><script>alert(1)</script>"
        '<figure><img src="/anh/a.jpg" alt="Quầy"><figcaption>Quầy tiếp nhận</figcaption></figure>',
        image_upload=Upload("quay.jpg", jpeg_bytes(), "image/jpeg"),
        image_caption="Người dân nộp hồ sơ",
        image_credit="Minh Anh",
        image_alt="Người dân đứng trước quầy",
        byline="Hà Linh",
        source="Báo Nhân Dân",
        source_url="https://nhandan.vn/bai",
        categories="Cải cách hành chính, Chuyển đổi số",
        tags="một cửa, số hóa, Một cửa",
    )
    assert res.status_int == 302, res.text[:3000]
    url = res.location
    page = app.get(url)
    assert "<script>alert(1)</script>" not in page.text
    assert page.html.select_one("p.lead").text == "Mọi hồ sơ được số hóa khi tiếp nhận."
    fig = page.html.select_one("figure.lead-image")
    img = fig.select_one("img")
    assert img["alt"] == "Người dân đứng trước quầy"
    assert "@@anh-dai-dien/320 320w" in img["srcset"] and "@@anh-dai-dien/1024 1024w" in img["srcset"]
    assert "Người dân nộp hồ sơ" in fig.text and "Ảnh: Minh Anh" in fig.text
    # The inline image keeps its caption through the sanitiser.
    assert page.html.select_one(".body figure figcaption").text == "Quầy tiếp nhận"
    assert [t.text for t in page.html.select(".tags .tag")] == ["một cửa", "số hóa"]
    assert "Hà Linh" in page.html.select_one(".byline").text

    # Not public until a reviewer publishes it.
    app.reset()
    app.get(url, status=404)
    login(app, "editor")
    wf = app.get(url + "@@workflow").forms["deform"]
    assert wf.submit("submit").status_int == 302
    publish(app, url)

    public = app.get(url)
    assert public.html.select_one("link[rel=canonical]")["href"] == url
    assert public.html.select_one('meta[property="og:title"]')["content"] == "Số hóa hồ sơ một cửa"
    assert "@@anh-dai-dien/1024" in public.html.select_one('meta[property="og:image"]')["content"]
    date = public.html.select_one(".news-article .meta time").text
    assert dt.datetime.strptime(date, "%H:%M %d/%m/%Y")
    rendition = app.get(url + "@@anh-dai-dien/640")
    assert rendition.content_type == "image/jpeg" and "public" in rendition.headers["Cache-Control"]
    assert PILImage.open(io.BytesIO(rendition.body)).size == (640, 360)
    app.get(url + "@@anh-dai-dien/777", status=404)
    assert app.get(url + "@@anh-dai-dien/goc").content_type == "image/jpeg"


def test_edit_keeps_the_lead_image_and_terms_until_changed(app, make):
    folder = make("folder", title="Tin", state="published")
    login(app, "editor")
    res = add_news(
        app, "/tin/", "Bài có ảnh", image_upload=Upload("a.jpg", jpeg_bytes(), "image/jpeg"), tags="a, b"
    )
    url = res.location
    form = app.get(url + "@@edit").forms["deform"]
    assert form["tags"].value == "a, b"
    form["tags"] = "b, c"
    assert form.submit("save").status_int == 302
    page = app.get(url)
    assert page.html.select_one("figure.lead-image img") is not None
    assert [t.text for t in page.html.select(".tags .tag")] == ["b", "c"]
    form = app.get(url + "@@edit").forms["deform"]
    assert "Đang dùng: a.jpg" in form.text
    form["image_remove"] = True
    form.submit("save")
    assert app.get(url).html.select_one("figure.lead-image") is None
    assert folder


@pytest.mark.parametrize(
    "upload, message",
    [
        (("a.jpg", b"%PDF-1.4 not an image", "image/jpeg"), "Chỉ nhận ảnh"),
        (("a.jpg", jpeg_bytes()[:300], "image/jpeg"), "Ảnh bị hỏng"),
    ],
)
def test_bad_lead_images_are_refused_keeping_the_form(app, make, upload, message):
    make("folder", title="Tin", state="published")
    login(app, "editor")
    res = add_news(app, "/tin/", "Bài lỗi ảnh", lead="Sapo giữ lại", image_upload=Upload(*upload))
    assert res.status_int == 400 and message in res.text
    form = res.forms["deform"]
    assert form["title"].value == "Bài lỗi ảnh" and form["lead"].value == "Sapo giữ lại"


def test_too_large_image_is_refused(app, make, registry, monkeypatch):
    make("folder", title="Tin", state="published")
    monkeypatch.setitem(registry.settings, "portal.upload.max_bytes", "1000")
    login(app, "editor")
    res = add_news(app, "/tin/", "Ảnh lớn", image_upload=Upload("a.jpg", jpeg_bytes(), "image/jpeg"))
    assert res.status_int == 400 and "Tệp quá lớn" in res.text


def test_video_embed_from_allowed_host_only(app, make):
    make("folder", title="Tin", state="published")
    login(app, "editor")
    res = add_news(app, "/tin/", "Video lạ", video_embed_url="https://evil.example/watch?v=abc")
    assert res.status_int == 400 and "Chỉ nhận đường dẫn video" in res.text
    res = add_news(
        app, "/tin/", "Có video", video_embed_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3"
    )
    assert res.status_int == 302
    page = app.get(res.location)
    frame = page.html.select_one(".video iframe")
    assert frame["src"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" and frame["title"]
    assert "frame-src https://www.youtube-nocookie.com" in page.headers["Content-Security-Policy"]
    # Other pages keep the strict policy.
    assert "frame-src" not in app.get("/tin/").headers["Content-Security-Policy"]


def test_uploaded_video_plays_and_seeks(app, make):
    make("folder", title="Tin", state="published")
    login(app, "editor")
    res = add_news(app, "/tin/", "Video tải lên", video_upload=Upload("v.mp4", MP4, "video/mp4"))
    assert res.status_int == 302, res.text[:2000]
    page = app.get(res.location)
    video = page.html.select_one(".video video")
    assert video["src"].endswith("@@video")
    full = app.get(video["src"])
    assert full.content_type == "video/mp4" and full.body == MP4
    part = app.get(video["src"], headers={"Range": "bytes=0-7"}, status=206)
    assert part.body == MP4[:8]
    res = add_news(app, "/tin/", "Không phải video", video_upload=Upload("v.mp4", b"hello", "video/mp4"))
    assert res.status_int == 400 and "Chỉ nhận video MP4 hoặc WebM" in res.text


@pytest.mark.parametrize("user", ["anonymous", "reader", "nobody"])
def test_only_authors_may_add_news(as_user, make, db, user):
    make("folder", title="Tin", state="published")
    app = as_user(user)
    res = app.get("/tin/@@add?type=news", expect_errors=True)
    assert res.status_int in (302, 403)
    if res.status_int == 302:  # anonymous visitors are sent to log in
        assert "/dang-nhap" in res.location
    res = app.post("/tin/@@add?type=news", {"title": "Bài lén", "save": "save"}, expect_errors=True)
    assert res.status_int in (302, 403)
    assert db.query(NewsArticle).filter(NewsArticle.title == "Bài lén").count() == 0


def test_contributor_may_add_but_not_publish(as_user, make):
    make("folder", title="Tin", state="published")
    app = as_user("contributor")
    res = add_news(app, "/tin/", "Bài cộng tác viên")
    assert res.status_int == 302
    wf = app.get(res.location + "@@workflow").forms["deform"]
    assert "publish" not in wf.fields


def test_article_blocks_show_only_what_anonymous_may_see(app, make, db):
    section = make("folder", title="Cải cách", state="published")
    other_section = make("folder", title="Thời sự", state="published")
    now = utcnow()
    main = news(make, section, "Bài chính")
    sibling = news(make, section, "Cùng mục", effective=now - dt.timedelta(days=1))
    related = news(make, other_section, "Cùng từ khóa", effective=now - dt.timedelta(days=2))
    hidden = news(make, section, "Bài nháp", state="private")
    past, hour = now - dt.timedelta(days=5), dt.timedelta(hours=1)
    expired = news(make, section, "Bài hết hạn", effective=past, expires=now - hour)
    future = news(make, section, "Bài hẹn giờ", effective=now + dt.timedelta(days=1))
    for node in (main, related, hidden, expired, future):
        tagged(db, node, tags=["một cửa"])
    db.add(ViewCount(node_id=related.id, count=99))
    db.add(ViewCount(node_id=hidden.id, count=500))
    db.commit()

    page = app.get(f"/cai-cach/{main.name}/")
    related_titles = [a.text for a in page.html.select("#lien-quan ~ ul a")]
    other_titles = [a.text for a in page.html.select("#tin-khac ~ ul a")]
    latest_titles = [a.text for a in page.html.select("#moi-nhat ~ ul a")]
    viewed_titles = [a.text for a in page.html.select("#xem-nhieu ~ ul a")]
    assert related_titles == ["Cùng từ khóa"]
    assert other_titles == ["Cùng mục"]
    assert latest_titles == ["Cùng mục", "Cùng từ khóa"]
    assert viewed_titles == ["Cùng từ khóa"]
    for title in ("Bài nháp", "Bài hết hạn", "Bài hẹn giờ"):
        assert title not in page.text
    assert sibling


def test_website_links_block_lists_links_of_marked_folders(app, make):
    links = make("folder", title="Liên kết", state="published", home_block="links")
    make("link", links, "Cổng Dịch vụ công quốc gia", state="published", url="https://dichvucong.gov.vn")
    make("link", links, "Liên kết nháp", state="private", url="https://example.org")
    section = make("folder", title="Tin", state="published")
    article = news(make, section, "Một bài")
    for url in ("/", f"/tin/{article.name}/"):
        block = app.get(url).html.select_one("#lien-ket-website").parent
        assert [a.text for a in block.select("a")] == ["Cổng Dịch vụ công quốc gia"]


def test_print_and_save_views(app, make):
    section = make("folder", title="Tin", state="published")
    article = news(make, section, "Bài để in", lead="Sapo", body="<p>Thân bài</p>")
    printed = app.get(f"/tin/{article.name}/@@in")
    assert "Thân bài" in printed.text and printed.html.select_one("[data-print]")
    assert printed.html.select_one("nav") is None  # no site navigation on paper
    assert "print.js" in printed.text
    saved = app.get(f"/tin/{article.name}/@@luu")
    assert saved.headers["Content-Disposition"] == f'attachment; filename="{article.name}.html"'
    assert "Thân bài" in saved.text and "data-print" not in saved.text


def test_share_links_need_no_third_party_script(app, make):
    section = make("folder", title="Tin", state="published")
    article = news(make, section, "Chia sẻ")
    page = app.get(f"/tin/{article.name}/")
    links = [a["href"] for a in page.html.select(".share a")]
    assert any(h.startswith("https://www.facebook.com/sharer/sharer.php?u=http") for h in links)
    assert all(s.get("src", "").startswith("http://localhost/") for s in page.html.select("script[src]"))


def test_home_page_blocks(app, make, db):
    cchc = make("folder", title="Cải cách hành chính", state="published", home_block="news")
    other = make("folder", title="Tin hoạt động", state="published")
    now = utcnow()
    for i in range(3):
        news(make, cchc, f"CCHC {i}", effective=now - dt.timedelta(hours=i + 1))
    news(make, other, "Tin nổi bật nhất", featured=True, effective=now - dt.timedelta(days=3))
    news(make, cchc, "CCHC nháp", state="private")
    page = app.get("/")
    featured = page.html.select_one("#tin-noi-bat").parent
    assert "Tin nổi bật nhất" in featured.text
    latest = [a.text for a in page.html.select("#tin-moi ~ ul a")]
    assert latest == ["CCHC 0", "CCHC 1", "CCHC 2"]  # the featured one is not repeated
    (section,) = [s for s in page.html.select("section.block") if s.h2.text == "Cải cách hành chính"]
    assert [a.text for a in section.select("li a")] == ["CCHC 0", "CCHC 1", "CCHC 2"]
    assert "CCHC nháp" not in page.text
    search = page.html.select_one(".procedure-search form")
    assert search["action"].endswith("/thu-tuc-hanh-chinh") and search.select_one("input[name=q]")
    assert page.html.select_one("label[for=tim-thu-tuc-q]")
    assert other


def test_scheduled_article_appears_on_the_home_page_on_time(app, make):
    section = make("folder", title="Tin", state="published")
    news(make, section, "Tin hẹn giờ", effective=utcnow() + dt.timedelta(seconds=1.5))
    assert "Tin hẹn giờ" not in app.get("/").text  # the blocks are now cached
    # No content changes meanwhile: the cache must end at the scheduled moment.
    time.sleep(1.6)
    assert "Tin hẹn giờ" in app.get("/").text


def test_home_and_article_pages_use_a_fixed_number_of_queries(app, make, count_statements):
    cchc = make("folder", title="CCHC", state="published", home_block="news")
    first = news(make, cchc, "Bài 0")
    app.get("/")
    home_small = count_statements("/")
    article_small = count_statements(f"/cchc/{first.name}/")
    for i in range(1, 15):
        news(make, cchc, f"Bài {i}", featured=i % 2 == 0)
    app.get("/")
    assert count_statements("/") == home_small
    assert count_statements(f"/cchc/{first.name}/") == article_small


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/123456", "https://player.vimeo.com/video/123456"),
        ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", None),  # not https
        ("https://www.youtube.com/watch?v=<script>", None),
        ("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", None),
        ("javascript:alert(1)", None),
        ("https://[broken", None),
    ],
)
def test_embed_src(url, expected):
    assert embed_src(url, ALLOWED) == expected


def test_demo_news_is_illustrated_and_idempotent(db, types, root):
    from portal.demo import load_demo

    first = load_demo(db, types, root, None)
    again = load_demo(db, types, root, None)
    assert first > 0 and again == 0
    from portal.models import Node

    cchc = db.query(Node).filter(Node.path == "/tin-tuc/cai-cach-hanh-chinh/").one()
    articles = db.query(NewsArticle).filter(NewsArticle.parent_id == cchc.id).all()
    assert len(articles) >= 30
    assert all(a.image_sha256 and a.image_width for a in articles)
    assert all(a.state == "published" for a in articles)
    assert cchc.home_block == "news"


def test_section_listing_shows_thumbnails_in_a_fixed_number_of_queries(app, make, count_statements):
    section = make("folder", title="Tin ảnh", state="published")
    make("page", section, "Trang thường", state="published")
    login(app, "editor")
    res = add_news(app, "/tin-anh/", "Có ảnh", image_upload=Upload("a.jpg", jpeg_bytes(), "image/jpeg"))
    publish(app, res.location)
    page = app.get("/tin-anh/")
    thumbs = page.html.select(".item-list li.with-thumb img.thumb")
    assert len(thumbs) == 1 and thumbs[0]["src"].endswith("@@anh-dai-dien/320")
    before = count_statements("/tin-anh/")
    for i in range(5):
        news(make, section, f"Thêm {i}")
    app.get("/")  # refill the navigation cache the new items emptied
    assert count_statements("/tin-anh/") == before


def test_cached_article_follows_every_change_and_never_serves_editors(app, make):
    section = make("folder", title="Tin", state="published")
    article = news(make, section, "Tiêu đề cũ")
    url = f"/tin/{article.name}/"
    assert "Tiêu đề cũ" in app.get(url).text
    assert "Tiêu đề cũ" in app.get(url).text  # now from the page cache
    login(app, "editor")
    page = app.get(url)
    assert page.html.select_one(".toolbar")  # not the anonymous copy
    form = app.get(url + "@@edit").forms["deform"]
    form["title"] = "Tiêu đề mới"
    assert form.submit("save").status_int == 302
    app.reset()
    assert "Tiêu đề mới" in app.get(url).text
    # Retracted: gone at once for anonymous visitors, cached copy or not.
    login(app, "reviewer")
    wf = app.get(url + "@@workflow").forms["deform"]
    assert wf.submit("retract").status_int == 302
    app.reset()
    app.get(url, status=404)
