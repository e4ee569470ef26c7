"""The public site with the whole demo loaded: every page type renders for anonymous
visitors, and an item that is retracted or expires leaves every page and block."""

import datetime as dt
import re

import pytest

from portal.demo import load_demo
from portal.models import Node, utcnow
from tests.conftest import login

PUBLIC_PAGES = [
    "/",
    "/tin-tuc/cai-cach-hanh-chinh/",
    "/thu-tuc-hanh-chinh",
    "/thu-tuc-hanh-chinh?trang=2",
    "/van-ban",
    "/van-ban?trang=2",
    "/ra-soat-van-ban",
]


@pytest.fixture
def demo_site(db, types, root):
    created = load_demo(db, types, root, None)
    db.commit()
    return created


def links_under(page, prefix: str) -> list[str]:
    """Absolute-path links of ``page`` that lead to items under ``prefix``."""
    found = []
    for a in page.html.select("main a[href]"):
        path = re.sub(r"^https?://[^/]+", "", a["href"]).split("?")[0]
        if path.startswith(prefix) and path != prefix and "@@" not in path and path not in found:
            found.append(path)
    return found


def test_every_page_type_renders_the_demo_content(app, demo_site):
    assert demo_site > 100
    pages = {url: app.get(url) for url in PUBLIC_PAGES}
    home = pages["/"]
    for block in (
        "tin-noi-bat",
        "tin-moi",
        "van-ban-moi",
        "xem-nhieu",
        "lien-ket-website",
        "dich-vu-heading",
    ):
        assert home.html.select_one(f"#{block}"), block
    assert home.html.select_one(".procedure-search input[name=q]")

    articles = links_under(pages["/tin-tuc/cai-cach-hanh-chinh/"], "/tin-tuc/cai-cach-hanh-chinh/")
    procedures = links_under(pages["/thu-tuc-hanh-chinh"], "/thu-tuc-hanh-chinh/")
    documents = links_under(pages["/van-ban"], "/van-ban/")
    assert len(articles) >= 20 and len(procedures) >= 10 and len(documents) >= 10
    for url in (articles[0], procedures[0], documents[0]):
        page = app.get(url)
        assert page.html.select_one("main h1").text.strip()
    article = app.get(articles[0])
    assert article.html.select_one("figure.lead-image img")
    assert article.html.select_one("#moi-nhat") and article.html.select_one("#xem-nhieu")
    assert re.search(r"\d\d/\d\d/\d{4}", article.text)
    # Some articles carry a captioned picture inside the text, served to anonymous visitors.
    inline = app.get("/tin-tuc/cai-cach-hanh-chinh/cchc-01/").html.select_one(".body figure")
    assert inline.figcaption.text
    assert app.get(inline.img["src"]).content_type == "image/jpeg"


def test_retracted_and_expired_items_leave_every_page(app, db, demo_site):
    home = app.get("/")
    latest = [p for p in links_under(home, "/tin-tuc/") if p.count("/") == 4]  # articles, not sections
    documents = links_under(app.get("/van-ban"), "/van-ban/")
    procedures = links_under(app.get("/thu-tuc-hanh-chinh"), "/thu-tuc-hanh-chinh/")
    gone = [latest[0], documents[0], procedures[0]]
    expiring = [latest[1], documents[1]]
    for path in gone:
        db.query(Node).filter(Node.path == path).one().state = "private"
    for path in expiring:
        db.query(Node).filter(Node.path == path).one().expires = utcnow() - dt.timedelta(minutes=1)
    db.commit()

    for url in PUBLIC_PAGES + [latest[2]]:
        text = app.get(url).text
        for path in gone + expiring:
            assert f'{path}"' not in text, (url, path)
    for path in gone + expiring:
        app.get(path, status=404)


def test_anonymous_page_cache_is_per_query_and_never_serves_a_session(app, make):
    section = make("folder", title="Mục", state="published")
    make("page", section, "Trang một", state="published")
    first = app.get("/muc/")
    assert "Trang một" in first.text
    make("page", section, "Trang hai", state="published")  # a change empties the cache
    assert "Trang hai" in app.get("/muc/").text
    # Each query string is its own page.
    assert app.get("/muc/?trang=2").text != app.get("/muc/").text
    # Someone with a session (here: logged in) never gets the anonymous copy.
    login(app, "editor")
    assert app.get("/muc/").html.select_one(".toolbar")


def test_every_visit_is_counted_even_from_the_page_cache(app, make, registry):
    section = make("folder", title="Mục", state="published")
    items = [
        make("page", section, "Trang", state="published"),
        make("news", section, "Tin", state="published"),
        make("procedure", section, "Thủ tục", state="published"),
        make("legal_document", section, "Văn bản", state="published", number="1/2025/QĐ-UBND"),
    ]
    for item in items:
        for _ in range(3):
            app.get(item.path)
    pending = registry["portal.view_counter"].pending()
    assert {item.id: pending.get(item.id) for item in items} == {item.id: 3 for item in items}


def test_unknown_query_parameters_share_the_cached_page(app, make, registry):
    make("folder", title="Mục", state="published")
    app.get("/muc/")
    cache = registry["portal.block_cache"]
    before = len(cache._entries)
    for i in range(5):
        app.get(f"/muc/?x={i}")
    assert len(cache._entries) == before


@pytest.mark.parametrize("path", ["/thu-tuc-hanh-chinh", "/van-ban/", "/ra-soat-van-ban"])
def test_catalogues_answer_get_and_head_only(app, path):
    assert app.get(path).status_int == 200
    assert app.head(path).status_int == 200
    assert app.post(path, {"q": "x"}, expect_errors=True).status_int in (403, 404, 405)
