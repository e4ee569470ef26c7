"""Reviews of legal documents and the lists a review round publishes; /ra-soat-van-ban."""

import datetime as dt

from sqlalchemy import func, select

from content_types.legal_review import LegalDocumentReview, ReviewList
from tests.conftest import login
from tests.test_legal_document import doc, load_legal_demo


def review_form(app, folder="/ra-soat/"):
    return app.get(folder + "@@add?type=legal_document_review").forms["deform"]


def fill_review(form, **values):
    base = {
        "title": "Kết quả rà soát Nghị quyết 24/2021",
        "document": "24/2021/NQ-HĐND",
        "review_round": "2025",
        "reviewing_body": "Sở Tư pháp",
        "reviewed_on": "2025-10-15",
        "recommendation": "sua-doi-bo-sung",
        "assessment": "Mức thu không còn phù hợp.",
        "responsible_agency": "Sở Tài chính",
        "deadline": "2026-06-30",
    }
    for key, value in {**base, **values}.items():
        form[key] = value
    return form


def with_entries(form, rows):
    fields = list(form.submit_fields("save"))
    i = fields.index(("__start__", "entries:sequence")) + 1
    items = []
    for row in rows:
        items += [("__start__", "entry:mapping"), *row.items(), ("__end__", "entry:mapping")]
    return fields[:i] + items + fields[i:]


def setup_documents(make):
    docs = make("folder", title="Văn bản", state="published")
    make("folder", title="Rà soát", state="published")
    target = doc(make, docs, "Nghị quyết phí, lệ phí", "24/2021/NQ-HĐND", issued_on=dt.date(2021, 12, 10))
    return docs, target


def test_contributor_adds_a_review_reviewer_publishes_and_both_pages_show_it(app, make):
    _, target = setup_documents(make)
    login(app, "contributor")
    res = fill_review(review_form(app)).submit("save")
    assert res.status_int == 302
    url = res.location
    page = app.get(url)
    assert "Sửa đổi, bổ sung" in page.text and "15/10/2025" in page.text and "30/06/2026" in page.text
    assert page.html.select_one(f'a[href$="{target.path}"]') is not None
    edit = app.get(url + "@@edit").forms["deform"]
    assert edit["document"].value == "24/2021/NQ-HĐND"

    login(app, "reviewer")
    assert app.get(url + "@@workflow").forms["deform"].submit("publish").status_int == 302
    app.reset()
    doc_page = app.get(target.path)
    assert "Kết quả rà soát" in doc_page.text
    assert "Kết quả rà soát Nghị quyết 24/2021" in doc_page.text
    results = app.get("/ra-soat-van-ban")
    assert "Kết quả rà soát Nghị quyết 24/2021" in results.text
    assert results.html.select_one(f'a[href$="{target.path}"]') is not None


def test_wrong_roles_and_bad_input(app, make):
    setup_documents(make)
    res = app.get("/ra-soat/@@add?type=legal_document_review", status=302)
    assert "/dang-nhap?came_from=" in res.location
    app.post("/ra-soat-van-ban", {"x": "1"}, status=(403, 404))  # the results page is read-only
    login(app, "reader")
    app.get("/ra-soat/@@add?type=legal_document_review", status=403)
    app.get("/ra-soat/@@add?type=review_list", status=403)
    login(app, "editor")
    res = fill_review(review_form(app), document="không có", deadline="2025-01-01").submit("save", status=400)
    assert "Không tìm thấy văn bản" in res.text
    assert res.forms["deform"]["assessment"].value == "Mức thu không còn phù hợp."
    res = fill_review(review_form(app), deadline="2025-01-01").submit("save", status=400)
    assert "Thời hạn xử lý không được trước ngày rà soát." in res.text
    form = fill_review(review_form(app))
    form["recommendation"].force_value("xoa-het")
    assert form.submit("save", status=400)


