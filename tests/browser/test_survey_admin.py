"""The survey's administrator pages (site administrators only, so not in
checked_pages.py, whose staff pages are seen as an editor): axe finds no WCAG 2.1 A/AA
violation, and an administrator turns a question off with the mouse as a person would."""

from __future__ import annotations

import pytest

from tests.browser.checked_pages import DESKTOP, PHONE, log_in, new_context
from tests.browser.test_accessibility import WCAG_TAGS, describe


@pytest.fixture(scope="module")
def admin_page(browser, demo_server):
    context = new_context(browser, DESKTOP)
    log_in(context, demo_server, user="admin")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("path", ["/quan-tri/khao-sat", "/quan-tri/khao-sat/them"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_admin_pages_have_no_wcag_violations(admin_page, demo_server, path, viewport):
    from axe_playwright_python.sync_playwright import Axe

    admin_page.set_viewport_size(viewport)
    assert admin_page.goto(demo_server + path).status == 200
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations = Axe().run(admin_page, options=options).response["violations"]
    if violations:
        pytest.fail(f"{path}:\n" + describe(violations), pytrace=False)


def test_administrator_deactivates_and_reactivates_a_question(admin_page, demo_server):
    admin_page.set_viewport_size(DESKTOP)
    admin_page.goto(demo_server + "/quan-tri/khao-sat")
    row = admin_page.locator("tbody tr").first
    question = row.locator("th").inner_text().strip()
    row.get_by_role("button", name="Ngừng dùng").click()
    admin_page.wait_for_load_state("load")
    assert "vẫn được giữ" in admin_page.locator(".flash").inner_text()
    survey = admin_page.context.new_page()
    survey.goto(demo_server + "/khao-sat")
    assert question not in survey.locator("main").inner_text()
    survey.close()
    admin_page.locator("tbody tr", has_text=question).get_by_role("button", name="Dùng lại").click()
    admin_page.wait_for_load_state("load")
    assert "Câu hỏi đã được dùng lại." in admin_page.locator(".flash").inner_text()
