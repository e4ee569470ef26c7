"""The satisfaction survey (portal/citizen/survey): the public form, published results,
the administrators' questions, moderation of comments, privacy."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from portal.citizen.survey import results as survey_results
from portal.citizen.survey.demo import seed_demo
from portal.citizen.survey.models import (
    APPROVED,
    PENDING,
    REJECTED,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from portal.models import utcnow
from portal.text import TZ

from .conftest import csrf_from

ADDRESS = {"REMOTE_ADDR": "203.0.113.77"}


@pytest.fixture
def questions(db, root):
    """Two required ratings, an optional rating, an optional comment, an inactive rating."""
    made = []
    for position, (text, kind, required, active) in enumerate(
        [
            ("Thái độ phục vụ của công chức", "rating", True, True),
            ("Thời gian giải quyết hồ sơ", "rating", True, True),
            ("Mức độ công khai, minh bạch", "rating", False, True),
            ("Góp ý khác", "text", False, True),
            ("Câu hỏi cũ đã ngừng", "rating", False, False),
        ],
        start=1,
    ):
        q = SurveyQuestion(
            site_id=root.site_id, text=text, kind=kind, required=required, position=position, active=active
        )
        db.add(q)
        made.append(q)
    db.commit()
    return made


def rating_name(page, question) -> str:
    """The radio group's field name of a rating question (deform renames it on submit)."""
    start = page.html.find("input", {"name": "__start__", "value": f"q{question.id}:rename"})
    assert start is not None, f"no rating field for {question.text}"
    return start.find_parent("fieldset")["id"]


def fill(page, questions, ratings=(5, 4, 3), comment="", code=""):
    form = page.forms["deform"]
    for q, value in zip(questions[:3], ratings, strict=False):
        if value is not None:
            form[rating_name(page, q)] = str(value)
    form[f"q{questions[3].id}"] = comment
    form["dossier_code"] = code
    return form


def submit(app, questions, status=303, **kw):
    page = app.get("/khao-sat", extra_environ=ADDRESS)
    return fill(page, questions, **kw).submit("send", status=status, extra_environ=ADDRESS)


def add_response(db, root, questions, ratings, when=None, comment=None, moderation=None, code=None):
    response = SurveyResponse(site_id=root.site_id, created=when or utcnow(), dossier_code=code)
    db.add(response)
    db.flush()
    for q, rating in zip(questions, ratings, strict=False):
        db.add(SurveyAnswer(response_id=response.id, question_id=q.id, rating=rating))
    if comment:
        db.add(
            SurveyAnswer(
                response_id=response.id, question_id=questions[3].id, text=comment, moderation=moderation
            )
        )
    db.commit()
    return response


# --- the public form -------------------------------------------------------------


def test_without_active_questions_the_survey_is_closed(app, db, root):
    db.add(SurveyQuestion(site_id=root.site_id, text="Ngừng", kind="rating", active=False))
    db.commit()
    page = app.get("/khao-sat")
    assert "chưa có đợt khảo sát nào đang mở" in page.text
    assert "deform" not in page.forms
    app.get("/khao-sat/")  # the trailing slash too


def test_form_is_built_from_active_questions_with_labelled_rating_groups(app, questions):
    page = app.get("/khao-sat")
    fieldsets = page.html.select("fieldset.survey-rating")
    assert [f.legend.text.split(" (")[0].strip() for f in fieldsets] == [q.text for q in questions[:3]]
    labels = [label.text.strip() for label in fieldsets[0].select("label")]
    assert labels == [
        "1 – Rất không hài lòng", "2 – Không hài lòng", "3 – Bình thường", "4 – Hài lòng", "5 – Rất hài lòng",
    ]  # fmt: skip
    assert "Câu hỏi cũ đã ngừng" not in page.text
    textarea = page.html.find("textarea", {"name": f"q{questions[3].id}"})
    assert textarea["maxlength"] == "2000"
    assert page.html.find("input", {"name": "dossier_code"}) is not None
    assert page.html.select_one(".honeypot input[name=website]") is not None


def test_receipt_link_prefills_a_normalised_dossier_code(app, questions):
    page = app.get("/khao-sat", {"ma": " h23.10-250101-0001 "})
    assert page.forms["deform"]["dossier_code"].value == "H23.10-250101-0001"
    # Something that is not a code is ignored, never an error.
    for bad in ("<script>", "x" * 5000, "mã hồ sơ"):
        page = app.get("/khao-sat", {"ma": bad})
        assert page.forms["deform"]["dossier_code"].value == ""