def test_review_of_a_hidden_document_does_not_link_it(app, make, db):
    docs = make("folder", title="Văn bản", state="published")
    folder = make("folder", title="Rà soát", state="published")
    hidden = doc(make, docs, "Bản nháp", "1/NHAP", state="private")
    make("legal_document_review", folder, "Rà soát bản nháp", state="published", document_id=hidden.id,
         review_round="2025", recommendation="bai-bo")  # fmt: skip
    page = app.get("/ra-soat/ra-soat-ban-nhap/")
    assert "Bản nháp" not in page.text and hidden.path not in page.text
    results = app.get("/ra-soat-van-ban/")
    assert "Rà soát bản nháp" in results.text and "1/NHAP" not in results.text


def test_review_list_with_entries_linked_when_visible(app, make, db):
    docs, target = setup_documents(make)
    hidden = doc(make, docs, "Ẩn", "5/AN", state="private")
    login(app, "editor")
    form = app.get("/ra-soat/@@add?type=review_list").forms["deform"]
    form["title"] = "Danh mục văn bản hết hiệu lực toàn bộ năm 2025"
    form["review_round"] = "2025"
    form["list_kind"] = "het-hieu-luc-toan-bo"
    form["issuing_decision"] = "Quyết định số 88/QĐ-UBND"
    rows = [
        {"number": "24/2021/NQ-HĐND", "issued_on": "10/12/2021", "title": "Nghị quyết phí",
         "reason": "Được thay thế", "expired_on": "2025-08-01", "document": "24/2021/NQ-HĐND"},
        {"number": "5/AN", "issued_on": "", "title": "Văn bản ẩn", "reason": "Bãi bỏ",
         "expired_on": "", "document": "5/AN"},
        {"number": "77/2018/QĐ-UBND", "issued_on": "2018-03-01", "title": "Không có trên trang",
         "reason": "Hết thời hạn", "expired_on": "2025-01-01", "document": ""},
    ]  # fmt: skip
    res = app.post(form.action, with_entries(form, rows))
    assert res.status_int == 302, res.text[-3000:]
    url = res.location
    bad = [dict(rows[0], document="không tồn tại", title="Giữ lại")]
    form = app.get("/ra-soat/@@add?type=review_list").forms["deform"]
    form["title"] = "Danh mục lỗi"
    res = app.post(form.action, with_entries(form, bad), status=400)
    assert "Không tìm thấy văn bản" in res.text and "Giữ lại" in res.text

    login(app, "admin")
    assert app.get(url + "@@workflow").forms["deform"].submit("publish").status_int == 302
    app.reset()
    page = app.get(url).html
    headers = [th.text.strip() for th in page.select("thead th")]
    assert headers[1:] == ["Số, ký hiệu", "Ngày ban hành", "Tên gọi (trích yếu)", "Lý do hết hiệu lực",
                           "Ngày hết hiệu lực"]  # fmt: skip
    body = page.select("tbody tr")
    assert len(body) == 3
    assert body[0].select_one(f'a[href$="{target.path}"]') is not None
    assert "10/12/2021" in body[0].text and "01/08/2025" in body[0].text
    assert body[1].select_one("a") is None and hidden.path not in str(page)
    assert body[2].select_one("a") is None and "77/2018/QĐ-UBND" in body[2].text
    assert "Danh mục văn bản hết hiệu lực toàn bộ năm 2025" in app.get("/ra-soat-van-ban").text

    login(app, "editor")
    edit = app.get(url + "@@edit").forms["deform"]
    assert edit.submit("save").status_int == 302  # entries come back in the form
    app.reset()
    assert len(app.get(url).html.select("tbody tr")) == 3


