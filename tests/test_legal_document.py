"""Legal documents: the form (dates, fields, relations, attachments), the page, the
/van-ban catalogue with its filters, and the demo documents."""

import datetime as dt
from urllib.parse import urlencode

from sqlalchemy import func, select
from webtest import Upload

from content_types.legal_document import DocumentRelation, LegalDocument, today
from tests.conftest import login
from tests.test_file import PDF, docx_bytes


def add_form(app, folder="/van-ban/"):
    return app.get(folder + "@@add?type=legal_document").forms["deform"]


def fill(form, **values):
    base = {
        "title": "Quyết định ban hành quy chế tiếp công dân",
        "number": "12/2025/QĐ-UBND",
        "doc_type": "quyet-dinh",
        "issuer": "Ủy ban nhân dân tỉnh",
        "issued_on": "2025-06-20",
        "effective_on": "2025-07-01",
    }
    for key, value in {**base, **values}.items():
        form[key] = value
    return form


def doc(make, parent, title, number, **fields):
    fields.setdefault("state", "published")
    fields.setdefault("effective", dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    return make("legal_document", parent, title, number=number, **fields)


def with_relations(form, rows):
    """The form's fields with sequence items added, as a browser with scripts would."""
    fields = [(k, v) for k, v in form.submit_fields("save") if k != "upload"]
    i = fields.index(("__start__", "relations:sequence")) + 1
    items = []
    for kind, target in rows:
        items += [("__start__", "relation:mapping"), ("kind", kind), ("target", target)]
        items += [("__end__", "relation:mapping")]
    return fields[:i] + items + fields[i:]


def test_contributor_adds_reviewer_publishes_anonymous_sees(app, make):
    make("folder", title="Văn bản", state="published")
    login(app, "contributor")
    form = fill(add_form(app), field_names="Cải cách hành chính, Tiếp công dân; cải cách hành chính")
    form["signer"] = "Lý Quốc Việt"
    form["summary"] = "Ban hành quy chế tiếp công dân tại trụ sở"
    form["upload"] = Upload("Quyết định 12.pdf", PDF, "application/pdf")
    res = form.submit("save")
    assert res.status_int == 302
    url = res.location
    page = app.get(url)
    assert "12/2025/QĐ-UBND" in page.text and "Lý Quốc Việt" in page.text
    assert "20/06/2025" in page.text and "01/07/2025" in page.text
    assert "Cải cách hành chính, Tiếp công dân" in page.text
    assert "Còn hiệu lực" in page.text
    assert "Quyết định 12.pdf" in page.text and "Xem" in page.text
    assert app.get(url + "@@workflow").forms["deform"].submit("submit").status_int == 302

    app.reset()
    app.get(url, status=404)
    assert "12/2025/QĐ-UBND" not in app.get("/van-ban").text

    login(app, "reviewer")
    assert app.get(url + "@@workflow").forms["deform"].submit("publish").status_int == 302
    app.reset()
    assert "Ban hành quy chế tiếp công dân" in app.get(url).text
    assert "12/2025/QĐ-UBND" in app.get("/van-ban").text


def test_reader_and_anonymous_may_not_add(app, make):
    make("folder", title="Văn bản", state="published")
    res = app.get("/van-ban/@@add?type=legal_document", status=302)
    assert "/dang-nhap?came_from=" in res.location
    login(app, "reader")
    app.get("/van-ban/@@add?type=legal_document", status=403)


def test_dates_are_checked_with_vietnamese_field_errors(app, make):
    make("folder", title="Văn bản", state="published")
    login(app, "editor")
    form = fill(add_form(app), effective_on="2025-06-01", expiry_on="2025-05-01", signer="Người ký giữ lại")
    res = form.submit("save", status=400)
    assert "Ngày có hiệu lực không được trước ngày ban hành." in res.text
    assert "Ngày hết hiệu lực phải sau ngày ban hành và ngày có hiệu lực." in res.text
    kept = res.forms["deform"]
    assert kept["signer"].value == "Người ký giữ lại" and kept["number"].value == "12/2025/QĐ-UBND"
    kept["effective_on"] = "01/07/2025"  # typed by hand works too
    kept["expiry_on"] = ""
    assert kept.submit("save").status_int == 302
    form = fill(add_form(app), issued_on="31/02/2025", number="Khác")
    assert "Ngày không hợp lệ" in form.submit("save", status=400).text


def test_validity_is_derived_from_the_dates_unless_the_editor_sets_it(app, make, db):
    folder = make("folder", title="Văn bản", state="published")
    now = today()
    future = doc(make, folder, "Chưa hiệu lực", "1/A", effective_on=now + dt.timedelta(days=30))
    expired = doc(make, folder, "Đã hết", "2/A", effective_on=now.replace(year=now.year - 2),
                  expiry_on=now - dt.timedelta(days=1))  # fmt: skip
    partly = doc(make, folder, "Một phần", "3/A", validity="het-hieu-luc-mot-phan",
                 validity_reason="Điều 5 bị bãi bỏ.")  # fmt: skip
    assert "Chưa có hiệu lực" in app.get(future.path).text
    assert "Hết hiệu lực toàn bộ" in app.get(expired.path).text
    page = app.get(partly.path).text
    assert "Hết hiệu lực một phần" in page and "Điều 5 bị bãi bỏ." in page

    listing = app.get("/van-ban/?hieu-luc=chua-co-hieu-luc").text
    assert "1/A" in listing and "2/A" not in listing and "3/A" not in listing
    listing = app.get("/van-ban/?hieu-luc=het-hieu-luc-toan-bo").text
    assert "2/A" in listing and "1/A" not in listing
    listing = app.get("/van-ban/?hieu-luc=het-hieu-luc-mot-phan").text
    assert "3/A" in listing and "2/A" not in listing


def test_relations_are_stored_once_and_shown_from_both_sides(app, make, db):
    folder = make("folder", title="Văn bản", state="published")
    old = doc(make, folder, "Quy chế cũ", "25/2019/QĐ-UBND")
    basis = doc(make, folder, "Nghị định một cửa", "118/2019/NĐ-CP")
    login(app, "editor")
    form = fill(add_form(app), title="Quy chế mới")
    fields = with_relations(form, [("thay-the", "25/2019/QĐ-UBND"), ("can-cu", basis.path)])
    res = app.post(form.action, fields)
    assert res.status_int == 302, res.text[:2000]
    new_url = res.location
    assert db.scalar(select(func.count()).select_from(DocumentRelation)) == 2

    app.reset()
    app.get(new_url, status=404)  # private: the old one's page must not link to it
    assert "Bị thay thế bởi" not in app.get(old.path).text

    login(app, "reviewer")
    assert app.get(new_url + "@@workflow").forms["deform"].submit("publish").status_int == 302
    app.reset()
    new_page = app.get(new_url).html
    old_page = app.get(old.path).html
    assert "Thay thế" in new_page.text and "Căn cứ" in new_page.text
    assert new_page.select_one(f'a[href$="{old.path}"]') is not None
    assert "Bị thay thế bởi" in old_page.text
    assert old_page.select_one(f'a[href$="{new_url[len("http://localhost") :]}"]') is not None
    assert "Là căn cứ của" in app.get(basis.path).text

    # Editing keeps the stored rows that stay and drops the others.
    login(app, "editor")
    edit = app.get(new_url + "@@edit").forms["deform"]
    fields = [(k, v) for k, v in edit.submit_fields("save") if k != "upload"]
    assert ("target", "25/2019/QĐ-UBND") in fields and ("target", "118/2019/NĐ-CP") in fields
    assert app.post(edit.action, fields).status_int == 302
    assert db.scalar(select(func.count()).select_from(DocumentRelation)) == 2


def test_relation_to_an_unknown_document_is_a_field_error(app, make):
    folder = make("folder", title="Văn bản", state="published")
    make("page", folder, "Không phải văn bản", state="published")
    login(app, "editor")
    form = fill(add_form(app))
    fields = with_relations(form, [("bai-bo", "99/2099/QĐ-XYZ"), ("can-cu", "/van-ban/khong-phai-van-ban/")])
    res = app.post(form.action, fields, status=400)
    assert res.text.count("Không tìm thấy văn bản") == 2
    assert res.forms["deform"]["title"].value == "Quyết định ban hành quy chế tiếp công dân"


def test_expired_or_unpublished_targets_are_not_linked_for_anonymous(app, make, db):
    folder = make("folder", title="Văn bản", state="published")
    main = doc(make, folder, "Văn bản chính", "1/VB")
    hidden = doc(make, folder, "Chưa duyệt", "2/VB", state="private")
    gone = doc(make, folder, "Hết hạn hiển thị", "3/VB",
               expires=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))  # fmt: skip
    db.add_all([
        DocumentRelation(source_id=main.id, kind="bai-bo", target_id=hidden.id),
        DocumentRelation(source_id=gone.id, kind="lien-quan", target_id=main.id),
    ])  # fmt: skip
    db.commit()
    page = app.get(main.path).text
    assert "Chưa duyệt" not in page and "Hết hạn hiển thị" not in page and "Bãi bỏ" not in page
    listing = app.get("/van-ban").text
    assert "1/VB" in listing and "2/VB" not in listing and "3/VB" not in listing
    login(app, "editor")
    assert "Chưa duyệt" in app.get(main.path).text


