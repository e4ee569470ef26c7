"""In a real browser: the header search box suggests titles as you type (an ARIA
combobox driven by the keyboard) and still searches as a plain form; the
administrators' synonym page is reachable and valid for them."""

from __future__ import annotations

import pytest

from tests.browser.checked_pages import DESKTOP, PHONE, log_in, new_context


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_header_box_suggests_titles_and_keyboard_works(browser, demo_server, viewport):
    context = new_context(browser, viewport)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(demo_server + "/")
    box = page.locator("#hop-tim-kiem")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    box.click()
    box.type("thu tuc kh", delay=30)
    option = page.locator("#hop-tim-kiem-goi-y [role=option]").first
    option.wait_for(state="visible", timeout=5000)
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-autocomplete") == "list"
    title = option.inner_text()
    assert "hủ tục" in title or "khai" in title.lower()
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    assert option.get_attribute("aria-selected") == "true"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    # Enter with a suggestion chosen opens it.
    box.press("ArrowDown")  # reopens the list (fetched again): wait for it, as a person would
    option.wait_for(state="visible", timeout=5000)
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    with page.expect_navigation():
        box.press("Enter")
    assert page.locator("h1").inner_text().strip() == title.strip()
    # Without a suggestion chosen, Enter searches.
    page.goto(demo_server + "/")
    page.fill("#hop-tim-kiem", "ho tich")
    with page.expect_navigation():
        page.press("#hop-tim-kiem", "Enter")
    assert "/tim-kiem?q=ho+tich" in page.url
    assert errors == []
    context.close()


def test_synonym_page_for_administrators(browser, demo_server):
    context = new_context(browser, DESKTOP)
    log_in(context, demo_server, "admin")
    page = context.new_page()
    page.goto(demo_server + "/quan-tri/tu-dong-nghia")
    assert "UBND | Ủy ban nhân dân" in page.locator("textarea[name=groups]").input_value()
    page.goto(demo_server + "/tim-kiem?q=UBND")
    assert page.locator(".search-hit").count() > 0
    context.close()