def test_a_response_is_saved_and_the_citizen_thanked(app, db, questions):
    res = submit(
        app, questions, ratings=(5, 4, None), comment="  Cán bộ rất nhiệt tình  ", code="h23.10-250101-0001"
    )
    assert res.location.endswith("/khao-sat/cam-on")
    assert "đã được ghi nhận" in res.follow().text
    response = db.scalars(select(SurveyResponse)).one()
    assert response.dossier_code == "H23.10-250101-0001"
    answers = {a.question_id: a for a in db.scalars(select(SurveyAnswer))}
    assert len(answers) == 4  # one per active question, answered or not
    assert [answers[q.id].rating for q in questions[:3]] == [5, 4, None]
    comment = answers[questions[3].id]
    assert (comment.text, comment.moderation) == ("Cán bộ rất nhiệt tình", PENDING)


def test_no_address_is_stored_with_a_response(app, db, questions):
    submit(app, questions, comment="Ý kiến")
    for model in (SurveyResponse, SurveyAnswer):
        for row in db.scalars(select(model)):
            values = [str(getattr(row, c.key)) for c in model.__table__.columns]
            assert not any("203.0.113.77" in v for v in values)


def test_text_is_stored_nfc(app, db, questions):
    decomposed = "Tha\u0301i đô\u0323 tô\u0301t"
    submit(app, questions, comment=decomposed)
    text = db.scalar(select(SurveyAnswer.text).where(SurveyAnswer.text.is_not(None)))
    assert text == "Thái độ tốt"


def test_missing_required_rating_is_explained_and_what_was_typed_kept(app, db, questions):
    res = submit(app, questions, status=400, ratings=(5, None, 2), comment="Góp ý của tôi", code="hs-01")
    assert "Hãy chọn một mức đánh giá." in res.text
    form = res.forms["deform"]
    assert form[f"q{questions[3].id}"].value == "Góp ý của tôi"
    assert form["dossier_code"].value == "hs-01"  # as typed
    assert form[rating_name(res, questions[0])].value == "5"
    assert form[rating_name(res, questions[2])].value == "2"
    # The error is tied to its group for screen readers.
    group = res.html.find("fieldset", id=rating_name(res, questions[1]))
    assert group["aria-describedby"] == f"error-{group['id']}"
    assert db.scalar(select(SurveyResponse.id)) is None


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("comment", "x" * 2001, "Tối đa 2000 ký tự."),
        ("code", "HS 01?", "Mã hồ sơ chỉ gồm chữ cái không dấu, chữ số"),
        ("code", "A" * 41, "Mã hồ sơ dài tối đa 40 ký tự."),
        ("code", "HỒ-SƠ-1", "Mã hồ sơ chỉ gồm chữ cái không dấu, chữ số"),
        # Letters that upper-case into ASCII ("ı" → "I", "ﬁ" → "FI") are not ASCII letters.
        ("code", "hsı-01", "Mã hồ sơ chỉ gồm chữ cái không dấu, chữ số"),
        ("code", "ﬁ-01", "Mã hồ sơ chỉ gồm chữ cái không dấu, chữ số"),
    ],
)
def test_bad_text_or_code_is_refused_in_vietnamese(app, db, questions, field, value, message):
    kw = {"comment": value} if field == "comment" else {"code": value}
    res = submit(app, questions, status=400, **kw)
    assert message in res.text
    assert db.scalar(select(SurveyResponse.id)) is None


def test_forged_ratings_and_junk_never_give_a_500(app, db, questions):
    page = app.get("/khao-sat")
    token = csrf_from(page)
    for rating in ("9", "0", "-1", "abc", "4" * 5000, "²"):
        res = app.post(
            "/khao-sat",
            {"csrf_token": token, f"q{questions[0].id}": rating, f"q{questions[1].id}": "3", "send": "send"},
            status=400,
        )
        assert "Thông tin gửi lên chưa hợp lệ" in res.text
    assert db.scalar(select(SurveyResponse.id)) is None


def test_stale_csrf_token_keeps_what_was_typed(app, db, questions):
    page = app.get("/khao-sat")
    form = fill(page, questions, comment="Giữ lại nhé")
    form["csrf_token"].force_value("sai")
    res = form.submit("send", status=400)
    assert "Phiên làm việc đã hết hạn" in res.text
    assert res.forms["deform"][f"q{questions[3].id}"].value == "Giữ lại nhé"
    assert db.scalar(select(SurveyResponse.id)) is None