def test_attachments_download_view_remove_and_wrong_type(app, make):
    make("folder", title="Văn bản", state="published")
    login(app, "editor")
    form = fill(add_form(app))
    form["upload"] = Upload("chương trình.exe", b"MZ\x90\x00 program", "application/pdf")
    res = form.submit("save", status=400)
    assert "Chỉ nhận tệp PDF, DOC, DOCX, XLS, XLSX hoặc ODT." in res.text
    assert res.forms["deform"]["number"].value == "12/2025/QĐ-UBND"
    form = fill(add_form(app))
    form["upload"] = Upload("Kế hoạch.pdf", PDF, "application/pdf")
    url = form.submit("save").location
    edit = app.get(url + "@@edit").forms["deform"]
    edit["upload"] = Upload("phu-luc.docx", docx_bytes(), "application/octet-stream")
    assert edit.submit("save").status_int == 302
    page = app.get(url).html
    links = [a["href"] for a in page.select(".attachments a[download]")]
    assert len(links) == 2
    res = app.get(links[0])
    assert res.body == PDF and res.content_type == "application/pdf"
    assert res.headers["Content-Disposition"].startswith('attachment; filename="Ke hoach.pdf"')
    assert "filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch.pdf" in res.headers["Content-Disposition"]
    assert res.headers["Cache-Control"] == "private, no-store"
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert app.get(links[0] + "?inline=1").headers["Content-Disposition"].startswith("inline;")
    docx = app.get(links[1] + "?inline=1")
    assert docx.headers["Content-Disposition"].startswith("attachment;")  # only PDFs inline
    app.get(url + "@@attachment/999999", status=404)
    app.get(url + "@@attachment/abc", status=404)

    login(app, "admin")
    assert app.get(url + "@@workflow").forms["deform"].submit("publish").status_int == 302
    app.reset()
    assert app.get(links[0]).headers["Cache-Control"] == "public, max-age=3600"

    login(app, "editor")
    edit = app.get(url + "@@edit").forms["deform"]
    first_id = links[0].rsplit("/", 1)[1]
    for box in edit.fields["checkbox"]:
        box.checked = box._value == first_id
    assert edit.submit("save").status_int == 302
    assert len(app.get(url).html.select(".attachments a[download]")) == 1
    app.get(links[0], status=404)


