"""Forms tell everyone what is wrong and what is needed, not only sighted mouse users:
an announced error summary linking to each field in error, every control pointing at
its error message and help text, and required fields marked in words."""

from __future__ import annotations

from tests.conftest import csrf_from, login


def test_error_summary_is_announced_and_links_to_each_field(app):
    login(app, "admin")
    page = app.get("/@@add?type=page")
    res = app.post(
        "/@@add?type=page",
        {"csrf_token": csrf_from(page), "title": "", "name": "Tên Sai!", "save": "save"},
        status=400,
    )
    summary = res.html.select_one(".error-summary")
    assert summary["role"] == "alert"
    links = {a["href"]: a.get_text(" ", strip=True) for a in summary.select("a")}
    title = res.html.select_one("input[name=title]")
    name = res.html.select_one("input[name=name]")
    assert links[f"#{title['id']}"].startswith("Tiêu đề: Bắt buộc nhập")
    assert f"#{name['id']}" in links and len(links) == 2
    # The link targets exist, and each control names its own message.
    for control in (title, name):
        assert control["aria-invalid"] == "true"
        described = control["aria-describedby"].split()
        error = res.html.find(id=described[0])
        assert error is not None and "invalid-feedback" in error["class"]
        assert error.get_text(strip=True) in links[f"#{control['id']}"]
    # The name's help text is read too.
    help_text = res.html.find(id=f"help-{name['id']}")
    assert help_text is not None and help_text["id"] in name["aria-describedby"].split()
    # A field without an error is not marked invalid.
    assert not res.html.select_one("textarea[name=description]").has_attr("aria-invalid")


def test_required_fields_are_marked_in_words(app):
    login(app, "admin")
    page = app.get("/@@add?type=page")
    label = page.html.select_one(f"label[for={page.html.select_one('input[name=title]')['id']}]")
    assert "(bắt buộc)" in label.get_text()
    optional = page.html.select_one(f"label[for={page.html.select_one('textarea[name=description]')['id']}]")
    assert "bắt buộc" not in optional.get_text()


def test_log_in_errors_are_announced_too(app):
    page = app.get("/dang-nhap")
    form = {"csrf_token": csrf_from(page), "login": "", "password": "", "do_login": "1"}
    res = app.post("/dang-nhap", form, status=400)
    control = res.html.select_one("input[name=login]")
    assert control["aria-invalid"] == "true"
    assert res.html.select_one(".error-summary[role=alert]").select_one(f"a[href='#{control['id']}']")
