"""Petitions (/phan-anh-kien-nghi): the public form, tracking codes, the progress check,
the staff pages, publishing an answer as a question-and-answer, and privacy."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import func, select
from webtest import Upload

from portal.citizen.petitions.models import (
    CODE_ALPHABET,
    Petition,
    PetitionEvent,
    is_overdue,
    new_code,
    normalise_code,
    today,
)
from tests.test_file import PDF

# Distinctive personal data: none of it may ever reach a public answer.
NAME = "Hoàng Thị Riêngtư"
PHONE = "0912 345 678"
EMAIL = "rieng.tu.9137@example.org"
ADDRESS = "Số 77 hẻm Bímật, khu phố 9"


def form_of(app):
    return app.get("/phan-anh-kien-nghi").forms["deform"]


BASE = {
    "name": NAME,
    "address": ADDRESS,
    "phone": PHONE,
    "email": EMAIL,
    "subject": "Đường ống thoát nước tắc ở hẻm 12",
    "content": "Đường ống thoát nước trước nhà tôi bị tắc nhiều ngày, nước tràn lên mặt đường.",
}


def fill(form, **values):
    for key, value in {**BASE, **values}.items():
        form[key] = value
    return form


def attach(form, number: int, upload) -> None:
    """Each attachment field is a deform mapping whose file input is named "upload"."""
    form.set("upload", upload, index=number - 1)


def submit(app, status=None, **values):
    return fill(form_of(app), **values).submit("send", status=status)


def sent_code(app, res) -> str:
    assert res.status_int == 302, res.text[:2000]
    page = res.follow()
    match = re.search(r'class="petition-code">(PA-[A-Z0-9]+)<', page.text)
    assert match, page.text[:2000]
    return match.group(1)


def test_tracking_codes_are_random_and_unambiguous():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(f"PA-[{CODE_ALPHABET}]{{10}}", code)
        assert not set(code[3:]) & set("0O1I")
    assert normalise_code(" pa-abcd 2345 ") == "PA-ABCD2345"
    assert normalise_code("abcd2345") == "PA-ABCD2345"


def test_overdue_in_python():
    day = today()
    assert is_overdue("received", day - dt.timedelta(days=1))
    assert is_overdue("processing", day - dt.timedelta(days=1))
    assert not is_overdue("received", day)
    assert not is_overdue("answered", day - dt.timedelta(days=9))
    assert not is_overdue("rejected", day - dt.timedelta(days=9))


def test_citizen_sends_a_petition_and_checks_its_progress(app, db, make, smtp_sink):
    procedure = make("procedure", None, "Đăng ký khai sinh", state="published")
    make("procedure", None, "Thủ tục nội bộ chưa công bố")  # private: not offered
    page = app.get("/phan-anh-kien-nghi")
    assert page.headers["Cache-Control"] == "no-store"
    assert "Đăng ký khai sinh" in page.text
    assert "Thủ tục nội bộ chưa công bố" not in page.text
    assert "mỗi tệp không quá 5 MB" in page.text
    form = fill(page.forms["deform"], related_id=str(procedure.id))
    attach(form, 1, Upload("Ảnh hiện trường.pdf", PDF, "application/pdf"))
    res = form.submit("send")
    code = sent_code(app, res)
    # The code is shown once.
    again = app.get("/phan-anh-kien-nghi/da-gui")
    assert again.status_int == 302 and code not in again.follow().text

    petition = db.scalar(select(Petition).where(Petition.code == code))
    assert petition.name == NAME and petition.phone == PHONE and petition.email == EMAIL
    assert petition.related_id == procedure.id and petition.related_title == "Đăng ký khai sinh"
    assert petition.status == "received"
    assert petition.due_on == today() + dt.timedelta(days=15)
    assert [a.filename for a in petition.attachments] == ["Ảnh hiện trường.pdf"]
    assert petition.attachments[0].mime_type == "application/pdf"

    # Staff were told: subject and a link to the staff page, no contact details.
    assert len(smtp_sink) == 1
    mail = smtp_sink[0]
    assert code in mail["Subject"]
    body = mail.get_content()
    assert f"/quan-tri/phan-anh-kien-nghi/{petition.id}" in body
    assert NAME in body
    for secret in (PHONE, EMAIL, ADDRESS):
        assert secret not in body and secret not in mail["Subject"]

    status = app.get("/phan-anh-kien-nghi/tra-cuu", {"ma": code.lower()})
    assert status.headers["Cache-Control"] == "no-store"
    assert "Đã tiếp nhận" in status.text
    assert petition.subject in status.text
    for secret in (NAME, PHONE, EMAIL, ADDRESS):
        assert secret not in status.text


def test_unknown_code_gets_a_generic_message(app):
    res = app.get("/phan-anh-kien-nghi/tra-cuu", {"ma": "PA-ZZZZZZZZZZ"})
    assert res.status_int == 200
    assert "Không tìm thấy phản ánh, kiến nghị với mã số này" in res.text
    empty = app.get("/phan-anh-kien-nghi/tra-cuu")
    assert "Không tìm thấy" not in empty.text
    # Odd query strings: never a 500.
    for query in ("ma=%00%01", "ma=" + "x" * 5000, "ma=%C2%B2", "ma=a&ma=b", "ma[]=1"):
        assert app.get("/phan-anh-kien-nghi/tra-cuu?" + query).status_int == 200
    assert app.get("/phan-anh-kien-nghi/tra-cuu?ma=%FF", status="*").status_int == 400  # not UTF-8


def test_status_check_is_rate_limited(app, registry, monkeypatch):
    monkeypatch.setitem(registry.settings, "portal.limits.petition_status", "2/600")
    for _ in range(2):
        assert app.get("/phan-anh-kien-nghi/tra-cuu", {"ma": "PA-ZZZZZZZZZZ"}).status_int == 200
    res = app.get("/phan-anh-kien-nghi/tra-cuu", {"ma": "PA-ZZZZZZZZZZ"}, status=429)
    assert int(res.headers["Retry-After"]) > 0
    assert "Bạn đã gửi quá nhiều lần" in res.text


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"name": ""}, "name", "Bắt buộc"),
        ({"phone": "", "email": ""}, "phone", "điện thoại hoặc thư điện tử"),
        ({"phone": "abc 123"}, "phone", "Số điện thoại chỉ gồm chữ số"),
        ({"email": "khong-phai-thu"}, "email", "Địa chỉ thư điện tử không hợp lệ"),
        ({"content": "x" * 5001}, "content", "5000"),
        ({"subject": ""}, "subject", "Bắt buộc"),
    ],
)
def test_bad_input_is_explained_and_kept(app, db, values, field, message):
    res = fill(form_of(app), **values).submit("send", status=400)
    assert message in res.text, res.text[:3000]
    # What was typed is still in the form.
    form = res.forms["deform"]
    for key, typed in {**BASE, **values}.items():
        assert form[key].value == typed
    assert db.scalar(select(func.count()).select_from(Petition)) == 0


def test_a_chosen_node_must_be_one_offered(app, make):
    hidden = make("legal_document", None, "Văn bản nội bộ")
    form = fill(form_of(app))
    form["related_id"].force_value(str(hidden.id))
    res = form.submit("send", status=400)
    assert "Lựa chọn không hợp lệ" in res.text
    form = fill(form_of(app))
    form["related_id"].force_value("9" * 30)
    assert form.submit("send", status=400)


def test_attachment_type_and_size_are_checked(app, registry, monkeypatch):
    form = fill(form_of(app))
    attach(form, 1, Upload("trang.html", b"<html><script>alert(1)</script></html>", "application/pdf"))
    res = form.submit("send", status=400)
    assert "Chỉ nhận tệp PDF, ảnh" in res.text
    assert res.forms["deform"]["subject"].value == "Đường ống thoát nước tắc ở hẻm 12"
    monkeypatch.setitem(registry.settings, "portal.petitions.attachment_max_bytes", "100")
    form = fill(form_of(app))
    attach(form, 2, Upload("lon.pdf", PDF + b"0" * 200, "application/pdf"))
    res = form.submit("send", status=400)
    assert "Tệp quá lớn" in res.text


def test_rate_limit_keeps_what_was_typed(app, db, registry, monkeypatch):
    monkeypatch.setitem(registry.settings, "portal.limits.petition", "1/3600")
    sent_code(app, submit(app))
    res = submit(app, subject="Lần gửi thứ hai bị chặn", status=429)
    assert int(res.headers["Retry-After"]) > 0
    assert "Bạn đã gửi quá nhiều lần" in res.text
    form = res.forms["deform"]
    assert form["subject"].value == "Lần gửi thứ hai bị chặn"
    assert form["name"].value == NAME and form["phone"].value == PHONE
    assert db.scalar(select(func.count()).select_from(Petition)) == 1


def test_honeypot_is_refused(app, db):
    res = submit(app, website="http://spam.example", status=400)
    assert "phải để trống" in res.text
    assert res.forms["deform"]["content"].value.startswith("Đường ống thoát nước")
    assert db.scalar(select(func.count()).select_from(Petition)) == 0


def test_stale_csrf_token_keeps_what_was_typed(app, db):
    form = fill(form_of(app))
    form["csrf_token"] = "sai"
    res = form.submit("send", status=400)
    assert "Phiên làm việc đã hết hạn" in res.text
    assert res.forms["deform"]["name"].value == NAME
    assert db.scalar(select(func.count()).select_from(Petition)) == 0


def test_no_mail_when_mail_is_off(app, db):
    sent_code(app, submit(app))  # portal.mail.host is empty: nothing is sent, nothing fails
    assert db.scalar(select(func.count()).select_from(Petition)) == 1


# --- staff ------------------------------------------------------------------------------


def a_petition(db, root, days_ago=0, **fields) -> Petition:
    from portal.models import utcnow

    received = utcnow() - dt.timedelta(days=days_ago)
    values = dict(
        site_id=root.site_id, code=new_code(), name=NAME, address=ADDRESS, phone=PHONE, email=EMAIL,
        subject="Xin cấp lại giấy chứng nhận", content="Nội dung kiến nghị.", received_at=received,
        modified=received, due_on=(received + dt.timedelta(days=15)).date(),
    )  # fmt: skip
    values.update(fields)
    petition = Petition(**values)
    db.add(petition)
    db.commit()
    return petition


@pytest.mark.parametrize("user", ["anonymous", "reader", "contributor", "reviewer"])
def test_staff_pages_need_the_permission(as_user, db, root, user):
    from portal.citizen.petitions.models import PetitionAttachment

    petition = a_petition(db, root)
    petition.attachments = [
        PetitionAttachment(filename="a.pdf", mime_type="application/pdf", size=3, sha256="0" * 64)
    ]
    db.commit()
    app = as_user(user)
    urls = [
        "/quan-tri/phan-anh-kien-nghi",
        f"/quan-tri/phan-anh-kien-nghi/{petition.id}",
        f"/quan-tri/phan-anh-kien-nghi/{petition.id}/cong-khai",
        f"/quan-tri/phan-anh-kien-nghi/{petition.id}/tep/{petition.attachments[0].id}",
    ]
    for url in urls:
        res = app.get(url, status="*")
        assert res.status_int in (302, 403), (url, res.status)
        if res.status_int == 302:
            assert "/dang-nhap" in res.location
        for secret in (NAME, PHONE, EMAIL, ADDRESS):
            assert secret not in res.text
    res = app.post(f"/quan-tri/phan-anh-kien-nghi/{petition.id}", {"status": "rejected"}, status="*")
    assert res.status_int in (302, 400, 403)
    db.refresh(petition)
    assert petition.status == "received"


def test_staff_list_filters_and_pages_in_fixed_queries(as_user, db, root, count_statements):
    late = a_petition(db, root, days_ago=20, subject="Quá hạn chưa xử lý", department="Phòng Tư pháp")
    a_petition(db, root, days_ago=20, subject="Quá hạn nhưng đã trả lời", status="answered")
    a_petition(db, root, days_ago=1, subject="Mới tiếp nhận")
    app = as_user("editor")
    page = app.get("/quan-tri/phan-anh-kien-nghi")
    assert all(s in page.text for s in ("Quá hạn chưa xử lý", "Quá hạn nhưng đã trả lời", "Mới tiếp nhận"))
    overdue = app.get("/quan-tri/phan-anh-kien-nghi?qua-han=1")
    assert "Quá hạn chưa xử lý" in overdue.text
    assert "Quá hạn nhưng đã trả lời" not in overdue.text and "Mới tiếp nhận" not in overdue.text
    answered = app.get("/quan-tri/phan-anh-kien-nghi?trang-thai=answered")
    assert "Quá hạn nhưng đã trả lời" in answered.text and "Mới tiếp nhận" not in answered.text
    dept = app.get("/quan-tri/phan-anh-kien-nghi", {"don-vi": "Phòng Tư pháp"})
    assert late.subject in dept.text and "Mới tiếp nhận" not in dept.text
    # Unknown filters and odd pages are ignored, never a 500.
    for query in ("trang-thai=x", "don-vi=%C2%B2", "trang=abc", "trang=999999999999", "qua-han=2"):
        assert app.get("/quan-tri/phan-anh-kien-nghi?" + query).status_int == 200

    few = count_statements("/quan-tri/phan-anh-kien-nghi")
    for i in range(40):
        a_petition(db, root, days_ago=i % 30, subject=f"Kiến nghị số {i}")
    assert count_statements("/quan-tri/phan-anh-kien-nghi") == few
    assert count_statements("/quan-tri/phan-anh-kien-nghi?trang=2") == few
    second = app.get("/quan-tri/phan-anh-kien-nghi?trang=2")
    assert 'rel="prev"' in second.text


def test_staff_handles_a_petition_and_the_citizen_sees_the_answer(as_user, db, root, make):
    document = make("legal_document", None, "Quyết định 15/2025/QĐ-UBND về thoát nước", state="published")
    petition = a_petition(db, root)
    app = as_user("editor")
    url = f"/quan-tri/phan-anh-kien-nghi/{petition.id}"
    page = app.get(url)
    for shown in (NAME, PHONE, EMAIL, ADDRESS):
        assert shown in page.text  # staff see who wrote
    form = page.forms["deform"]
    form["status"] = "answered"
    form["answer"] = ""
    res = form.submit("save", status=400)
    assert "cần có nội dung trả lời" in res.text
    form = res.forms["deform"]
    form["status"] = "answered"
    form["field"] = "Xây dựng"
    form["department"] = "Phòng Tư pháp"
    form["due_on"] = "2030-01-31"
    form["answer"] = '<p>Đã nạo vét đường ống.</p><script>alert(1)</script><a href="javascript:x()">x</a>'
    form["answer_document_id"] = str(document.id)
    res = form.submit("save")
    assert res.status_int == 302
    db.refresh(petition)
    assert petition.status == "answered" and petition.answered_at is not None
    assert petition.department == "Phòng Tư pháp" and petition.field == "Xây dựng"
    assert petition.due_on == dt.date(2030, 1, 31)
    assert "<script" not in petition.answer and "javascript:" not in petition.answer
    assert petition.answer_document_id == document.id
    events = db.scalars(select(PetitionEvent).where(PetitionEvent.petition_id == petition.id)).all()
    assert events[-1].actor_name == "Editor"
    assert "Đã trả lời" in events[-1].detail and "31/01/2030" in events[-1].detail
    detail = app.get(url)
    assert "31/01/2030" in detail.text and "Editor" in detail.text

    # A department not in the list is refused.
    form = detail.forms["deform"]
    form["department"].force_value("Phòng không có")
    assert form.submit("save", status=400)

    anonymous = as_user("anonymous")
    status = anonymous.get("/phan-anh-kien-nghi/tra-cuu", {"ma": petition.code})
    assert "Đã trả lời" in status.text and "Đã nạo vét đường ống" in status.text
    assert "Quyết định 15/2025/QĐ-UBND về thoát nước" in status.text
    assert "31/01/2030" in status.text
    for secret in (NAME, PHONE, EMAIL, ADDRESS):
        assert secret not in status.text


def test_overdue_is_flagged_for_staff_and_citizen(as_user, db, root):
    petition = a_petition(db, root, days_ago=30)
    assert petition.overdue
    app = as_user("admin")
    assert "Quá hạn" in app.get(f"/quan-tri/phan-anh-kien-nghi/{petition.id}").text
    status = as_user("anonymous").get("/phan-anh-kien-nghi/tra-cuu", {"ma": petition.code})
    assert "Quá hạn" in status.text


def test_attachments_are_for_staff_only(app, as_user, db):
    form = fill(form_of(app))
    attach(form, 1, Upload("bien-ban.pdf", PDF, "application/pdf"))
    code = sent_code(app, form.submit("send"))
    petition = db.scalar(select(Petition).where(Petition.code == code))
    att = petition.attachments[0]
    url = f"/quan-tri/phan-anh-kien-nghi/{petition.id}/tep/{att.id}"
    assert app.get(url, status="*").status_int in (302, 403)
    staff = as_user("editor")
    res = staff.get(url)
    assert res.body == PDF
    assert "no-store" in res.headers["Cache-Control"]
    assert staff.get(f"/quan-tri/phan-anh-kien-nghi/{petition.id}/tep/99999", status=404)
    assert staff.get(f"/quan-tri/phan-anh-kien-nghi/{petition.id}/tep/abc", status=404)
    assert staff.get("/quan-tri/phan-anh-kien-nghi/%C2%B2", status=404)
    assert staff.get("/quan-tri/phan-anh-kien-nghi/99999999999999", status=404)


# --- publishing the answer, privacy --------------------------------------------------------


@pytest.fixture
def search_engine(wsgi_app, connection, tmp_path):
    """A fresh search index for the test (its database work is rolled back)."""
    from search.engine import make_engine
    from search.synonyms import clear_cache

    registry = wsgi_app.registry
    previous = registry["portal.search"]
    registry["portal.search"] = make_engine("tantivy", tmp_path / "index")
    clear_cache(registry)
    yield registry["portal.search"]
    registry["portal.search"] = previous
    clear_cache(registry)


def publish_form(app, petition):
    return app.get(f"/quan-tri/phan-anh-kien-nghi/{petition.id}/cong-khai")


def test_publish_without_the_answers_folder_says_so(as_user, db, root):
    petition = a_petition(db, root)
    res = as_user("admin").get(f"/quan-tri/phan-anh-kien-nghi/{petition.id}/cong-khai", status=409)
    assert "Chưa có thư mục “/hoi-dap/”" in res.text


def test_editor_publishes_for_review(as_user, db, root, make):
    make("folder", None, "Hỏi đáp", state="published")
    petition = a_petition(db, root, answer="<p>Trả lời.</p>", status="answered")
    app = as_user("editor")
    res = publish_form(app, petition).forms["deform"].submit("save")
    assert res.status_int == 302
    db.refresh(petition)
    from portal.models import Node

    node = db.get(Node, petition.published_id)
    assert node.type == "question_answer" and node.state == "pending"
    assert "Đã gửi câu hỏi, trả lời để duyệt đăng" in res.follow().text


def test_published_answer_is_public_without_personal_data(as_user, db, root, make, search_engine):
    from portal.models import Node

    folder = make("folder", None, "Hỏi đáp", state="published")
    assert folder.path == "/hoi-dap/"
    document = make("legal_document", None, "Quyết định 15/2025/QĐ-UBND về thoát nước", state="published")
    anonymous = as_user("anonymous")
    content = f"Tôi là {NAME}, ở {ADDRESS}. Đường Nguyễn Trãi ngập sâu mỗi khi mưa lớn."
    form = fill(form_of(anonymous), subject="Nước ngập đường Nguyễn Trãi khi mưa lớn", content=content)
    code = sent_code(anonymous, form.submit("send"))
    petition = db.scalar(select(Petition).where(Petition.code == code))

    app = as_user("admin")
    form = app.get(f"/quan-tri/phan-anh-kien-nghi/{petition.id}").forms["deform"]
    form["status"] = "answered"
    form["field"] = "Xây dựng"
    form["answer"] = "<p>Phường đã nạo vét cống thoát nước trên đường Nguyễn Trãi.</p>"
    form["answer_document_id"] = str(document.id)
    form.submit("save")

    page = publish_form(app, petition)
    assert "Hãy xóa mọi thông tin cá nhân" in page.text
    form = page.forms["deform"]
    # Prefilled with what the citizen wrote (staff must edit it), never their contact.
    assert form["title"].value == "Nước ngập đường Nguyễn Trãi khi mưa lớn"
    assert NAME in form["question"].value
    assert form["field"].value == "Xây dựng"
    assert form["answering_document_id"].value == str(document.id)
    for secret in (PHONE, EMAIL):
        assert secret not in page.text.split('name="question"')[1]
    form["question"] = ""
    res = form.submit("save", status=400)
    assert "Bắt buộc" in res.text
    form = res.forms["deform"]
    form["question"] = "Đường Nguyễn Trãi ngập sâu mỗi khi mưa lớn. Khi nào được khắc phục?"
    res = form.submit("save")
    assert res.status_int == 302
    db.refresh(petition)
    qa = db.get(Node, petition.published_id)
    assert qa.state == "published" and qa.path.startswith("/hoi-dap/")
    detail = app.get(f"/quan-tri/phan-anh-kien-nghi/{petition.id}")
    assert "Đã công khai" in detail.text and qa.path in detail.text
    again = publish_form(app, petition)
    assert again.status_int == 302 and "đã được công khai" in again.follow().text

    anonymous = as_user("anonymous")
    qa_page = anonymous.get(qa.path)
    assert "Khi nào được khắc phục?" in qa_page.text
    assert "Phường đã nạo vét cống" in qa_page.text
    assert "Quyết định 15/2025/QĐ-UBND về thoát nước" in qa_page.text
    pages = {
        "folder": anonymous.get("/hoi-dap/"),
        "item": qa_page,
        "form": anonymous.get("/phan-anh-kien-nghi"),
        "status": anonymous.get("/phan-anh-kien-nghi/tra-cuu", {"ma": code}),
        "rss": anonymous.get("/rss.xml"),
        "search": anonymous.get("/tim-kiem", {"q": "Nguyễn Trãi"}),
        "api-search": anonymous.get("/api/v1/search", {"q": "Nguyễn Trãi"}),
        "api": anonymous.get("/api/v1/content" + qa.path),
        "sitemap": anonymous.get("/sitemap.xml"),
    }
    # JSON escapes non-ASCII characters: compare the decoded document.
    texts = {
        name: json.dumps(res.json, ensure_ascii=False) if res.content_type.endswith("json") else res.text
        for name, res in pages.items()
    }
    assert qa.title in texts["folder"] and qa.title in texts["form"]
    assert qa.title in texts["rss"] and qa.path in texts["search"]
    assert qa.title in texts["api-search"] and qa.path in texts["sitemap"]
    assert "Khi nào được khắc phục?" in texts["api"]
    # Searching for the citizen finds nothing (the page echoes the query itself).
    for query in (NAME, "Riêngtư", "Bímật", PHONE):
        assert anonymous.get("/api/v1/search", {"q": query}).json["total"] == 0
    for name, text in texts.items():
        for secret in (NAME, PHONE, EMAIL, ADDRESS, "Riêngtư", "Bímật", "rieng.tu"):
            assert secret not in text, (name, secret)


def test_question_answer_type_page_and_demo(as_user, db, root, types):
    from portal.demo import load_demo

    owner = None
    assert load_demo(db, types, root, owner) > 0
    db.flush()
    assert db.scalar(select(func.count()).select_from(Petition)) == 4
    again = load_demo(db, types, root, owner)
    assert again == 0  # idempotent
    db.commit()
    codes = set(db.scalars(select(Petition.code)))
    assert {"PA-MAU2X7KQRT", "PA-MAU8M4TWAB", "PA-MAU3C6PJUD"} <= codes
    assert all(re.fullmatch(f"PA-[{CODE_ALPHABET}]{{10}}", c) for c in codes)
    late = db.scalar(select(Petition).where(Petition.code == "PA-MAU8M4TWAB"))
    assert late.overdue
    answered = db.scalar(select(Petition).where(Petition.code == "PA-MAU3C6PJUD"))
    assert answered.published_id is not None
    app = as_user("anonymous")
    folder = app.get("/hoi-dap/")
    assert "Đăng ký kết hôn được giải quyết trong bao lâu?" in folder.text
    assert "Phạm Thị Lan" not in folder.text
    form = app.get("/phan-anh-kien-nghi")
    assert "Đăng ký kết hôn được giải quyết trong bao lâu?" in form.text
    home = app.get("/")
    assert 'href="/phan-anh-kien-nghi"' in home.text


def test_a_chosen_file_survives_a_refused_submission(app, db):
    form = fill(form_of(app), email="", phone="")
    attach(form, 1, Upload("bien-ban.pdf", PDF, "application/pdf"))
    res = form.submit("send", status=400)
    assert "bien-ban.pdf" in res.text  # kept by the upload store, shown beside the field
    form = res.forms["deform"]
    form["phone"] = PHONE
    code = sent_code(app, form.submit("send"))
    petition = db.scalar(select(Petition).where(Petition.code == code))
    assert [a.filename for a in petition.attachments] == ["bien-ban.pdf"]


def test_petition_keeps_working_when_its_related_node_is_deleted(app, as_user, db, make):
    from portal import tree

    document = make("legal_document", None, "Nghị quyết về phí vệ sinh", state="published")
    code = sent_code(app, submit(app, related_id=str(document.id)))
    tree.delete(db, document)
    db.commit()
    petition = db.scalar(select(Petition).where(Petition.code == code))
    db.refresh(petition)
    assert petition.related_id is None and petition.related_title == "Nghị quyết về phí vệ sinh"
    page = as_user("editor").get(f"/quan-tri/phan-anh-kien-nghi/{petition.id}")
    assert "Nghị quyết về phí vệ sinh (đã xóa)" in page.text


@pytest.mark.parametrize(
    ("url", "ok"),
    [("/phan-anh-kien-nghi", True), ("//evil.example/x", False), ("/a b", False), ("https://x.gov.vn", True)],
)
def test_service_links_may_point_at_a_page_of_this_site(url, ok):
    import colander

    from content_types.service_link import service_url_validator

    if ok:
        service_url_validator(None, url)
    else:
        with pytest.raises(colander.Invalid):
            service_url_validator(colander.SchemaNode(colander.String()), url)


# --- found in review ------------------------------------------------------------------


def test_codes_typed_without_the_prefix_are_found_whatever_they_start_with():
    assert normalise_code("PA3KXXXXXX") == "PA-PA3KXXXXXX"  # the random part starts with PA
    assert normalise_code("PAPA3KXXXXXX") == "PA-PA3KXXXXXX"  # "PA" typed without its hyphen
    assert normalise_code("pa-pa3kxxxxxx") == "PA-PA3KXXXXXX"


def test_an_overlong_phone_number_is_a_field_error(app, db):
    res = submit(app, phone="0" + "." * 500 + "912345678", status=400)
    assert "30" in res.html.select_one("#item-" + res.forms["deform"]["phone"].id).text
    assert res.forms["deform"]["subject"].value == BASE["subject"]
    assert db.scalar(select(func.count()).select_from(Petition)) == 0


def test_a_line_break_in_the_subject_does_not_break_the_staff_mail(app, db, smtp_sink):
    sent_code(app, submit(app, subject="Xin chào\r\nBcc: evil@example.org"))
    assert len(smtp_sink) == 1
    assert "\n" not in smtp_sink[0]["Subject"] and smtp_sink[0]["Bcc"] is None


def test_staff_mail_links_never_take_the_request_host(app, smtp_sink):
    app.extra_environ = {**app.extra_environ, "HTTP_HOST": "evil.example"}
    sent_code(app, submit(app))
    body = smtp_sink[0].get_content()
    assert "evil.example" not in body
    assert "/quan-tri/phan-anh-kien-nghi/" in body  # a path: portal.public_url is not set


@pytest.mark.parametrize("refusal", ["csrf", "limit", "honeypot"])
def test_refused_submissions_store_no_upload(app, db, registry, monkeypatch, refusal):
    import hashlib

    from portal.blobs import store_for

    payload = PDF + b"%unique-to-this-test-" + refusal.encode()
    digest = hashlib.sha256(payload).hexdigest()
    if refusal == "limit":
        monkeypatch.setitem(registry.settings, "portal.limits.petition", "1/3600")
        submit(app, status=400, phone="", email="")  # a mistake counts as an attempt too
    form = fill(form_of(app))
    attach(form, 1, Upload("don.pdf", payload, "application/pdf"))
    if refusal == "csrf":
        form["csrf_token"] = "sai"
    if refusal == "honeypot":
        form["website"] = "http://spam.example"
    res = form.submit("send", status=429 if refusal == "limit" else 400)
    assert res.forms["deform"]["name"].value == NAME
    assert not store_for(registry.settings).exists(digest)
    assert db.scalar(select(func.count()).select_from(Petition)) == 0


def test_answers_are_published_only_where_the_type_may_be_added(as_user, db, root, make):
    make("page", None, "Hỏi đáp", state="published")  # a page named hoi-dap, not a folder
    petition = a_petition(db, root, answer="<p>Trả lời.</p>", status="answered")
    res = as_user("admin").get(f"/quan-tri/phan-anh-kien-nghi/{petition.id}/cong-khai", status=409)
    assert "không nhận loại nội dung đó" in res.text
    res = as_user("admin").post(
        f"/quan-tri/phan-anh-kien-nghi/{petition.id}/cong-khai", {"title": "x"}, status=409
    )
    db.refresh(petition)
    assert petition.published_id is None
