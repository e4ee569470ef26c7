"""Readers' feedback under articles (portal/citizen/feedback): the form at
``<article>/@@phan-hoi``, the moderation queue ``/quan-tri/phan-hoi``, what the article
page shows, and that personal data never reaches public pages, feeds, search or the API."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from portal.citizen.feedback.models import APPROVED, PENDING, REJECTED, Feedback
from portal.models import Node, Site, utcnow

EMAIL = "nguoi.gui.bi.mat@example.org"


@pytest.fixture
def article(make):
    folder = make("folder", title="Tin tức", state="published")
    title = "Phường ra mắt dịch vụ công mới"
    return make("news", folder, title, state="published", body="<p>Nội dung bài.</p>")


ARTICLE = "/tin-tuc/phuong-ra-mat-dich-vu-cong-moi/"
FORM = ARTICLE + "@@phan-hoi"


def add(db, node, name="Nguyễn Văn A", content="Góp ý hay", status=PENDING, email=EMAIL, days=0):
    item = Feedback(
        node_id=node.id,
        name=name,
        email=email,
        content=content,
        status=status,
        created=utcnow() - dt.timedelta(days=days),
    )
    db.add(item)
    db.commit()
    return item


def fill(app, name="Trần Thị Bình", email=EMAIL, content="Đề nghị phường\nniêm yết giờ làm việc.", **extra):
    form = app.get(FORM).forms["deform"]
    form["name"] = name
    form["email"] = email
    form["content"] = content
    for key, value in extra.items():
        form[key] = value
    return form.submit("send", expect_errors=True)


def stored(db):
    db.expire_all()
    return db.scalars(select(Feedback).order_by(Feedback.id)).all()


# --- the form -----------------------------------------------------------------------------


def test_article_links_to_the_form_and_the_form_has_its_fieldset(app, article):
    page = app.get(ARTICLE)
    assert 'href="http://localhost' + FORM + '"' in page.text
    assert "Gửi phản hồi" in page.text
    assert "csrf_token" not in page.text  # the article page may be cached whole
    form_page = app.get(FORM)
    assert form_page.text.count("<legend>Thông tin người gửi phản hồi</legend>") == 1
    labels = [" ".join(t.split()) for t in re.findall(r"<label[^>]*>\s*([^<]*)", form_page.text)]
    assert labels[-4:] == ["Để trống ô này", "Họ và tên", "Thư điện tử", "Nội dung phản hồi"]
    assert form_page.forms["deform"]["website"].value == ""  # the honeypot, empty


def test_sending_feedback_holds_it_for_moderation(app, article, db):
    res = fill(app)
    assert res.status_int == 303
    assert res.location == "http://localhost" + ARTICLE + "#phan-hoi"
    [item] = stored(db)
    assert (item.name, item.email, item.status) == ("Trần Thị Bình", EMAIL, PENDING)
    assert item.content == "Đề nghị phường\nniêm yết giờ làm việc."
    page = res.follow()
    assert "sau khi được kiểm duyệt" in page.text  # the flash
    assert "niêm yết giờ làm việc" not in page.text  # pending: not shown


def test_email_is_optional_and_input_is_nfc(app, article, db):
    decomposed = "Le\u0302 Va\u0306n"  # "Lê Văn" typed with combining marks
    assert fill(app, name=decomposed, email="").status_int == 303
    [item] = stored(db)
    assert item.name == "Lê Văn" and item.email == ""


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Bắt buộc"),
        ({"content": ""}, "Bắt buộc"),
        ({"email": "khong-phai-email"}, "Địa chỉ thư điện tử không hợp lệ"),
        ({"content": "x" * 2001}, "Dài quá 2000 ký tự"),
        ({"name": "y" * 201}, "Dài quá 200 ký tự"),
    ],
)
def test_bad_input_is_explained_in_vietnamese_and_kept(app, article, db, fields, message):
    values = {"name": "Trần Thị Bình", "email": EMAIL, "content": "Nội dung giữ lại"} | fields
    res = fill(app, **values)
    assert res.status_int == 400
    assert message in res.text
    assert "<legend>Thông tin người gửi phản hồi</legend>" in res.text
    form = res.forms["deform"]
    for key, value in values.items():
        assert form[key].value == value
    assert stored(db) == []


def test_huge_input_is_a_400_not_a_500(app, article, db):
    res = fill(app, content="á" * 200_000)
    assert res.status_int == 400
    assert stored(db) == []


def test_stale_csrf_keeps_what_was_typed(app, article, db):
    form = app.get(FORM).forms["deform"]
    form["name"], form["content"], form["csrf_token"] = "Trần Thị Bình", "Giữ nguyên", "hong"
    res = form.submit("send", expect_errors=True)
    assert res.status_int == 400
    assert "Phiên làm việc đã hết hạn" in res.text
    assert res.forms["deform"]["content"].value == "Giữ nguyên"
    assert stored(db) == []


def test_honeypot_filled_is_refused(app, article, db):
    res = fill(app, website="http://spam.example")
    assert res.status_int == 400
    assert "phải để trống" in res.text
    assert res.forms["deform"]["content"].value == "Đề nghị phường\nniêm yết giờ làm việc."
    assert stored(db) == []


def test_rate_limit_refuses_with_429_and_keeps_the_text(app, article, db, registry, monkeypatch):
    monkeypatch.setitem(registry.settings, "portal.limits.feedback", "2/3600")
    assert fill(app).status_int == 303
    assert fill(app).status_int == 303
    res = fill(app, content="Lần thứ ba")
    assert res.status_int == 429
    assert int(res.headers["Retry-After"]) > 0
    assert "Bạn đã gửi quá nhiều lần" in res.text
    assert res.forms["deform"]["content"].value == "Lần thứ ba"
    assert len(stored(db)) == 2


def test_no_form_on_items_without_feedback_or_hidden_from_visitors(app, make, as_user):
    make("page", title="Giới thiệu", state="published")
    assert app.get("/gioi-thieu/@@phan-hoi", status=404)
    folder = make("folder", title="Tin tức", state="published")
    make("news", folder, "Bản nháp", state="private")
    assert app.get("/tin-tuc/ban-nhap/@@phan-hoi", status=404)
    # An editor may read the draft, but feedback is taken only on what everyone can read.
    editor = as_user("editor")
    assert editor.get("/tin-tuc/ban-nhap/", status=200)
    assert editor.get("/tin-tuc/ban-nhap/@@phan-hoi", status=404)
    assert editor.post("/tin-tuc/ban-nhap/@@phan-hoi", {"name": "x", "content": "y"}, status=404)
    # Published but expired: the same.
    make("news", folder, "Hết hạn", state="published", expires=utcnow() - dt.timedelta(days=1))
    assert editor.get("/tin-tuc/het-han/", status=200)
    assert editor.get("/tin-tuc/het-han/@@phan-hoi", status=404)
    editor.reset()
    assert app.get("/tin-tuc/het-han/@@phan-hoi", status=404)


def test_staff_are_mailed_with_the_title_and_a_link_to_the_queue(
    app, article, smtp_sink, registry, monkeypatch
):
    monkeypatch.setitem(registry.settings, "portal.public_url", "https://phuong.example.gov.vn/")
    # Links in mail come from the setting, never from the Host header the sender chose.
    app.extra_environ = {**app.extra_environ, "HTTP_HOST": "evil.example"}
    assert fill(app).status_int == 303
    assert len(smtp_sink) == 1
    msg = smtp_sink[0]
    assert "Phường ra mắt dịch vụ công mới" in msg["Subject"]
    body = msg.get_content()
    assert "https://phuong.example.gov.vn/quan-tri/phan-hoi?trang-thai=cho-duyet" in body
    assert "evil.example" not in body
    assert "niêm yết giờ làm việc" in body
    assert "canbo@example.org" in msg["To"]


def test_a_title_with_a_line_break_cannot_inject_mail_headers(app, article, db, smtp_sink):
    article.title = "Tin mới\r\nBcc: ke-xau@example.org"
    db.commit()
    assert fill(app).status_int == 303
    [msg] = smtp_sink
    assert msg["Bcc"] is None
    assert "Tin mới Bcc: ke-xau@example.org" in msg["Subject"]


def test_a_refused_submission_mails_nobody(app, article, smtp_sink):
    assert fill(app, name="").status_int == 400
    assert smtp_sink == []


# --- the article page ----------------------------------------------------------------------


def test_article_shows_approved_feedback_only_without_email(app, article, db):
    add(db, article, name="Người Duyệt", content="Dòng một\nDòng <b>hai</b>", status=APPROVED, days=1)
    add(db, article, name="Người Chờ", content="Đang chờ", status=PENDING)
    add(db, article, name="Người Bị Từ Chối", content="Bị từ chối", status=REJECTED)
    page = app.get(ARTICLE)
    assert "Người Duyệt" in page.text
    assert "Dòng một<br>Dòng &lt;b&gt;hai&lt;/b&gt;" in page.text  # plain text, line breaks
    expected = (utcnow() - dt.timedelta(days=1)).astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert expected.strftime("%d/%m/%Y") in page.text
    assert "Phản hồi (1)" in page.text
    for hidden in ("Người Chờ", "Đang chờ", "Bị từ chối", EMAIL):
        assert hidden not in page.text


def test_approving_shows_on_the_cached_page_at_once(app, article, db, as_user):
    item = add(db, article, content="Xin cảm ơn phường")
    assert "Xin cảm ơn phường" not in app.get(ARTICLE).text  # now cached for visitors
    assert "Xin cảm ơn phường" not in app.get(ARTICLE).text
    mod = as_user("reviewer")
    page = mod.get("/quan-tri/phan-hoi")
    page.forms["kiem-duyet"].submit("mot", value=f"approve:{item.id}")
    mod.reset()
    assert "Xin cảm ơn phường" in app.get(ARTICLE).text
    # And rejecting takes it away again.
    mod = as_user("editor")
    mod.get("/quan-tri/phan-hoi").forms["kiem-duyet"].submit("mot", value=f"reject:{item.id}")
    mod.reset()
    assert "Xin cảm ơn phường" not in app.get(ARTICLE).text


def test_article_page_loads_feedback_in_one_query(app, article, db, count_statements):
    add(db, article, status=APPROVED)
    count_statements(ARTICLE)  # the navigation's own cache fills on the first request
    one = count_statements(ARTICLE)
    for i in range(8):
        add(db, article, name=f"Người {i}", status=APPROVED)
    assert count_statements(ARTICLE) == one


def test_deleting_the_article_deletes_its_feedback(app, article, db, as_user):
    add(db, article, status=APPROVED)
    add(db, article)
    from portal import tree

    node = db.get(Node, article.id)
    tree.delete(db, node)
    db.commit()
    assert db.scalar(select(func.count()).select_from(Feedback)) == 0


# --- privacy --------------------------------------------------------------------------------


def test_email_and_unapproved_feedback_never_in_feeds_or_api(app, article, db, registry, monkeypatch):
    monkeypatch.setitem(registry.settings, "portal.feeds.full_content", "true")
    add(db, article, name="Người Duyệt", content="Nội dung đã duyệt", status=APPROVED)
    add(db, article, name="Người Chờ", content="Nội dung đang chờ")
    for url in (
        "/rss.xml",
        "/atom.xml",
        "/feed.json",
        "/tin-tuc/rss.xml",
        "/sitemap.xml",
        "/api/v1/content" + ARTICLE,
        "/api/v1/content/tin-tuc/",
    ):
        text = app.get(url).text
        assert "phuong-ra-mat-dich-vu-cong-moi" in text, url  # the article is there
        for secret in (EMAIL, "Nội dung đang chờ", "Người Chờ"):
            assert secret not in text, (url, secret)


def test_email_never_in_search(app, article, db, wsgi_app, tmp_path):
    from search.engine import make_engine
    from search.synonyms import clear_cache

    registry = wsgi_app.registry
    previous = registry["portal.search"]
    registry["portal.search"] = make_engine("whoosh", tmp_path / "index")
    clear_cache(registry)
    try:
        add(db, article, name="Người Duyệt", content="Nội dung đã duyệt", status=APPROVED)
        add(db, article, name="Người Chờ", content="Nội dung đang chờ")
        registry["portal.search.reindex"]()
        found = app.get("/tim-kiem", params={"q": "dịch vụ công"})
        assert "Số kết quả: 1" in found.text and ARTICLE in found.text  # the index works
        for q in (EMAIL, "đang chờ", "Người Chờ", "Nội dung đã duyệt"):
            # Feedback is never indexed: nothing is found by its words or its e-mail.
            assert app.get("/api/v1/search", params={"q": q}).json["hits"] == [], q
            assert "search-hit" not in app.get("/tim-kiem", params={"q": q}).text
        for q in ("dịch vụ công", "Người Chờ"):
            for url in ("/tim-kiem", "/api/v1/search", "/tim-kiem/goi-y"):
                text = app.get(url, params={"q": q}).text
                assert EMAIL not in text and "Nội dung đang chờ" not in text
    finally:
        registry["portal.search"] = previous
        clear_cache(registry)


# --- moderation -----------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["anonymous", "reader", "contributor", "nobody"])
def test_queue_is_for_moderators_only(as_user, article, db, user):
    add(db, article)
    app = as_user(user)
    res = app.get("/quan-tri/phan-hoi", expect_errors=True)
    assert res.status_int in (403, 302, 303)
    assert EMAIL not in res.text
    res = app.post("/quan-tri/phan-hoi/xu-ly", {"action": "delete", "id": "1"}, expect_errors=True)
    assert res.status_int in (400, 403, 302, 303)
    assert len(stored(db)) == 1


@pytest.mark.parametrize("user", ["editor", "reviewer", "admin"])
def test_moderators_see_the_queue_with_email_pending_first(as_user, article, db, user):
    add(db, article, name="Cũ đã duyệt", status=APPROVED, days=3)
    add(db, article, name="Chờ cũ", days=2)
    add(db, article, name="Mới từ chối", status=REJECTED)
    page = as_user(user).get("/quan-tri/phan-hoi")
    text = page.text
    assert EMAIL in text
    assert text.index("Chờ cũ") < text.index("Mới từ chối") < text.index("Cũ đã duyệt")
    assert "Phường ra mắt dịch vụ công mới" in text
    assert "Chờ duyệt (1)" in text and "Tất cả (3)" in text


def test_queue_filters_by_status_and_ignores_odd_parameters(as_user, article, db):
    add(db, article, name="Đã duyệt A", status=APPROVED)
    add(db, article, name="Đang chờ B")
    app = as_user("editor")
    text = app.get("/quan-tri/phan-hoi?trang-thai=da-duyet").text
    assert "Đã duyệt A" in text and "Đang chờ B" not in text
    text = app.get("/quan-tri/phan-hoi?trang-thai=cho-duyet").text
    assert "Đang chờ B" in text and "Đã duyệt A" not in text
    for odd in ("?trang-thai=%00", "?trang=abc", "?trang=99999999999999", "?trang=-1&trang-thai=x"):
        assert app.get("/quan-tri/phan-hoi" + odd).status_int == 200


def test_queue_is_paged_in_a_fixed_number_of_queries(as_user, article, db, count_statements):
    add(db, article)
    as_user("editor")
    few = count_statements("/quan-tri/phan-hoi")
    for i in range(40):
        add(db, article, name=f"Người {i:02d}")
    assert count_statements("/quan-tri/phan-hoi") == few
    assert count_statements("/quan-tri/phan-hoi?trang=2") == few


def test_queue_pages(as_user, article, db):
    for i in range(35):
        add(db, article, name=f"Người {i:02d}", days=i)
    app = as_user("editor")
    first = app.get("/quan-tri/phan-hoi")
    assert "Người 00" in first.text and "Người 34" not in first.text
    assert 'rel="next"' in first.text
    second = app.get("/quan-tri/phan-hoi?trang=2")
    assert "Người 34" in second.text and "Người 00" not in second.text


def test_bulk_approve_and_delete(as_user, article, db):
    a, b, c = (add(db, article, name=n) for n in ("Một", "Hai", "Ba"))
    app = as_user("editor")
    form = app.get("/quan-tri/phan-hoi").forms["kiem-duyet"]
    for box in form.fields["id"]:
        if box._value in (str(a.id), str(b.id)):
            box.checked = True
    res = form.submit("action", value="approve")
    assert res.status_int == 303
    assert "Đã duyệt 2 phản hồi" in res.follow().text
    assert {f.name: f.status for f in stored(db)} == {"Một": APPROVED, "Hai": APPROVED, "Ba": PENDING}
    approved = stored(db)[0]
    assert approved.moderated_by is not None and approved.moderated_at is not None
    form = app.get("/quan-tri/phan-hoi").forms["kiem-duyet"]
    form.submit("mot", value=f"delete:{c.id}")
    assert [f.name for f in stored(db)] == ["Một", "Hai"]


def test_moderation_needs_the_csrf_token_and_real_ids(as_user, article, db):
    item = add(db, article)
    app = as_user("editor")
    res = app.post("/quan-tri/phan-hoi/xu-ly", {"mot": f"approve:{item.id}"}, expect_errors=True)
    assert res.status_int == 400  # no token
    assert stored(db)[0].status == PENDING
    token = app.get("/quan-tri/phan-hoi").forms["kiem-duyet"]["csrf_token"].value
    for odd in ("approve:²", "approve:99999999999999", "approve:abc", "explode:1", "approve:"):
        res = app.post("/quan-tri/phan-hoi/xu-ly", {"csrf_token": token, "mot": odd})
        assert res.status_int == 303
    assert stored(db)[0].status == PENDING


def test_moderation_bumps_the_site_generation(as_user, article, db):
    item = add(db, article)
    before = db.scalar(select(Site.generation))
    app = as_user("editor")
    app.get("/quan-tri/phan-hoi").forms["kiem-duyet"].submit("mot", value=f"approve:{item.id}")
    db.expire_all()
    assert db.scalar(select(Site.generation)) > before


def test_toolbar_links_moderators_to_the_queue(as_user, article):
    assert 'href="http://localhost/quan-tri/phan-hoi"' in as_user("reviewer").get("/").text
    assert "quan-tri/phan-hoi" not in as_user("contributor").get("/").text
    assert "quan-tri/phan-hoi" not in as_user("anonymous").get("/").text


def test_demo_hook_is_idempotent(db, types, root, make):
    from portal.citizen.feedback.demo import seed_demo

    folder = make("folder", title="Tin", state="published")
    for i in range(2):
        make("news", folder, f"Tin {i}", state="published")
    make("news", folder, "Nháp", state="private")
    seed_demo(db, types, root, None)
    db.flush()
    count = db.scalar(select(func.count()).select_from(Feedback))
    assert count == 5
    assert set(db.scalars(select(Feedback.status))) == {APPROVED, PENDING}
    on = set(db.scalars(select(Node.title).join(Feedback, Feedback.node_id == Node.id)))
    assert on == {"Tin 0", "Tin 1"}  # never on what visitors cannot read
    seed_demo(db, types, root, None)
    db.flush()
    assert db.scalar(select(func.count()).select_from(Feedback)) == count
