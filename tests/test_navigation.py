"""Navigation: one rule for what anonymous visitors see, cached until it changes."""

import datetime as dt

from portal.models import utcnow
from tests.conftest import login


def nav_titles(app):
    html = app.get("/").text
    nav = html.split('aria-label="Điều hướng chính"', 1)[1].split("</nav>", 1)[0]
    return nav


def test_retracting_a_folder_removes_it_from_cached_navigation(app, make):
    make("folder", title="Giới thiệu", state="published")
    assert "Giới thiệu" in nav_titles(app)
    assert "Giới thiệu" in nav_titles(app)  # served from the cache now

    login(app, "editor")
    wf = app.get("/gioi-thieu/@@workflow").forms["deform"]
    assert wf.submit("retract").status_int == 302
    app.reset()
    assert "Giới thiệu" not in nav_titles(app)
    app.get("/gioi-thieu/", status=404)


def test_scheduled_item_enters_navigation_when_its_time_comes(app, make, monkeypatch):
    start = utcnow() + dt.timedelta(hours=1)
    make("folder", title="Lịch tiếp dân", state="published", effective=start)
    make("folder", title="Hết hạn", state="published", expires=utcnow() + dt.timedelta(hours=2))
    nav = nav_titles(app)
    assert "Lịch tiếp dân" not in nav and "Hết hạn" in nav

    later = start + dt.timedelta(minutes=1)
    monkeypatch.setattr("portal.layout.utcnow", lambda: later)
    monkeypatch.setattr("portal.workflow.utcnow", lambda: later)
    monkeypatch.setattr("portal.listing.utcnow", lambda: later)
    monkeypatch.setattr("portal.blocks.utcnow", lambda: later)  # the cached home page
    assert "Lịch tiếp dân" in nav_titles(app)

    much_later = start + dt.timedelta(hours=3)
    monkeypatch.setattr("portal.layout.utcnow", lambda: much_later)
    monkeypatch.setattr("portal.workflow.utcnow", lambda: much_later)
    monkeypatch.setattr("portal.blocks.utcnow", lambda: much_later)
    assert "Hết hạn" not in nav_titles(app)


def test_logged_in_editor_sees_private_items_in_navigation(app, make):
    make("folder", title="Bản nháp", state="private")
    assert "Bản nháp" not in nav_titles(app)
    login(app, "editor")
    assert "Bản nháp" in nav_titles(app)
    app.reset()
    assert "Bản nháp" not in nav_titles(app)


def test_excluded_items_stay_out_of_navigation(app, make):
    make("folder", title="Ẩn đi", state="published", exclude_from_nav=True)
    assert "Ẩn đi" not in nav_titles(app)
    app.get("/an-di/", status=200)
