"""The pages the accessibility and HTML checks look at, shared by
test_accessibility.py and test_html_valid.py.

A page is (name, path, link): with a ``link`` selector, the page checked is the
first link matching it on ``path`` (e.g. a procedure taken from the catalogue), so
the checks follow the demo content instead of hard-coding its names.
"""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}

PUBLIC = [
    ("home", "/", None),
    ("article", "/tin-tuc/cai-cach-hanh-chinh/cchc-01/", None),
    ("feedback-form", "/tin-tuc/cai-cach-hanh-chinh/cchc-01/@@phan-hoi", None),
    ("news-folder", "/tin-tuc/cai-cach-hanh-chinh/", None),
    ("procedures", "/thu-tuc-hanh-chinh", None),
    ("procedures-filtered", "/thu-tuc-hanh-chinh?q=khai+sinh&field=H%E1%BB%99+t%E1%BB%8Bch", None),
    ("procedure", "/thu-tuc-hanh-chinh", ".procedure-list tbody th[scope=row] a"),
    ("documents", "/van-ban", None),
    ("document", "/van-ban", ".legal-table tbody th[scope=row] a"),
    ("reviews", "/ra-soat-van-ban", None),
    ("review", "/ra-soat-van-ban", "#ket-qua ~ .table-wrap tbody th[scope=row] a"),
    ("review-list", "/ra-soat-van-ban", "section[aria-labelledby=danh-muc] .item-list a"),
    ("search", "/tim-kiem?q=khai+sinh", None),
    ("feeds", "/rss", None),
    ("tag", "/tin-tuc/cai-cach-hanh-chinh/cchc-01/", "a.tag"),
    ("search-filtered", "/tim-kiem?q=thu+tuc&loai=procedure", None),
    ("search-did-you-mean", "/tim-kiem?q=thu+tuc+ho+tihc", None),
    ("login", "/dang-nhap", None),
    ("not-found", "/khong-co-trang-nay/", None),
    ("english", "/en/contact/", None),  # an item in English: the UI around it too
    ("survey", "/khao-sat?ma=H23.10-250101-0001", None),
    ("survey-results", "/khao-sat/ket-qua", None),
    ("survey-thanks", "/khao-sat/cam-on", None),
    ("dossier-lookup", "/tra-cuu-ho-so", None),
    # A demo dossier (portal/citizen/dossiers/demo.py), opened as its receipt QR code does.
    ("dossier-result", "/tra-cuu-ho-so?ma=000.00.12.H12-261120-0007&bm=QH1234", None),
    ("petition-form", "/phan-anh-kien-nghi", None),
    ("petition-status", "/phan-anh-kien-nghi/tra-cuu?ma=PA-MAU3C6PJUD", None),  # a demo petition, answered
    ("question-answer", "/hoi-dap/thoi-han-dang-ky-ket-hon/", None),
]

EDITOR = [
    ("add-news", "/tin-tuc/cai-cach-hanh-chinh/@@add?type=news", None),
    ("edit-news", "/tin-tuc/cai-cach-hanh-chinh/cchc-01/@@edit", None),
    ("add-procedure", "/thu-tuc-hanh-chinh/@@add?type=procedure", None),
    ("contents", "/tin-tuc/cai-cach-hanh-chinh/@@contents", None),
    ("feed-subscriptions", "/tin-tuc/cai-cach-hanh-chinh/@@nguon-tin", None),
    ("search-zero-results", "/quan-tri/tim-kiem-khong-ket-qua", None),
    ("admin-index", "/quan-tri", None),
    ("feedback-queue", "/quan-tri/phan-hoi", None),
    ("survey-moderation", "/quan-tri/khao-sat/y-kien", None),
    ("petitions-admin", "/quan-tri/phan-anh-kien-nghi", None),
    ("petition-admin", "/quan-tri/phan-anh-kien-nghi", ".petition-table tbody th[scope=row] a"),
]

# Pages only site administrators reach (checked logged in as "admin").
ADMIN = [
    ("dossiers-staff", "/quan-tri/ho-so", None),
    ("survey-questions", "/quan-tri/khao-sat", None),
]


def new_context(browser, viewport):
    return browser.new_context(viewport=viewport, locale="vi-VN")


def log_in(context, base, user="editor"):
    """Log ``user`` in (every browser-test user has PASSWORD)."""
    page = context.new_page()
    page.goto(base + "/dang-nhap")
    page.fill("input[name=login]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[name=do_login]")
    page.wait_for_url(base + "/")
    page.close()


def resolve(page, base, path, link) -> str:
    """The absolute URL of a checked page (following ``link`` on ``path`` if given)."""
    if link is None:
        return base + path
    page.goto(base + path)
    href = page.locator(link).first.get_attribute("href")
    assert href, f"no link {link!r} on {path}"
    return href if href.startswith("http") else base + href
