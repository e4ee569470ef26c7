"""Link: an editor adds a link to another site; the address must be http(s)."""

from tests.conftest import login


def test_editor_adds_a_link_and_anonymous_follows_it_once_published(app, make):
    make("folder", title="Liên kết website", state="published")
    login(app, "editor")
    form = app.get("/lien-ket-website/@@add?type=link").forms["deform"]
    form["title"] = "Cổng Dịch vụ công quốc gia"
    form["url"] = "javascript:alert(1)"
    res = form.submit("save", status=400)
    assert "http:// hoặc https://" in res.text
    assert res.forms["deform"]["title"].value == "Cổng Dịch vụ công quốc gia"
    form = res.forms["deform"]
    form["url"] = "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html"
    url = form.submit("save").location
    assert url.endswith("/lien-ket-website/cong-dich-vu-cong-quoc-gia/")
    assert app.get(url + "@@workflow").forms["deform"].submit("submit").status_int == 302
    login(app, "reviewer")
    assert app.get(url + "@@workflow").forms["deform"].submit("publish").status_int == 302

    app.reset()
    page = app.get(url)
    link = page.html.select_one("main a.btn")
    assert link["href"] == "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html"
    assert "noopener" in link["rel"]


def test_link_without_a_host_is_refused(app, make):
    make("folder", title="Mục", state="published")
    login(app, "editor")
    form = app.get("/muc/@@add?type=link").forms["deform"]
    form["title"] = "Hỏng"
    form["url"] = "https:///duong-dan"
    assert "thiếu tên miền" in form.submit("save", status=400).text