def test_honeypot_filled_is_refused(app, db, questions):
    page = app.get("/khao-sat")
    form = fill(page, questions, comment="Bot")
    form["website"] = "http://spam.example"
    res = form.submit("send", status=400)
    assert "phải để trống" in res.text
    assert db.scalar(select(SurveyResponse.id)) is None


def test_rate_limit_refuses_with_429_and_keeps_the_answers(app, db, registry, questions, monkeypatch):
    monkeypatch.setitem(registry.settings, "portal.limits.survey", "2/60")
    submit(app, questions)
    submit(app, questions)
    res = submit(app, questions, status=429, ratings=(1, 2, 3), comment="Lần thứ ba", code="HS-3")
    assert 1 <= int(res.headers["Retry-After"]) <= 60
    assert "Bạn đã gửi quá nhiều lần" in res.text
    form = res.forms["deform"]
    assert form[f"q{questions[3].id}"].value == "Lần thứ ba"
    assert form["dossier_code"].value == "HS-3"
    assert form[rating_name(res, questions[0])].value == "1"
    assert len(db.scalars(select(SurveyResponse.id)).all()) == 2
    # Another address has its own count.
    page = app.get("/khao-sat")
    fill(page, questions).submit("send", status=303, extra_environ={"REMOTE_ADDR": "198.51.100.3"})


# --- published results ------------------------------------------------------------


def test_results_count_average_and_distribution(app, db, root, questions):
    add_response(db, root, questions, [5, 4, None])
    add_response(db, root, questions, [4, 4, 2])
    add_response(db, root, questions, [4, 1, None])
    add_response(db, root, [questions[4]], [3])  # the inactive question's old answer
    page = app.get("/khao-sat/ket-qua")
    sections = page.html.select("section.survey-result")
    titles = [s.h2.text for s in sections]
    assert titles == [q.text for q in questions[:3]] + ["Câu hỏi cũ đã ngừng"]
    first = sections[0]
    assert "Điểm trung bình: 4,3/5 trên 3 lượt đánh giá." in first.text
    rows = {r.th.text.strip(): r.select("td")[0].text for r in first.select("table.survey-bars tbody tr")}
    assert rows == {"5 – Rất hài lòng": "1", "4 – Hài lòng": "2", "3 – Bình thường": "0",
                    "2 – Không hài lòng": "0", "1 – Rất không hài lòng": "0"}  # fmt: skip
    assert "67%" in first.text  # 2 of 3, as text beside the bar
    assert "Điểm trung bình: 3,0/5 trên 3 lượt đánh giá." in sections[1].text
    assert "Điểm trung bình: 2,0/5 trên 1 lượt đánh giá." in sections[2].text
    assert "không còn trong phiếu khảo sát" in sections[3].text
    assert "Tổng số phiếu đã nhận: 4." in page.text


def test_results_per_month_use_vietnam_months(db, root, questions):
    now = dt.datetime(2026, 3, 15, 5, 0, tzinfo=dt.UTC)
    # 31/01 18:30 UTC is 01/02 01:30 in Hà Nội: February's.
    add_response(db, root, questions, [5, 1], when=dt.datetime(2026, 1, 31, 18, 30, tzinfo=dt.UTC))
    add_response(db, root, questions, [4, 1], when=dt.datetime(2026, 2, 10, tzinfo=dt.UTC))
    add_response(
        db, root, questions, [2, 1], when=dt.datetime(2026, 1, 31, 16, 0, tzinfo=dt.UTC)
    )  # 23:00 31/01
    add_response(db, root, questions, [1, 1], when=dt.datetime(2025, 2, 20, tzinfo=dt.UTC))  # 13 months ago
    total, results = survey_results.rating_results(db, root.site_id, now)
    assert total == 4
    first = results[0]
    months = {m.label: (m.count, m.average) for m in first.months}
    assert (
        len(first.months) == 12 and first.months[0].label == "04/2025" and first.months[-1].label == "03/2026"
    )
    assert months["02/2026"] == (2, "4,5")
    assert months["01/2026"] == (1, "2,0")
    assert months["03/2026"] == (0, "")
    assert "02/2025" not in months
    assert first.count == 4  # the distribution counts every answer


