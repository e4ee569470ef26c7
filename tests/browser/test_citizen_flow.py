"""In a real browser, a citizen on a 375x812 phone: the home page, a search typed
without diacritics in the header box, the procedures among the results, one of them,
and its online filing button with the QR code beside it."""

from __future__ import annotations

NARROW = "document.documentElement.scrollWidth <= 375"
IMAGE_LOADED = "(img) => img.complete && img.naturalWidth > 0"


def test_phone_home_search_procedure_online_filing_and_qr(browser, demo_server):
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, locale="vi-VN", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(demo_server + "/")
        assert page.evaluate(NARROW)
        box = page.locator("#hop-tim-kiem")
        box.tap()
        box.fill("thu tuc ho tich")
        page.locator("form.header-search button[type=submit]").tap()
        page.wait_for_url("**/tim-kiem?q=thu+tuc+ho+tich*")
        assert page.evaluate(NARROW)
        results = page.locator("main h2 a")
        assert results.count() > 0
        # Only the procedures: the type facet, as a citizen would tap it.
        page.locator(".search-facets a", has_text="Thủ tục hành chính").first.tap()
        page.wait_for_url("**loai=*")
        titles = [t.lower() for t in page.locator("main h2 a").all_inner_texts()]
        assert titles and any("hộ tịch" in t or "khai sinh" in t or "kết hôn" in t for t in titles)
        links = [a.get_attribute("href") for a in page.locator("main h2 a").all()][:10]

        # The first of them that can be filed online: its button and its QR code.
        for href in links:
            page.goto(href)
            button = page.locator("a", has_text="Nộp hồ sơ trực tuyến")
            if button.count():
                break
        else:
            raise AssertionError(f"none of {links} has online filing")
        assert page.evaluate(NARROW)
        assert button.first.is_visible()
        assert button.first.get_attribute("href").startswith("http")
        qr = page.locator("figure.qr-code img")
        qr.scroll_into_view_if_needed()
        assert qr.is_visible()
        assert qr.evaluate(IMAGE_LOADED)
        assert "Mã QR" in qr.get_attribute("alt")
        # Big enough to scan from the screen, and it fits the phone.
        box_size = qr.bounding_box()
        assert 120 <= box_size["width"] <= 375
        assert errors == []
    finally:
        context.close()
