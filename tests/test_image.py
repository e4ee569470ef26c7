"""Image: checked by Pillow, captioned with its credit, resized for srcset."""

import io

from PIL import Image as PILImage
from webtest import Upload

from tests.conftest import login


def png_bytes(width=1200, height=800) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 40)).save(buf, "PNG")
    return buf.getvalue()


def add_image(app, title, data, name="anh.png", **fields):
    form = app.get("/anh/@@add?type=image").forms["deform"]
    form["title"] = title
    form["upload"] = Upload(name, data, "image/png")
    for key, value in fields.items():
        form[key] = value
    return form.submit("save", expect_errors=True)


def test_image_page_has_caption_credit_and_srcset(app, make):
    make("folder", title="Ảnh", state="published")
    login(app, "admin")
    res = add_image(
        app,
        "Người dân làm thủ tục",
        png_bytes(),
        caption="Bộ phận Một cửa sáng thứ Hai",
        credit="Minh Anh",
        alt="Người dân ngồi chờ trước quầy tiếp nhận",
    )
    assert res.status_int == 302, res.text[:2000]
    page = app.get(res.location)
    img = page.html.select_one("figure.image img")
    assert img["alt"] == "Người dân ngồi chờ trước quầy tiếp nhận"
    assert img["width"] == "1200" and img["height"] == "800"
    assert "@@rendition/320 320w" in img["srcset"] and "@@rendition/1024 1024w" in img["srcset"]
    assert "@@download?inline=1 1200w" in img["srcset"]
    for candidate in img["srcset"].split(", "):
        url = candidate.rsplit(" ", 1)[0]
        assert app.get(url).content_type == "image/png"
    assert "Ảnh: Minh Anh" in page.html.select_one("figcaption").text

    small = app.get(res.location + "@@rendition/320")
    assert small.content_type == "image/png"
    assert PILImage.open(io.BytesIO(small.body)).size == (320, 213)
    app.get(res.location + "@@rendition/333", status=404)  # only the offered widths
    app.get(res.location + "@@rendition/abc", status=404)


def test_broken_and_non_images_are_refused_keeping_the_form(app, make):
    make("folder", title="Ảnh", state="published")
    login(app, "editor")
    broken = png_bytes()[:200]  # a truncated PNG
    res = add_image(app, "Ảnh hỏng", broken)
    assert res.status_int == 400 and "Ảnh bị hỏng" in res.text
    assert res.forms["deform"]["title"].value == "Ảnh hỏng"
    res = add_image(app, "Không phải ảnh", b"%PDF-1.4 ...", name="anh.png")
    assert res.status_int == 400 and "Chỉ nhận ảnh" in res.text
