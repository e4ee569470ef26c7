"""/quan-tri: each user sees the staff pages they may open, and the header links there."""

from __future__ import annotations

import pytest

ALL = {
    "/quan-tri/tu-dong-nghia",
    "/quan-tri/tim-kiem-khong-ket-qua",
    "/quan-tri/phan-hoi",
    "/quan-tri/khao-sat/y-kien",
    "/quan-tri/khao-sat",
    "/quan-tri/phan-anh-kien-nghi",
    "/quan-tri/ho-so",
}


def links(res) -> set[str]:
    return {a.get("href").replace("http://localhost", "") for a in res.html.select(".admin-pages a")}


@pytest.mark.parametrize(
    "user, expected",
    [
        ("admin", ALL),
        (
            "editor",
            {"/quan-tri/tim-kiem-khong-ket-qua", "/quan-tri/phan-hoi", "/quan-tri/khao-sat/y-kien",
             "/quan-tri/phan-anh-kien-nghi"},
        ),  # fmt: skip
        ("reviewer", {"/quan-tri/phan-hoi", "/quan-tri/khao-sat/y-kien"}),
    ],
)
def test_each_user_sees_the_pages_they_may_open(app, as_user, user, expected):
    as_user(user)
    res = app.get("/quan-tri")
    assert links(res) == expected
    # Every page listed opens for that user.
    for href in expected:
        assert app.get(href).status_int == 200
    assert res.html.select_one(".user-links a[href$='/quan-tri']") is not None


def test_users_without_staff_pages_get_a_message_and_no_header_link(app, as_user):
    as_user("contributor")
    res = app.get("/quan-tri/")
    assert links(res) == set()
    assert "chưa được giao trang quản trị nào" in res.text
    assert res.html.select_one(".user-links a[href$='/quan-tri']") is None


def test_anonymous_visitors_are_sent_to_log_in(app):
    res = app.get("/quan-tri", status=(302, 303, 403))
    assert "dang-nhap" in res.headers.get("Location", "") or res.status_int == 403
    assert "/quan-tri/ho-so" not in res.text


def test_a_page_declared_twice_is_a_configuration_conflict(settings, engine):
    from pyramid.exceptions import ConfigurationConflictError

    from portal import make_config

    config = make_config({**settings, "portal.db_bind": engine})
    config.add_admin_page("admin", "x", permission="view")
    config.add_admin_page("admin", "y", permission="view")
    with pytest.raises(ConfigurationConflictError):
        config.commit()