def test_catalogue_filters_paging_and_bad_values(app, make):
    folder = make("folder", title="Văn bản", state="published")
    for i in range(25):
        doc(make, folder, f"Kế hoạch số {i:02d}", f"{i}/KH-UBND", doc_type="ke-hoach",
            issuer="Ủy ban nhân dân xã", issued_on=dt.date(2024, 1, 1) + dt.timedelta(days=i))  # fmt: skip
    special = doc(make, folder, "Nghị quyết về phí", "09/2025/NQ-HĐND", doc_type="nghi-quyet",
                  issuer="Hội đồng nhân dân tỉnh", issued_on=dt.date(2025, 7, 15))  # fmt: skip
    login(app, "editor")
    edit = app.get(special.path + "@@edit").forms["deform"]
    edit["field_names"] = "Phí và lệ phí"
    assert edit.submit("save").status_int == 302
    app.reset()

    first = app.get("/van-ban")
    rows = first.html.select("table.legal-table tbody tr")
    assert len(rows) == 20 and "09/2025/NQ-HĐND" in rows[0].text  # newest issued first
    assert first.html.select_one('a[rel="next"]') is not None
    for label in first.html.select("form.legal-filters label"):
        assert first.html.select_one("#" + label["for"]) is not None
    second = app.get(first.html.select_one('a[rel="next"]')["href"])
    assert len(second.html.select("table.legal-table tbody tr")) == 6

    def numbers(url):
        return [r.th.text.strip() for r in app.get(url).html.select("table.legal-table tbody tr")]

    assert numbers("/van-ban/?loai=nghi-quyet") == ["09/2025/NQ-HĐND"]
    assert numbers("/van-ban/?nam=2025") == ["09/2025/NQ-HĐND"]
    assert numbers("/van-ban/?" + urlencode({"co-quan": "Hội đồng nhân dân tỉnh"})) == ["09/2025/NQ-HĐND"]
    assert numbers("/van-ban/?linh-vuc=phi-va-le-phi") == ["09/2025/NQ-HĐND"]
    assert numbers("/van-ban/?" + urlencode({"q": "kế hoạch số 07"})) == ["7/KH-UBND"]
    assert numbers("/van-ban/?" + urlencode({"q": "nq-HĐND"})) == ["09/2025/NQ-HĐND"]
    kept = app.get("/van-ban/?loai=ke-hoach&nam=2024&trang=2")
    assert kept.html.select_one("#loc-loai option[selected]")["value"] == "ke-hoach"
    assert "loai=ke-hoach" in kept.html.select_one('a[rel="prev"]')["href"]
    for bad in ("loai=zzz", "nam=abc", "nam=1800", "hieu-luc=%00", "trang=-1", "q=" + "x" * 5000,
                "q=%25_%27", "linh-vuc[]=1", "trang=99999"):  # fmt: skip
        assert app.get("/van-ban?" + bad).status_int == 200
    assert len(app.get("/van-ban?loai=zzz").html.select("table.legal-table tbody tr")) == 20