def test_results_filters_paging_and_fixed_query_count(app, make, count_statements):
    _, target = setup_documents(make)
    box = make("folder", title="Kết quả", state="published")
    for i in range(3):
        make("legal_document_review", box, f"Rà soát số {i:02d}", state="published", document_id=target.id,
             review_round="2024", reviewed_on=dt.date(2024, 3, 1) + dt.timedelta(days=i),
             recommendation="giu-nguyen")  # fmt: skip
    make("review_list", box, "Danh mục 2024", state="published", review_round="2024")
    app.get("/")
    few = count_statements("/ra-soat-van-ban")
    for i in range(3, 23):
        make("legal_document_review", box, f"Rà soát số {i:02d}", state="published", document_id=target.id,
             review_round="2025", reviewed_on=dt.date(2025, 3, 1) + dt.timedelta(days=i),
             recommendation="bai-bo" if i % 2 else "thay-the")  # fmt: skip
    make("legal_document_review", box, "Chưa duyệt", state="private", document_id=target.id,
         review_round="2025", recommendation="bai-bo")  # fmt: skip
    make("review_list", box, "Danh mục 2025", state="published", review_round="2025")
    app.get("/")
    assert count_statements("/ra-soat-van-ban") == few
    assert count_statements("/ra-soat-van-ban/?dot=2025") == few

    first = app.get("/ra-soat-van-ban")
    assert len(first.html.select("tbody tr")) == 20 and "Chưa duyệt" not in first.text
    assert "Rà soát số 22" in first.html.select("tbody tr")[0].text  # newest first
    second = app.get(first.html.select_one('a[rel="next"]')["href"])
    assert len(second.html.select("tbody tr")) == 3

    def titles(url):
        return [r.th.a.text for r in app.get(url).html.select("tbody tr")]

    assert sorted(titles("/ra-soat-van-ban?dot=2024")) == ["Rà soát số 00", "Rà soát số 01", "Rà soát số 02"]
    assert len(titles("/ra-soat-van-ban?nam=2025&kien-nghi=bai-bo")) == 10
    assert (
        app.get("/ra-soat-van-ban?nam=2025").html.select_one("#loc-nam option[selected]")["value"] == "2025"
    )
    for bad in ("dot=%00", "nam=x", "kien-nghi=<script>", "trang=abc"):
        assert app.get("/ra-soat-van-ban?" + bad).status_int == 200
    login(app, "editor")
    assert "Chưa duyệt" in app.get("/ra-soat-van-ban?dot=2025&kien-nghi=bai-bo").text


def test_demo_reviews_and_lists(app, db, types, root):
    load_legal_demo(db, types, root)
    reviews = db.scalar(select(func.count()).select_from(LegalDocumentReview))
    lists = db.scalar(select(func.count()).select_from(ReviewList))
    assert reviews >= 5 and lists >= 2
    assert load_legal_demo(db, types, root) == 0
    db.commit()
    page = app.get("/ra-soat-van-ban")
    assert "Danh mục văn bản hết hiệu lực một phần năm 2025" in page.text
    listing = app.get("/ra-soat-van-ban/danh-muc-het-hieu-luc-toan-bo-2025/")
    assert "04/2020/TT-BNV" in listing.text
    assert "Kết quả rà soát" in app.get("/van-ban/nghi-quyet-24-2021/").text


def test_list_entry_cannot_expire_before_it_was_issued(app, make):
    make("folder", title="Rà soát", state="published")
    login(app, "editor")
    form = app.get("/ra-soat/@@add?type=review_list").forms["deform"]
    form["title"] = "Danh mục văn bản hết hiệu lực năm 2025"
    form["review_round"] = "2025"
    entry = {"number": "5/2020/QĐ-UBND", "issued_on": "2020-03-01", "title": "Quy định cũ",
             "reason": "Bị thay thế", "expired_on": "2019-01-01", "document": ""}  # fmt: skip
    res = app.post("/ra-soat/@@add?type=review_list", with_entries(form, [entry]), status=400)
    assert "Ngày hết hiệu lực không được trước ngày ban hành." in res.text
    assert "Quy định cũ" in res.text  # what was typed is kept