def test_month_starts_cross_the_new_year():
    starts = survey_results.month_starts(dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    local = [s.astimezone(TZ) for s in starts]
    assert (local[0].year, local[0].month) == (2025, 2)
    assert (local[-2].year, local[-2].month) == (2026, 1)
    assert (local[-1].year, local[-1].month) == (2026, 2)
    assert all(s.day == 1 and s.hour == 0 for s in local)


def test_results_take_a_fixed_number_of_queries(app, db, root, questions, count_statements):
    add_response(db, root, questions, [5, 4, 3], comment="Một", moderation=APPROVED)
    count_statements("/khao-sat/ket-qua")  # the navigation's own cache filled once
    few = count_statements("/khao-sat/ket-qua")
    for i in range(8):
        db.add(SurveyQuestion(site_id=root.site_id, text=f"Thêm {i}", kind="rating", position=10 + i))
    db.commit()
    more = db.scalars(select(SurveyQuestion).where(SurveyQuestion.position >= 10)).all()
    for i in range(30):
        add_response(db, root, more, [1 + i % 5] * 8, comment=f"Ý kiến {i}", moderation=APPROVED)
    assert count_statements("/khao-sat/ket-qua") == few
    assert count_statements("/khao-sat/ket-qua?trang=2") == few


def test_only_approved_comments_are_published_never_the_dossier_code(app, db, root, questions):
    add_response(
        db, root, questions, [5, 5], comment="Ý kiến đã duyệt", moderation=APPROVED, code="HS-BI-MAT-1"
    )
    add_response(
        db, root, questions, [5, 5], comment="Ý kiến đang chờ", moderation=PENDING, code="HS-BI-MAT-2"
    )
    add_response(db, root, questions, [5, 5], comment="Ý kiến bị từ chối", moderation=REJECTED)
    page = app.get("/khao-sat/ket-qua")
    assert "Ý kiến đã duyệt" in page.text
    assert "Ý kiến đang chờ" not in page.text and "Ý kiến bị từ chối" not in page.text
    assert "HS-BI-MAT" not in page.text
    assert "no-cache" in page.headers["Cache-Control"]


def test_comments_are_paged_newest_first(app, db, root, questions):
    base = utcnow() - dt.timedelta(days=30)
    for i in range(25):
        when = base + dt.timedelta(hours=i)
        add_response(
            db, root, questions, [4, 4], when=when, comment=f"Ý kiến số {i:02d}", moderation=APPROVED
        )
    first = app.get("/khao-sat/ket-qua")
    texts = [b.text.strip() for b in first.html.select(".survey-comments blockquote")]
    assert texts[0] == "Ý kiến số 24" and len(texts) == 20
    second = app.get("/khao-sat/ket-qua?trang=2")
    assert [b.text.strip() for b in second.html.select(".survey-comments blockquote")][-1] == "Ý kiến số 00"
    for junk in ("abc", "-3", "99999999999999999999", "²"):
        assert app.get("/khao-sat/ket-qua", {"trang": junk}).status_int == 200


# --- privacy ----------------------------------------------------------------------


def test_answers_are_in_no_search_feed_sitemap_or_api(app, db, root, questions):
    add_response(
        db, root, questions, [5, 5], comment="Xuanthuy độc nhất đã duyệt", moderation=APPROVED, code="HSZQX9"
    )
    add_response(
        db, root, questions, [5, 5], comment="Quynhlam độc nhất chờ duyệt", moderation=PENDING, code="HSZQX8"
    )
    secrets = ("độc nhất đã duyệt", "độc nhất chờ duyệt", "HSZQX")  # queries below are lower case
    for url in (
        "/tim-kiem?q=xuanthuy",
        "/tim-kiem?q=quynhlam",
        "/tim-kiem?q=hszqx9",
        "/tim-kiem/goi-y?q=quynhlam",
        "/tim-kiem/goi-y?q=xuanthuy",
        "/api/v1/search?q=quynhlam",
        "/api/v1/search?q=xuanthuy",
        "/api/v1/search?q=hszqx8",
        "/rss.xml",
        "/atom.xml",
        "/feed.json",
        "/sitemap.xml",
        "/api/v1/content",
    ):
        res = app.get(url)
        text = res.text if res.content_type != "application/json" else str(res.json)
        for secret in secrets:
            assert secret not in text, (url, secret)
    assert app.get("/tim-kiem/goi-y?q=quynhlam").json == []


# --- administrators: questions ----------------------------------------------------


def test_question_pages_need_manage_survey(as_user, questions):
    app = as_user("anonymous")
    assert app.get("/quan-tri/khao-sat").status_int == 302  # log in first
    assert app.post("/quan-tri/khao-sat/them", {"text": "x"}, status=403).status_int == 403
    for user in ("editor", "reviewer", "contributor", "reader"):
        app = as_user(user)
        app.get("/quan-tri/khao-sat", status=403)
        app.get("/quan-tri/khao-sat/them", status=403)
        app.get(f"/quan-tri/khao-sat/{questions[0].id}/sua", status=403)
        page = app.get("/khao-sat")
        app.post(f"/quan-tri/khao-sat/{questions[0].id}/tat", {"csrf_token": csrf_from(page)}, status=403)


def test_administrator_adds_and_edits_a_question(as_user, db, root):
    app = as_user("admin")
    page = app.get("/quan-tri/khao-sat/them")
    form = page.forms["deform"]
    form["text"] = "Sự hài lòng chung"
    form["kind"] = "rating"
    form["required"] = True
    res = form.submit("save", status=303).follow()
    assert "Sự hài lòng chung" in res.text
    q = db.scalars(select(SurveyQuestion).where(SurveyQuestion.site_id == root.site_id)).one()
    assert (q.kind, q.required, q.active) == ("rating", True, True)
    page = app.get(f"/quan-tri/khao-sat/{q.id}/sua")
    form = page.forms["deform"]
    form["text"] = "Sự hài lòng chung (sửa)"
    form["kind"] = "text"
    form.submit("save", status=303)
    db.refresh(q)
    assert (q.text, q.kind) == ("Sự hài lòng chung (sửa)", "text")
    # On the public form at once.
    assert "Sự hài lòng chung (sửa)" in as_user("anonymous").get("/khao-sat").text


def test_question_form_errors_are_vietnamese_and_keep_input(as_user, db):
    app = as_user("admin")
    form = app.get("/quan-tri/khao-sat/them").forms["deform"]
    form["text"] = ""
    res = form.submit("save", status=400)
    assert "Thông tin gửi lên chưa hợp lệ" in res.text
    form = res.forms["deform"]
    form["text"] = "x" * 501
    res = form.submit("save", status=400)
    assert res.forms["deform"]["text"].value == "x" * 501
    form = res.forms["deform"]
    form["csrf_token"].force_value("sai")
    form["text"] = "Câu hỏi"
    assert "Phiên làm việc đã hết hạn" in form.submit("save", status=400).text
    assert db.scalar(select(SurveyQuestion.id)) is None


def test_kind_of_an_answered_question_cannot_change(as_user, db, root, questions):
    add_response(db, root, questions, [5, 5])
    app = as_user("admin")
    page = app.get(f"/quan-tri/khao-sat/{questions[0].id}/sua")
    assert "không đổi được loại" in page.text
    form = page.forms["deform"]
    assert "kind" not in form.fields
    assert "không đổi được loại" not in app.get(f"/quan-tri/khao-sat/{questions[2].id}/sua").text
    form["text"] = "Thái độ phục vụ"
    form.submit("save", status=303)
    db.refresh(questions[0])
    assert (questions[0].text, questions[0].kind) == ("Thái độ phục vụ", "rating")


def test_move_up_and_down(as_user, db, questions):
    app = as_user("admin")
    page = app.get("/quan-tri/khao-sat")
    token = csrf_from(page)
    app.post(f"/quan-tri/khao-sat/{questions[2].id}/len", {"csrf_token": token}, status=303)
    app.post(f"/quan-tri/khao-sat/{questions[0].id}/xuong", {"csrf_token": token}, status=303)
    order = db.scalars(select(SurveyQuestion.text).order_by(SurveyQuestion.position)).all()
    assert order[:3] == [
        "Mức độ công khai, minh bạch",
        "Thái độ phục vụ của công chức",
        "Thời gian giải quyết hồ sơ",
    ]
    public = as_user("anonymous").get("/khao-sat")
    assert [f.legend.text.split(" (")[0].strip() for f in public.html.select("fieldset.survey-rating")][
        :2
    ] == order[:2]


def test_deactivate_keeps_answers_and_results_delete_only_unanswered(as_user, db, root, questions):
    add_response(db, root, questions, [5, 4])
    ids = [q.id for q in questions]
    app = as_user("admin")
    token = csrf_from(app.get("/quan-tri/khao-sat"))
    app.post(f"/quan-tri/khao-sat/{questions[0].id}/tat", {"csrf_token": token}, status=303)
    # Deleting an answered question only deactivates it.
    res = app.post(f"/quan-tri/khao-sat/{questions[1].id}/xoa", {"csrf_token": token}, status=303).follow()
    assert "không xóa được" in res.text
    app.post(f"/quan-tri/khao-sat/{questions[2].id}/xoa", {"csrf_token": token}, status=303)
    active = dict(db.execute(select(SurveyQuestion.id, SurveyQuestion.active)).all())
    assert ids[2] not in active
    assert active[ids[1]] is False and active[ids[0]] is False
    assert len(db.scalars(select(SurveyAnswer)).all()) == 2
    public = as_user("anonymous")
    assert questions[0].text not in public.get("/khao-sat").text
    results = public.get("/khao-sat/ket-qua").text
    assert questions[0].text in results and "Điểm trung bình: 5,0/5" in results
    app = as_user("admin")
    token = csrf_from(app.get("/quan-tri/khao-sat"))
    app.post(f"/quan-tri/khao-sat/{ids[0]}/bat", {"csrf_token": token}, status=303)
    assert db.scalar(select(SurveyQuestion.active).where(SurveyQuestion.id == ids[0])) is True


def test_question_actions_need_csrf_and_real_ids(as_user, questions):
    app = as_user("admin")
    app.post(f"/quan-tri/khao-sat/{questions[0].id}/tat", {}, status=400)
    token = csrf_from(app.get("/quan-tri/khao-sat"))
    for bad in ("abc", "%C2%B2", "99999999999", "0", "424242"):
        app.post(f"/quan-tri/khao-sat/{bad}/tat", {"csrf_token": token}, status=404)
        app.get(f"/quan-tri/khao-sat/{bad}/sua", status=404)
    app.post(f"/quan-tri/khao-sat/{questions[0].id}/no-such-action", {"csrf_token": token}, status=404)


# --- moderation -------------------------------------------------------------------


def test_moderation_needs_moderate_feedback(as_user, db, root, questions):
    add_response(db, root, questions, [5, 5], comment="Chờ duyệt", moderation=PENDING)
    answer = db.scalar(select(SurveyAnswer).where(SurveyAnswer.text.is_not(None)))
    app = as_user("anonymous")
    assert app.get("/quan-tri/khao-sat/y-kien").status_int == 302
    for user in ("contributor", "reader", "nobody"):
        app = as_user(user)
        res = app.get("/quan-tri/khao-sat/y-kien", status=403)
        assert "Chờ duyệt" not in res.text
        token = csrf_from(app.get("/khao-sat"))
        app.post(f"/quan-tri/khao-sat/y-kien/{answer.id}/duyet", {"csrf_token": token}, status=403)
    db.refresh(answer)
    assert answer.moderation == PENDING
    for user in ("editor", "reviewer", "admin"):
        assert "Chờ duyệt" in as_user(user).get("/quan-tri/khao-sat/y-kien").text


def test_approving_publishes_and_rejecting_withdraws(as_user, db, root, questions):
    add_response(db, root, questions, [5, 5], comment="Rất hài lòng với bộ phận một cửa", moderation=PENDING)
    answer = db.scalar(select(SurveyAnswer).where(SurveyAnswer.text.is_not(None)))
    app = as_user("editor")
    page = app.get("/quan-tri/khao-sat/y-kien")
    res = page.forms[1].submit(status=303)  # the first comment's approve button
    assert res.location == "http://localhost/quan-tri/khao-sat/y-kien?trang-thai=cho-duyet"
    db.refresh(answer)
    assert answer.moderation == APPROVED and answer.moderator_id is not None
    public = as_user("anonymous").get("/khao-sat/ket-qua")
    assert "Rất hài lòng với bộ phận một cửa" in public.text
    app = as_user("editor")
    approved = app.get("/quan-tri/khao-sat/y-kien?trang-thai=da-duyet")
    assert "Rất hài lòng với bộ phận một cửa" in approved.text
    res = approved.forms[1].submit(status=303)  # the approved comment's reject button
    assert res.location == "http://localhost/quan-tri/khao-sat/y-kien?trang-thai=da-duyet"
    # A made-up place to go back to is ignored: the list, never another site.
    token = csrf_from(approved)
    res = app.post(
        f"/quan-tri/khao-sat/y-kien/{answer.id}/duyet",
        {"csrf_token": token, "trang-thai": "//evil.example/", "trang": "x"},
        status=303,
    )
    assert res.location == "http://localhost/quan-tri/khao-sat/y-kien"
    app.post(f"/quan-tri/khao-sat/y-kien/{answer.id}/tu-choi", {"csrf_token": token}, status=303)
    db.refresh(answer)
    assert answer.moderation == REJECTED
    assert "Rất hài lòng với bộ phận một cửa" not in as_user("anonymous").get("/khao-sat/ket-qua").text


def test_moderation_refuses_bad_ids_and_missing_csrf(as_user, db, root, questions):
    add_response(db, root, questions, [5, 5], comment="Một ý kiến", moderation=PENDING)
    rating = db.scalar(select(SurveyAnswer).where(SurveyAnswer.rating.is_not(None)))
    comment = db.scalar(select(SurveyAnswer).where(SurveyAnswer.text.is_not(None)))
    app = as_user("editor")
    app.post(f"/quan-tri/khao-sat/y-kien/{comment.id}/duyet", {}, status=400)
    token = csrf_from(app.get("/quan-tri/khao-sat/y-kien"))
    for bad in ("abc", "%C2%B2", "99999999999", str(rating.id)):  # a rating is not moderated
        app.post(f"/quan-tri/khao-sat/y-kien/{bad}/duyet", {"csrf_token": token}, status=404)
    app.post(f"/quan-tri/khao-sat/y-kien/{comment.id}/xoa-het", {"csrf_token": token}, status=404)
    for junk in ("?trang=abc", "?trang-thai=<x>", "?trang=99999999999999"):
        assert app.get("/quan-tri/khao-sat/y-kien" + junk).status_int == 200


def test_moderation_list_is_paged_in_fixed_queries(as_user, db, root, questions, count_statements):
    add_response(db, root, questions, [5, 5], comment="Ý kiến đầu", moderation=PENDING)
    as_user("editor")
    count_statements("/quan-tri/khao-sat/y-kien")
    few = count_statements("/quan-tri/khao-sat/y-kien")
    for i in range(45):
        add_response(db, root, questions, [5, 5], comment=f"Ý kiến {i}", moderation=PENDING)
    assert count_statements("/quan-tri/khao-sat/y-kien") == few
    page = as_user("editor").get("/quan-tri/khao-sat/y-kien?trang=3")
    assert len(page.html.select(".survey-comments blockquote")) == 6
    assert re.search(r'rel="prev" href="[^"]*trang-thai=cho-duyet&amp;trang=2"', page.text)


# --- demo and service link --------------------------------------------------------


def test_demo_hook_is_idempotent_and_realistic(db, types, root):
    assert seed_demo(db, types, root, None) == 0
    db.commit()
    questions = db.scalars(select(SurveyQuestion).where(SurveyQuestion.site_id == root.site_id)).all()
    assert 4 <= len(questions) <= 6 and any(q.kind == "text" for q in questions)
    responses = db.scalars(select(SurveyResponse.created)).all()
    assert 50 <= len(responses) <= 70
    assert min(responses) >= utcnow() - dt.timedelta(days=190)
    states = set(db.scalars(select(SurveyAnswer.moderation).where(SurveyAnswer.moderation.is_not(None))))
    assert states == {APPROVED, PENDING}
    seed_demo(db, types, root, None)
    db.commit()
    assert len(db.scalars(select(SurveyResponse.id)).all()) == len(responses)


def test_demo_service_link_points_to_the_survey(db, types, root):
    from portal.demo import DEMO

    def links(items):
        for item in items:
            yield item
            if isinstance(item[-1], list):
                yield from links(item[-1])

    urls = [item[-1]["url"] for item in links(DEMO) if item[1] == "khao-sat" and isinstance(item[-1], dict)]
    assert urls == ["/khao-sat"]


def test_service_link_accepts_a_path_of_the_site():
    import colander

    from content_types.service_link import service_url_validator

    service_url_validator(None, "/khao-sat")
    for bad in ("//evil.example/khao-sat", "/a b", "/a\\b"):
        with pytest.raises(colander.Invalid):
            service_url_validator(colander.SchemaNode(colander.String()), bad)
