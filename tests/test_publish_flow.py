"""The foundation's promise: contributor adds and submits, reviewer publishes,
anonymous visitors then see the page at its URL and in the navigation."""

from tests.conftest import login


def test_contributor_submits_reviewer_publishes_anonymous_sees(app, make, db):
    folder = make("folder", title="Tin tức", state="published")
    from portal.models import LocalRole, User

    contributor = db.query(User).filter_by(login="contributor").one()
    db.add(LocalRole(node_id=folder.id, principal=contributor.principal, role="Contributor"))
    db.commit()

    login(app, "contributor")
    form = app.get("/tin-tuc/@@add?type=page").forms["deform"]
    form["title"] = "Thông báo lịch tiếp công dân"
    form["description"] = "Lịch tháng 12"
    form["body"] = "<p>Nội dung <script>alert(1)</script>chi tiết</p>"
    res = form.submit("save")
    assert res.status_int == 302
    url = res.location
    assert url.endswith("/tin-tuc/thong-bao-lich-tiep-cong-dan/")

    page = app.get(url)
    assert "Thông báo lịch tiếp công dân" in page.text
    assert "<script>alert(1)</script>" not in page.text

    wf = app.get(url + "@@workflow").forms["deform"]
    wf["comment"] = "Nhờ duyệt"
    assert wf.submit("submit").status_int == 302

    app.reset()
    app.get(url, status=404)
    assert "Thông báo lịch tiếp công dân" not in app.get("/tin-tuc/").text

    login(app, "reviewer")
    wf = app.get(url + "@@workflow").forms["deform"]
    wf["comment"] = "Đồng ý"
    assert wf.submit("publish").status_int == 302
    history = app.get(url + "@@history", status=403)  # reviewers do not edit
    assert history

    app.reset()
    public = app.get(url)
    assert "chi tiết" in public.text
    assert "Thông báo lịch tiếp công dân" in app.get("/tin-tuc/").text