def test_catalogue_runs_a_fixed_number_of_queries(app, make, count_statements):
    folder = make("folder", title="Văn bản", state="published")
    for i in range(3):
        doc(make, folder, f"Văn bản {i}", f"{i}/A")
    app.get("/")
    few = count_statements("/van-ban")
    for i in range(3, 25):
        doc(make, folder, f"Văn bản {i}", f"{i}/A")
    app.get("/")  # the navigation cache follows the site's generation
    assert count_statements("/van-ban") == few
    assert count_statements("/van-ban/?hieu-luc=con-hieu-luc&trang=2") == few


def test_items_in_the_van_ban_folder_still_traverse(app, make):
    folder = make("folder", title="Văn bản", state="published")
    item = doc(make, folder, "Một văn bản", "1/X")
    assert item.path == "/van-ban/mot-van-ban/"
    assert "Một văn bản" in app.get(item.path).text
    assert app.get("/van-ban").status_int == 200 and app.get("/van-ban/").status_int == 200


def load_legal_demo(db, types, root):
    """Only this module's demo loaders (the other types' ones are tested with them)."""
    from portal.models import User

    owner = db.scalar(select(User).where(User.login == "admin"))
    created = 0
    for name in ("legal_document", "legal_document_review"):
        created += types[name].extra["demo"](db, types, root, owner)
        db.flush()
    return created


def test_demo_documents_load_once(db, types, root):
    assert load_legal_demo(db, types, root) > 30
    count = db.scalar(select(func.count()).select_from(LegalDocument))
    relations = db.scalar(select(func.count()).select_from(DocumentRelation))
    assert count >= 30 and relations >= 10
    assert load_legal_demo(db, types, root) == 0
    assert db.scalar(select(func.count()).select_from(LegalDocument)) == count
    assert db.scalar(select(func.count()).select_from(DocumentRelation)) == relations
    published = db.scalars(select(LegalDocument)).all()
    assert all(d.state == "published" and d.effective <= dt.datetime.now(dt.UTC) for d in published)
    assert len({d.doc_type for d in published}) >= 6 and len({d.issuer for d in published}) >= 6


def test_demo_catalogue_shows_documents_and_pdfs(app, db, types, root):
    load_legal_demo(db, types, root)
    db.commit()
    listing = app.get("/van-ban")
    assert "12/2025/QĐ-UBND" in listing.text
    assert "Chưa có hiệu lực" in app.get("/van-ban/?hieu-luc=chua-co-hieu-luc").text
    assert "04/2020/TT-BNV" in app.get("/van-ban/?hieu-luc=het-hieu-luc-toan-bo").text
    page = app.get("/van-ban/quyet-dinh-12-2025/")
    assert "Bị thay thế bởi" not in page.text and "Thay thế" in page.text
    pdf = page.html.select_one(".attachments a[download]")["href"]
    assert app.get(pdf).body.startswith(b"%PDF-")
    assert "Được sửa đổi, bổ sung bởi" in app.get("/van-ban/nghi-dinh-118-2019/").text


def test_catalogue_text_filter_ignores_accents_and_case(app, make):
    folder = make("folder", title="Văn bản", name="vb", state="published")
    make("legal_document", folder, "Quyết định về thủ tục hộ tịch", state="published",
         number="12/2025/QĐ-UBND", doc_type="quyet-dinh")  # fmt: skip
    make("legal_document", folder, "Kế hoạch cải cách hành chính", state="published",
         number="30/KH-UBND", doc_type="ke-hoach")  # fmt: skip
    for q in ("quyet dinh", "QUYẾT ĐỊNH", "ho tich", "qđ-ubnd", "12/2025"):
        page = app.get("/van-ban", params={"q": q})
        assert "Quyết định về thủ tục hộ tịch" in page.text, q
        assert "Kế hoạch cải cách hành chính" not in page.text, q


def test_gazette_date_and_relation_count_are_checked(app, make):
    make("folder", title="Văn bản", state="published")
    other = doc(make, make("folder", title="Khác", state="published"), "Luật", "1/2020/QH14")
    login(app, "editor")
    form = fill(add_form(app), gazette_date="2025-06-01")
    res = form.submit("save", status=400)
    assert "Ngày đăng công báo không được trước ngày ban hành." in res.text
    form = fill(add_form(app), gazette_date="2025-06-25")
    fields = with_relations(form, [("can-cu", other.number)] * 101)
    res = app.post("/van-ban/@@add?type=legal_document", fields, status=400)
    assert "Tối đa 100 dòng." in res.text
