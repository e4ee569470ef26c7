"""File: uploads checked by their bytes, kept across a failed form, downloaded safely."""

import io
import zipfile

from webtest import Upload

from tests.conftest import login

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def add_form(app, folder="/van-ban-mau/"):
    return app.get(folder + "@@add?type=file").forms["deform"]


def test_editor_uploads_a_pdf_and_anonymous_downloads_it_once_published(app, make):
    make("folder", title="Văn bản mẫu", state="published")
    login(app, "admin")
    form = add_form(app)
    form["title"] = "Kế hoạch cải cách hành chính 2027"
    form["upload"] = Upload("../../Kế hoạch CCHC.pdf", PDF, "application/pdf")
    url = form.submit("save").location
    page = app.get(url)
    assert "Kế hoạch CCHC.pdf" in page.text and "Tải về" in page.text
    app.get(url + "@@workflow").forms["deform"].submit("publish")

    app.reset()
    res = app.get(url + "@@download")
    assert res.body == PDF
    assert res.content_type == "application/pdf"
    assert res.headers["Content-Disposition"].startswith('attachment; filename="Ke hoach CCHC.pdf"')
    assert "filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20CCHC.pdf" in res.headers["Content-Disposition"]
    assert res.headers["Cache-Control"] == "public, max-age=3600"
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    again = app.get(url + "@@download", headers={"If-None-Match": res.headers["ETag"]}, status=304)
    assert again.body == b""
    inline = app.get(url + "@@download?inline=1")
    assert inline.headers["Content-Disposition"].startswith("inline;")


def test_type_comes_from_the_bytes_not_the_name(app, make):
    make("folder", title="Văn bản mẫu", state="published")
    login(app, "editor")
    form = add_form(app)
    form["title"] = "Giả làm PDF"
    form["upload"] = Upload("virus.pdf", b"MZ\x90\x00 this is a program", "application/pdf")
    res = form.submit("save", status=400)
    assert "Loại tệp không được phép" in res.text
    assert res.forms["deform"]["title"].value == "Giả làm PDF"

    form = add_form(app)
    form["title"] = "Báo cáo"
    form["upload"] = Upload("bao-cao.exe", docx_bytes(), "application/octet-stream")
    url = form.submit("save").location
    res = app.get(url + "@@download")
    assert res.content_type == ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert 'filename="bao-cao.docx"' in res.headers["Content-Disposition"]


def test_too_large_and_empty_files_are_refused(app, make, registry, monkeypatch):
    make("folder", title="Văn bản mẫu", state="published")
    monkeypatch.setitem(registry.settings, "portal.upload.max_bytes", "1000")
    login(app, "editor")
    form = add_form(app)
    form["title"] = "Quá lớn"
    form["upload"] = Upload("lon.pdf", PDF + b"0" * 2000, "application/pdf")
    assert "Tệp quá lớn" in form.submit("save", status=400).text
    form = add_form(app)
    form["title"] = "Rỗng"
    form["upload"] = Upload("rong.pdf", b"", "application/pdf")
    assert form.submit("save", status=400)


def test_upload_survives_a_failed_form(app, make):
    make("folder", title="Văn bản mẫu", state="published")
    login(app, "editor")
    form = add_form(app)
    form["title"] = ""
    form["upload"] = Upload("giu-lai.pdf", PDF, "application/pdf")
    res = form.submit("save", status=400)
    assert "giu-lai.pdf" in res.text  # the widget shows the file it kept
    form = res.forms["deform"]
    form["title"] = "Đã sửa tiêu đề"
    url = form.submit("save").location  # no new file chosen: the kept one is used
    assert app.get(url + "@@download").body == PDF


def test_private_file_is_404_to_anonymous_and_edit_keeps_the_file(app, make):
    make("folder", title="Văn bản mẫu", state="published")
    login(app, "editor")
    form = add_form(app)
    form["title"] = "Nội bộ"
    form["upload"] = Upload("noi-bo.pdf", PDF, "application/pdf")
    url = form.submit("save").location
    edit = app.get(url + "@@edit").forms["deform"]
    edit["title"] = "Nội bộ (sửa)"
    assert edit.submit("save").status_int == 302
    res = app.get(url + "@@download")
    assert res.body == PDF and res.headers["Cache-Control"] == "private, no-store"
    app.reset()
    app.get(url + "@@download", status=404)
    app.get(url, status=404)
