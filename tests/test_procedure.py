"""Administrative procedures: the edit form with its tables, the public page, form
template downloads and the /thu-tuc-hanh-chinh catalogue."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from sqlalchemy import func, select
from webtest import Upload

from tests.conftest import csrf_from, login

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ONLINE = "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.001193"


def legal_document(db, root, number, title, state="published"):
    """A Legal document item, made from the model (its type may not be registered yet)."""
    from content_types.legal_document import LegalDocument
    from portal import tree
    from portal.models import User, utcnow

    now = utcnow()
    owner = db.scalar(select(User.id).where(User.login == "admin"))
    doc = LegalDocument(
        title=title,
        number=number,
        doc_type="quyet-dinh",
        issuer="Ủy ban nhân dân tỉnh",
        issued_on=dt.date(2025, 3, 12),
        state=state,
        owner_id=owner,
        created=now,
        modified=now,
        effective=now - dt.timedelta(days=1) if state == "published" else None,
    )
    tree.add_child(db, root, doc)
    db.commit()
    return doc


def seq(name, rows):
    out = [("__start__", f"{name}:sequence")]
    for row in rows:
        out.append(("__start__", "row:mapping"))
        out.extend(row)
        out.append(("__end__", "row:mapping"))
    out.append(("__end__", f"{name}:sequence"))
    return out


def way(channel, time, fee, note=""):
    return [("channel", channel), ("processing_time", time), ("fee", fee), ("note", note)]


def component(name, copies, upload=None, uid=None):
    tpl = [("__start__", "template:mapping")]
    tpl.append(("upload", upload if upload is not None else Upload("", b"", "application/octet-stream")))
    if uid:
        tpl.append(("uid", uid))
    tpl.append(("__end__", "template:mapping"))
    return [("name", name), *tpl, ("copies", copies)]


def basis(number, summary="", issued_on="", issuer=""):
    return [("number", number), ("summary", summary), ("issued_on", issued_on), ("issuer", issuer)]


def procedure_params(csrf, **over):
    values = {
        "title": "Thủ tục đăng ký khai sinh",
        "description": "Đăng ký khai sinh cho trẻ em sinh ra trên địa bàn.",
        "code": "1.001193",
        "decision_number": "Quyết định số 1234/QĐ-UBND ngày 05/8/2025",
        "level": "cap-xa",
        "kind": "TTHC được luân chuyển",
        "field": "Hộ tịch",
        "steps": "<p>Bước 1: Nộp hồ sơ.</p><script>alert(1)</script><p>Bước 2: Nhận kết quả.</p>",
        "applicants": "Công dân Việt Nam\nNgười nước ngoài cư trú tại xã",
        "implementing_agency": "Ủy ban nhân dân cấp xã",
        "competent_agency": "Ủy ban nhân dân cấp xã",
        "receiving_address": "Bộ phận Một cửa, số 1 đường Thử",
        "result": "Giấy khai sinh (bản chính)",
        "requirements": "Không",
        "online_level": "toan-trinh",
        "online_url": ONLINE,
        "validity": "con-hieu-luc",
        "verified_on": "2025-09-15",
    }
    values.update({k: v for k, v in over.items() if k not in ("ways", "components", "basis")})
    ways = over.get("ways", [way("truc-tiep", "Ngay trong ngày", "Miễn lệ phí", "Nộp tại Bộ phận Một cửa")])
    components = over.get("components", [])
    rows = over.get("basis", [])
    order = ["title", "description", "name", "effective", "expires", "code", "decision_number"]
    order += ["level", "kind", "field", "steps"]
    params = [("_charset_", "UTF-8"), ("__formid__", "deform"), ("csrf_token", csrf)]
    params += [(k, values.get(k, "")) for k in order]
    params += seq("filing_ways", ways)
    params += seq("dossier_components", components)
    for k in ("applicants", "implementing_agency", "competent_agency", "receiving_address", "result"):
        params.append((k, values[k]))
    params += seq("legal_basis", rows)
    for k in ("requirements", "online_level", "online_url", "validity", "verified_on"):
        params.append((k, values[k]))
    params.append(("save", "save"))
    return params


def post_add(app, folder_url, **over):
    page = app.get(folder_url + "@@add?type=procedure")
    return app.post(
        folder_url + "@@add?type=procedure",
        params=procedure_params(csrf_from(page), **over),
        content_type="multipart/form-data",
        expect_errors=True,
    )


def test_editor_creates_a_procedure_with_its_tables_and_anonymous_sees_it_once_published(app, make, db, root):
    make("folder", title="Thủ tục hành chính", name="thu-tuc-hanh-chinh", state="published")
    doc = legal_document(db, root, "12/2025/QĐ-UBND", "Quy định phân cấp giải quyết thủ tục")
    login(app, "editor")
    res = post_add(
        app,
        "/thu-tuc-hanh-chinh/",
        ways=[
            way("truc-tiep", "Ngay trong ngày", "Miễn lệ phí", "Nộp tại Bộ phận Một cửa"),
            way("truc-tuyen", "Ngay trong ngày", "Miễn lệ phí"),
        ],
        components=[
            component(
                "Tờ khai đăng ký khai sinh",
                "Bản chính: 1",
                Upload("Tờ khai khai sinh.pdf", PDF, "application/pdf"),
            ),
            component("Giấy chứng sinh", "Bản chính: 1"),
        ],
        basis=[
            basis("12/2025/QĐ-UBND"),
            basis("60/2014/QH13", "Luật Hộ tịch", "2014-11-20", "Quốc hội"),
        ],
    )
    assert res.status_int == 302, res.text[:3000]
    url = res.location
    assert url.endswith("/thu-tuc-hanh-chinh/thu-tuc-dang-ky-khai-sinh/")

    from content_types.procedure import Procedure, ProcedureLegalBasis

    db.expire_all()
    proc = db.scalar(select(Procedure).where(Procedure.code == "1.001193"))
    assert [w["channel"] for w in proc.filing_ways] == ["truc-tiep", "truc-tuyen"]
    assert proc.dossier_components[0]["template"]["filename"] == "Tờ khai khai sinh.pdf"
    assert proc.dossier_components[1]["template"] is None
    assert [(b.number, b.document_id) for b in proc.legal_basis] == [
        ("12/2025/QĐ-UBND", doc.id),
        ("60/2014/QH13", None),
    ]
    assert proc.legal_basis[1].issued_on == dt.date(2014, 11, 20)
    assert proc.verified_on == dt.date(2025, 9, 15)
    assert "<script>" not in proc.steps
    assert proc.search_text == "ho tich | thu tuc dang ky khai sinh | 1.001193"

    # Editing without touching anything keeps every row and the uploaded template.
    form = app.get(url + "@@edit").forms["deform"]
    edit_page = app.get(url + "@@edit").text
    assert "Tệp đang dùng" in edit_page and "Tờ khai khai sinh.pdf" in edit_page
    form["title"] = "Thủ tục đăng ký khai sinh (sửa)"
    assert form.submit("save").status_int == 302
    db.expire_all()
    proc = db.get(Procedure, proc.id)
    assert proc.search_text == "ho tich | thu tuc dang ky khai sinh (sua) | 1.001193"
    assert len(proc.filing_ways) == 2
    assert [c["name"] for c in proc.dossier_components] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert proc.dossier_components[0]["template"]["filename"] == "Tờ khai khai sinh.pdf"
    assert [b.number for b in proc.legal_basis] == ["12/2025/QĐ-UBND", "60/2014/QH13"]
    assert proc.legal_basis[0].document_id == doc.id
    # Rows are replaced, never left behind.
    assert db.scalar(select(func.count()).select_from(ProcedureLegalBasis)) == 2

    app.reset()
    app.get(url, status=404)
    login(app, "reviewer")
    assert app.get(url + "@@workflow").forms["deform"].submit("publish").status_int == 302

    app.reset()
    page = app.get(url)
    html = page.html
    headings = [h.text.strip() for h in html.select("article h2")]
    assert headings == [
        "Trình tự thực hiện",
        "Cách thức thực hiện",
        "Thành phần hồ sơ",
        "Thời hạn giải quyết",
        "Đối tượng thực hiện",
        "Cơ quan thực hiện",
        "Kết quả thực hiện",
        "Phí, lệ phí",
        "Căn cứ pháp lý",
        "Yêu cầu, điều kiện thực hiện",
    ]
    assert "alert(1)" not in page.text
    button = html.select_one("a.btn-primary")
    assert button.text.strip() == "Nộp hồ sơ trực tuyến"
    assert button["href"] == ONLINE and button["rel"] == ["noopener"] and not button.get("target")
    ways_table = html.select("article table")[0]
    assert [th.text.strip() for th in ways_table.select("tbody th[scope=row]")] == ["Trực tiếp", "Trực tuyến"]
    assert "15/09/2025" in page.text and "Toàn trình" in page.text
    # The legal document is linked once the visitor may see it; the other row is text.
    basis_table = html.select("article table")[2]
    links = basis_table.select("a")
    assert [a.text for a in links] == ["12/2025/QĐ-UBND"]
    assert links[0]["href"].endswith(doc.path)
    assert "Luật Hộ tịch" in basis_table.text and "20/11/2014" in basis_table.text

    # The template downloads with safe headers.
    href = html.select("article table")[1].select_one("a")["href"]
    res = app.get(href)
    assert res.body == PDF and res.content_type == "application/pdf"
    disposition = res.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="To khai khai sinh.pdf"')
    assert "filename*=UTF-8''T%E1%BB%9D%20khai%20khai%20sinh.pdf" in disposition
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["Cache-Control"] == "public, max-age=3600"
    app.get(url + "@@mau/" + "0" * 64 + "/x.pdf", status=404)
    app.get(url + "@@mau", status=404)


def test_legal_document_the_visitor_may_not_see_is_shown_as_text(app, make, db, root):
    from content_types.procedure import ProcedureLegalBasis

    doc = legal_document(db, root, "99/2025/QĐ-UBND", "Dự thảo quy định", state="private")
    proc = make("procedure", title="Chứng thực bản sao", state="published", field="Chứng thực")
    db.add(ProcedureLegalBasis(procedure_id=proc.id, document_id=doc.id, number="99/2025/QĐ-UBND"))
    db.commit()
    table = app.get(proc.path).html.select("article table")[-1]
    assert "99/2025/QĐ-UBND" in table.text and table.select("a") == []
    login(app, "editor")
    assert app.get(proc.path).html.select("article table")[-1].select("a")


def test_online_url_is_required_when_there_is_an_online_service(app, make):
    make("folder", title="Thủ tục", state="published")
    login(app, "editor")
    res = post_add(
        app,
        "/thu-tuc/",
        online_level="mot-phan",
        online_url="",
        components=[component("Đơn đề nghị", "Bản chính: 1", Upload("don.pdf", PDF, "application/pdf"))],
        basis=[basis("", "Nghị định về chứng thực")],
        ways=[way("truc-tiep", "02 ngày làm việc", "10.000 đồng"), way("buu-chinh", "03 ngày", "")],
    )
    assert res.status_int == 400
    assert "Hãy nhập địa chỉ nộp hồ sơ trực tuyến" in res.text
    form = res.forms["deform"]
    # Everything typed is still there, every row of every table included.
    assert form["title"].value == "Thủ tục đăng ký khai sinh"
    assert [f.value for f in form.fields["processing_time"]] == ["02 ngày làm việc", "03 ngày"]
    assert "Đơn đề nghị" in [f.value for f in form.fields["name"]]  # the row, beside the URL name
    assert "don.pdf" in res.text  # the upload was kept
    assert form.fields["summary"][0].value == "Nghị định về chứng thực"

    form["online_url"] = "javascript:alert(1)"
    res = form.submit("save", status=400)
    assert "Địa chỉ phải bắt đầu bằng http:// hoặc https://" in res.text
    form = res.forms["deform"]
    form["online_url"] = ONLINE
    url = form.submit("save").location
    from portal.models import Node

    assert url.endswith("/thu-tuc/thu-tuc-dang-ky-khai-sinh/")
    page = app.get(url)
    assert "don.pdf" in page.text and "Nghị định về chứng thực" in page.text
    assert Node  # imported for clarity of what the URL points to


def test_legal_basis_row_needs_a_number_or_a_summary_and_bad_dates_are_refused(app, make):
    make("folder", title="Thủ tục", state="published")
    login(app, "editor")
    res = post_add(app, "/thu-tuc/", basis=[basis("", "", "", "Quốc hội")])
    assert res.status_int == 400 and "Nhập số, ký hiệu văn bản hoặc trích yếu." in res.text
    res = post_add(app, "/thu-tuc/", verified_on="31/02/2025")
    assert res.status_int == 400 and "Ngày không hợp lệ" in res.text
    res = post_add(app, "/thu-tuc/", level="cap-vu-tru", ways=[way("fax", "", "")])
    assert res.status_int == 400
    res = post_add(app, "/thu-tuc/", ways=[way("truc-tiep", "1 ngày", "")] * 101)
    assert res.status_int == 400 and "Tối đa 100 dòng." in res.text


def test_template_must_be_word_or_pdf(app, make):
    make("folder", title="Thủ tục", state="published")
    login(app, "editor")
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 40
    res = post_add(
        app, "/thu-tuc/", components=[component("Ảnh", "1", Upload("anh.pdf", png, "application/pdf"))]
    )
    assert res.status_int == 400 and "phải là tệp PDF hoặc Word" in res.text


def test_reader_and_anonymous_may_not_add_or_edit(app, make):
    folder = make("folder", title="Thủ tục", state="published")
    proc = make(
        "procedure", folder, title="Cấp bản sao trích lục hộ tịch", state="published", field="Hộ tịch"
    )
    # Anonymous visitors are sent to log in; nothing is created by a blind POST.
    assert "/dang-nhap" in app.get("/thu-tuc/@@add?type=procedure", status=302).location
    assert "/dang-nhap" in app.get(proc.path + "@@edit", status=302).location
    for user in ("reader", "nobody"):
        login(app, user)
        app.get("/thu-tuc/@@add?type=procedure", status=403)
        app.get(proc.path + "@@edit", status=403)
        token = csrf_from(app.get("/dang-xuat"))
        app.post(
            "/thu-tuc/@@add?type=procedure",
            params=procedure_params(token),
            content_type="multipart/form-data",
            status=403,
        )
        app.post(
            proc.path + "@@edit",
            params=procedure_params(token),
            content_type="multipart/form-data",
            status=403,
        )
        app.reset()
    assert app.get(proc.path).html.select_one("h1").text == "Cấp bản sao trích lục hộ tịch"


def catalogue_fixture(make, n=3):
    folder = make("folder", title="Thủ tục hành chính", name="thu-tuc-hanh-chinh", state="published")
    common = {"state": "published", "implementing_agency": "Ủy ban nhân dân cấp xã"}
    make(
        "procedure",
        folder,
        title="Thủ tục đăng ký khai sinh",
        code="1.001193",
        field="Hộ tịch",
        level="cap-xa",
        online_level="toan-trinh",
        online_url=ONLINE,
        **common,
    )
    make(
        "procedure",
        folder,
        title="Thủ tục cấp bản sao trích lục hộ tịch",
        code="2.000635",
        field="Hộ tịch",
        level="cap-xa",
        online_level="mot-phan",
        online_url=ONLINE,
        **common,
    )
    make(
        "procedure",
        folder,
        title="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        code="1.009994",
        field="Xây dựng",
        level="cap-tinh",
        state="published",
        implementing_agency="Sở Xây dựng",
    )
    for i in range(n - 3):
        make(
            "procedure",
            folder,
            title=f"Chứng thực chữ ký số {i:02d}",
            code=f"2.0{i:05d}",
            field="Chứng thực",
            **common,
        )
    return folder


def cat(qs=""):
    """The catalogue URL with a query string typed as a person would (Vietnamese, spaces)."""
    return "/thu-tuc-hanh-chinh" + (("?" + quote(qs, safe="=&%+")) if qs else "")


def titles(page):
    return [a.text for a in page.html.select("table.procedure-list tbody th a")]


def test_catalogue_lists_and_filters_what_the_visitor_may_see(app, make):
    folder = catalogue_fixture(make)
    make("procedure", folder, title="Thủ tục nháp hộ tịch", field="Hộ tịch", state="private")
    make("procedure", folder, title="Thủ tục chờ duyệt", field="Hộ tịch", state="pending")
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    make(
        "procedure",
        folder,
        title="Thủ tục hết hạn hộ tịch",
        field="Hộ tịch",
        state="published",
        effective=past - dt.timedelta(days=5),
        expires=past,
    )
    make(
        "procedure",
        folder,
        title="Thủ tục sắp áp dụng hộ tịch",
        field="Tôn giáo",
        state="published",
        effective=dt.datetime.now(dt.UTC) + dt.timedelta(days=3),
    )
    private = make("folder", title="Nháp", state="private")
    make("procedure", private, title="Thủ tục trong thư mục riêng", field="Đất đai", state="published")

    for url in ("/thu-tuc-hanh-chinh", "/thu-tuc-hanh-chinh/"):
        page = app.get(url)
        assert sorted(titles(page)) == sorted(
            [
                "Thủ tục đăng ký khai sinh",
                "Thủ tục cấp bản sao trích lục hộ tịch",
                "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            ]
        )
    page = app.get("/thu-tuc-hanh-chinh")
    form = page.html.select_one("form.procedure-filters")
    assert form["method"] == "get"
    for control in form.select("input, select"):
        assert form.select_one(f"label[for={control['id']}]"), control
    # The field options come from what the visitor may see.
    options = [o["value"] for o in form.select("select[name=field] option")]
    assert options == ["", "Hộ tịch", "Xây dựng"]
    assert [o["value"] for o in form.select("select[name=agency] option")] == [
        "",
        "Sở Xây dựng",
        "Ủy ban nhân dân cấp xã",
    ]

    # Text: title or code, without diacritics too.
    assert titles(app.get(cat("q=trích lục"))) == ["Thủ tục cấp bản sao trích lục hộ tịch"]
    assert titles(app.get(cat("q=TRICH+LUC"))) == ["Thủ tục cấp bản sao trích lục hộ tịch"]
    # The field counts too: "hộ tịch" finds the whole field, typed either way.
    both = ["Thủ tục cấp bản sao trích lục hộ tịch", "Thủ tục đăng ký khai sinh"]
    assert titles(app.get(cat("q=hộ tịch"))) == both
    assert titles(app.get(cat("q=thu tuc ho tich"))) == both
    assert titles(app.get(cat("q=1.009994"))) == ["Cấp giấy phép xây dựng nhà ở riêng lẻ"]
    assert titles(app.get(cat("q=khai%20sinh%20dang%20ky"))) == ["Thủ tục đăng ký khai sinh"]
    assert titles(app.get(cat("q=100%25"))) == []
    # Filters, combined, and kept in the form.
    page = app.get(cat("field=Hộ tịch&online=mot-phan&q=thu tuc"))
    assert titles(page) == ["Thủ tục cấp bản sao trích lục hộ tịch"]
    form = page.html.select_one("form.procedure-filters")
    assert form.select_one("input[name=q]")["value"] == "thu tuc"
    assert form.select_one("select[name=field] option[selected]")["value"] == "Hộ tịch"
    assert form.select_one("select[name=online] option[selected]")["value"] == "mot-phan"
    assert titles(app.get(cat("level=cap-tinh"))) == ["Cấp giấy phép xây dựng nhà ở riêng lẻ"]
    assert titles(app.get(cat("agency=Sở Xây dựng"))) == ["Cấp giấy phép xây dựng nhà ở riêng lẻ"]
    # Bad values are ignored, never an error.
    for bad in (
        "?level=cap-vu-tru",
        "?online=%00",
        "?trang=abc",
        "?trang=-5",
        "?q=" + "x" * 5000,
        "?q=%22%27%3B--&field=%25",
        "?level=cap-xa&level=cap-tinh",
    ):
        assert app.get(cat(bad[1:])).status_int == 200
    assert len(titles(app.get(cat("level=cap-vu-tru")))) == 3
    assert "Không tìm thấy" in app.get(cat("field=Không có")).text

    # An editor sees the drafts too.
    login(app, "editor")
    assert "Thủ tục nháp hộ tịch" in titles(app.get(cat("field=Hộ tịch")))


def test_catalogue_pages_by_twenty_keeping_filters_in_a_fixed_number_of_queries(app, make, count_statements):
    catalogue_fixture(make, n=25)
    first = app.get("/thu-tuc-hanh-chinh")
    assert len(titles(first)) == 20 and "Tìm thấy 25 thủ tục" in first.text
    next_link = first.html.select_one("a[rel=next]")["href"]
    second = app.get(next_link)
    assert len(titles(second)) == 5 and second.html.select_one("a[rel=next]") is None
    assert set(titles(first)).isdisjoint(titles(second))
    filtered = app.get(cat("field=Chứng thực&q=chu ky"))
    assert len(titles(filtered)) == 20
    href = filtered.html.select_one("a[rel=next]")["href"]
    assert "field=Ch%E1%BB%A9ng+th%E1%BB%B1c" in href and "q=chu+ky" in href and "trang=2" in href
    assert len(titles(app.get(href))) == 2

    long_list = count_statements("/thu-tuc-hanh-chinh")
    short_list = count_statements(cat("q=khai sinh"))
    assert long_list == short_list
    assert long_list <= 6  # with the query that dates the anonymous page cache entry


def test_procedure_page_costs_the_same_whatever_its_legal_basis(app, make, db, root, count_statements):
    from content_types.procedure import ProcedureLegalBasis

    one = make("procedure", title="Một căn cứ", state="published", field="Hộ tịch")
    many = make("procedure", title="Nhiều căn cứ", state="published", field="Hộ tịch")
    docs = [legal_document(db, root, f"{i}/2025/QĐ-UBND", f"Quyết định {i}") for i in range(1, 6)]
    db.add(ProcedureLegalBasis(procedure_id=one.id, number="60/2014/QH13", summary="Luật Hộ tịch"))
    for i, doc in enumerate(docs):
        db.add(ProcedureLegalBasis(procedure_id=many.id, position=i, document_id=doc.id, number=doc.number))
    db.commit()
    assert len(app.get(many.path).html.select("article table a")) == 5
    assert count_statements(one.path) == count_statements(many.path)


def test_folder_named_like_the_catalogue_still_traverses(app, make):
    folder = make("folder", title="Thủ tục hành chính", name="thu-tuc-hanh-chinh", state="published")
    proc = make("procedure", folder, title="Đăng ký kết hôn", field="Hộ tịch", state="published")
    assert proc.path == "/thu-tuc-hanh-chinh/dang-ky-ket-hon/"
    page = app.get(proc.path)
    assert page.html.select_one("h1").text == "Đăng ký kết hôn"
    login(app, "editor")
    assert app.get("/thu-tuc-hanh-chinh/@@contents").status_int == 200


def test_demo_loader_is_idempotent_and_covers_the_catalogue(db, types, root):
    from content_types.procedure import Procedure
    from portal.demo import load_demo
    from portal.models import User

    owner = db.scalar(select(User).where(User.login == "admin"))
    created = load_demo(db, types, root, owner)
    assert created > 40
    assert load_demo(db, types, root, owner) == 0
    rows = db.execute(select(Procedure.title, Procedure.field, Procedure.level, Procedure.online_level)).all()
    assert len(rows) >= 40
    assert len({r.field for r in rows}) >= 6
    assert {"cap-tinh", "cap-xa"} <= {r.level for r in rows}
    assert {"toan-trinh", "mot-phan", "khong"} <= {r.online_level for r in rows}
    assert any("hộ tịch" in r.title for r in rows)
    procs = db.scalars(select(Procedure)).all()
    assert all(p.state == "published" and p.filing_ways and p.dossier_components for p in procs)
    assert all(p.path.startswith("/thu-tuc-hanh-chinh/") for p in procs)
    assert any(p.online_url for p in procs) and any(p.legal_basis for p in procs)


def test_demo_procedures_show_in_the_catalogue(app, db, types, root):
    from content_types.demo_procedures import load_demo
    from portal.models import User

    owner = db.scalar(select(User).where(User.login == "admin"))
    assert load_demo(db, types, root, owner) >= 40
    db.commit()
    page = app.get(cat("q=ho tich"))
    assert "Thủ tục đăng ký khai sinh" in titles(page)
    link = page.html.select_one("table.procedure-list tbody th a")["href"]
    assert app.get(link).status_int == 200


def test_deleting_a_document_or_the_procedure_leaves_no_dangling_rows(app, make, db, root):
    from content_types.procedure import ProcedureLegalBasis

    doc = legal_document(db, root, "7/2025/QĐ-UBND", "Quyết định số 7")
    proc = make("procedure", title="Đăng ký khai tử", state="published", field="Hộ tịch")
    db.add(ProcedureLegalBasis(procedure_id=proc.id, document_id=doc.id, number="7/2025/QĐ-UBND"))
    db.commit()
    login(app, "admin")
    page = app.get(doc.path + "@@delete")
    app.post(doc.path + "@@delete", params={"csrf_token": csrf_from(page)}, status=302)
    table = app.get(proc.path).html.select("article table")[-1]
    assert "7/2025/QĐ-UBND" in table.text and table.select("a") == []
    page = app.get(proc.path + "@@delete")
    app.post(proc.path + "@@delete", params={"csrf_token": csrf_from(page)}, status=302)
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(ProcedureLegalBasis)) == 0


def test_add_form_suggests_the_fields_in_use_and_labels_every_control(app, make):
    make("procedure", title="Đăng ký kết hôn", field="Hộ tịch")
    make("procedure", title="Giao đất", field="Đất đai")
    make("procedure", title="Chứng thực di chúc", field="Chứng thực")
    login(app, "editor")
    html = app.get("/@@add?type=procedure").html
    field = html.select_one("input[name=field]")
    options = [o["value"] for o in html.select(f"datalist#{field['list']} option")]
    assert options == ["Chứng thực", "Đất đai", "Hộ tịch"]
    form = html.select_one("form#deform")
    for control in form.select("input:not([type=hidden]), select, textarea"):
        assert form.select_one(f"label[for={control['id']}]"), control
    levels = [o["value"] for o in form.select("select[name=level] option")]
    assert levels == ["cap-tinh", "cap-xa", "cap-trung-uong", "cap-huyen"]


def test_an_abandoned_upload_never_replaces_a_kept_template(app, make, db):
    make("folder", title="Thủ tục", state="published")
    login(app, "editor")
    res = post_add(
        app,
        "/thu-tuc/",
        components=[component("Tờ khai", "Bản chính: 1", Upload("to-khai.pdf", PDF, "application/pdf"))],
    )
    assert res.status_int == 302, res.text[:2000]
    url = res.location
    # A new file chosen on the row, but the form fails (no title) and is abandoned.
    form = app.get(url + "@@edit").forms["deform"]
    form["title"] = ""
    form.set("upload", Upload("bo-do.pdf", PDF + b"% abandoned", "application/pdf"), index=0)
    assert form.submit("save", expect_errors=True).status_int == 400
    # A wrong-type file abandoned the same way must not block later saves either.
    form = app.get(url + "@@edit").forms["deform"]
    form["title"] = ""
    form.set("upload", Upload("anh.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "application/pdf"), index=0)
    assert form.submit("save", expect_errors=True).status_int == 400
    # A fresh edit form saved untouched keeps the original template.
    form = app.get(url + "@@edit").forms["deform"]
    assert form.submit("save").status_int == 302
    from content_types.procedure import Procedure

    db.expire_all()
    proc = db.scalar(select(Procedure).where(Procedure.path == "/thu-tuc/thu-tuc-dang-ky-khai-sinh/"))
    assert proc.dossier_components[0]["template"]["filename"] == "to-khai.pdf"


def test_catalogue_sorts_fields_and_titles_the_vietnamese_way(app, make):
    folder = make("folder", title="Thủ tục", state="published")
    for field, title in [("Xây dựng", "Cấp giấy phép xây dựng"), ("Đất đai", "Đăng ký đất đai lần đầu"),
                         ("Dân tộc", "Công nhận người có uy tín"), ("Đất đai", "Thủ tục thay đổi mục đích"),
                         ("Đất đai", "Thủ tục đăng ký biến động")]:  # fmt: skip
        make("procedure", folder, title, state="published", field=field)
    shown = titles(app.get("/thu-tuc-hanh-chinh"))
    assert shown == [
        "Công nhận người có uy tín",
        "Đăng ký đất đai lần đầu",
        "Thủ tục đăng ký biến động",
        "Thủ tục thay đổi mục đích",
        "Cấp giấy phép xây dựng",
    ]


def test_procedure_page_shows_a_qr_code_to_online_filing(app, make, db, as_user):
    from xml.etree import ElementTree

    proc = make(
        "procedure", title="Đăng ký khai sinh", state="published", field="Hộ tịch",
        online_level="toan-trinh", online_url="https://dichvucong.gov.vn/p/khai-sinh",
    )  # fmt: skip
    plain = make("procedure", title="Chứng thực chữ ký", state="published", field="Chứng thực")
    page = app.get(f"/{proc.name}/")
    img = page.html.select_one("figure.qr-code img")
    assert img is not None and "Mã QR" in img["alt"]
    assert img["width"] == img["height"] and int(img["width"]) > 100
    svg = app.get(img["src"])
    assert svg.content_type == "image/svg+xml"
    assert "public" in svg.headers["Cache-Control"]
    root = ElementTree.fromstring(svg.body)
    assert root.tag.endswith("svg") and root.get("width") == img["width"]

    # A new address is a new image URL (the old one may sit in caches for a day).
    proc.online_url = "https://dichvucong.gov.vn/p/khai-sinh-moi"
    db.flush()
    as_user("admin")  # past the anonymous page cache, which the test's session does not bump
    moved = app.get(f"/{proc.name}/").html.select_one("figure.qr-code img")
    assert moved["src"] != img["src"]
    assert app.get(moved["src"]).body != svg.body

    assert app.get(f"/{plain.name}/").html.select_one("figure.qr-code") is None
    app.get(f"/{plain.name}/@@qr.svg", status=404)


def test_qr_code_of_an_unpublished_procedure_is_not_shown_to_anonymous(app, make):
    proc = make(
        "procedure", title="Thủ tục nháp", state="private", field="Hộ tịch",
        online_level="toan-trinh", online_url="https://dichvucong.gov.vn/p/nhap",
    )  # fmt: skip
    app.get(f"/{proc.name}/@@qr.svg", status=404)
