"""Service links: added by editors, shown as a block on the home page once published."""

from tests.conftest import login


def test_published_service_links_show_on_the_home_page_in_order(app, make):
    box = make("folder", title="Dịch vụ", state="published", exclude_from_nav=True)
    make(
        "service_link",
        box,
        title="Tra cứu hồ sơ",
        state="published",
        url="https://dichvucong.gov.vn/tra-cuu",
        kind="tra-cuu",
        placement="home",
    )
    make(
        "service_link",
        box,
        title="Đường dây nóng",
        state="published",
        url="tel:1022",
        kind="duong-day-nong",
        placement="both",
    )
    make(
        "service_link",
        box,
        title="Chưa duyệt",
        state="pending",
        url="https://example.vn",
        kind="khao-sat",
        placement="home",
    )
    make(
        "service_link",
        box,
        title="Chỉ chân trang",
        state="published",
        url="https://example.vn",
        kind="khao-sat",
        placement="footer",
    )
    block = app.get("/").html.select_one("section.service-links")
    titles = [a.text.strip() for a in block.select("a")]
    assert titles == ["Tra cứu hồ sơ", "Đường dây nóng"]
    assert block.select("a")[1]["href"] == "tel:1022"
    assert block.select_one("img")["src"].endswith("/static/icons/tra-cuu.svg")


def test_service_link_under_a_private_folder_stays_hidden(app, make):
    box = make("folder", title="Nháp", state="private")
    make("service_link", box, title="Ẩn", state="published", url="https://a.vn", kind="tra-cuu")
    assert app.get("/").html.select_one("section.service-links") is None


def test_editor_adds_a_service_link_with_checked_address(app, make):
    make("folder", title="Dịch vụ", state="published")
    login(app, "editor")
    form = app.get("/dich-vu/@@add?type=service_link").forms["deform"]
    form["title"] = "Đường dây nóng"
    form["url"] = "tel:abc"
    form["kind"] = "duong-day-nong"
    res = form.submit("save", status=400)
    assert "Số điện thoại không hợp lệ" in res.text
    form = res.forms["deform"]
    form["url"] = "tel:0251 3800 100"
    assert form.submit("save").status_int == 302
