"""In a real browser: an editor writes a page in the rich-text editor and submits it,
a reviewer publishes it, and an anonymous visitor then finds it in the navigation."""

from tests.browser.conftest import PASSWORD


def log_in(page, base, user):
    page.goto(base + "/dang-nhap")
    page.fill("input[name=login]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[name=do_login]")
    page.wait_for_url(base + "/")


def log_out(page, base):
    page.goto(base + "/dang-xuat")
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


def test_editor_writes_reviewer_publishes_visitor_reads(page, server):
    log_in(page, server, "editor")
    page.goto(server + "/@@add?type=folder")
    page.fill("input[name=title]", "Thông báo")
    page.click("button[name=save]")
    page.wait_for_url(server + "/thong-bao/")

    page.goto(server + "/thong-bao/@@add?type=page")
    page.fill("input[name=title]", "Lịch tiếp công dân tháng 12")
    # The body is a plain textarea until first used; then TinyMCE is fetched and
    # takes its place.
    assert page.locator("iframe.tox-edit-area__iframe").count() == 0
    page.click("textarea[name=body]")
    frame = page.frame_locator("iframe.tox-edit-area__iframe")
    frame.locator("body").fill("Chủ tịch tiếp công dân vào thứ Năm hằng tuần.")
    page.click("button[name=save]")
    page.wait_for_url(server + "/thong-bao/lich-tiep-cong-dan-thang-12/")
    assert "vào thứ Năm hằng tuần" in page.inner_text("main")

    for url in ("/thong-bao/", "/thong-bao/lich-tiep-cong-dan-thang-12/"):
        page.goto(server + url + "@@workflow")
        page.click("button[name=submit]")
    log_out(page, server)

    page.goto(server + "/thong-bao/lich-tiep-cong-dan-thang-12/")
    assert "Không tìm thấy trang" in page.inner_text("main")

    log_in(page, server, "reviewer")
    for url in ("/thong-bao/", "/thong-bao/lich-tiep-cong-dan-thang-12/"):
        page.goto(server + url + "@@workflow")
        page.fill("textarea[name=comment]", "Đồng ý đăng")
        page.click("button[name=publish]")
    log_out(page, server)

    page.goto(server + "/")
    page.click("nav.main-nav >> text=Thông báo")
    page.click("text=Lịch tiếp công dân tháng 12")
    assert "vào thứ Năm hằng tuần" in page.inner_text("main")
    assert page.errors == []


def test_keyboard_reaches_the_login_form_and_focus_is_visible(page, server):
    page.goto(server + "/")
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.textContent")
    assert "Bỏ qua đến nội dung chính" in skip
    page.goto(server + "/dang-nhap")
    page.focus("input[name=login]")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
