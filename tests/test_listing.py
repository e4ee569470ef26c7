"""Folder listings page through their children in a fixed number of queries."""

from tests.conftest import login


def test_folder_pages_through_children(app, make):
    folder = make("folder", title="Tin tức", state="published")
    for i in range(35):
        make("page", folder, title=f"Bài số {i:02d}", state="published")
    first = app.get("/tin-tuc/")
    assert "Bài số 00" in first.text and "Bài số 29" in first.text
    assert "Bài số 30" not in first.text
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    second = app.get("/tin-tuc/?trang=2")
    assert "Bài số 30" in second.text and "Bài số 34" in second.text
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text
    # Nonsense page numbers mean the first page, never an error.
    for bad in ("abc", "-3", "0", "9" * 40):
        assert app.get(f"/tin-tuc/?trang={bad}").status_int == 200


def test_listing_query_count_does_not_grow_with_the_folder(app, make, count_statements):
    folder = make("folder", title="Lớn", state="published")
    make("page", folder, title="Một", state="published")
    app.get("/")  # warm the navigation cache
    count = count_statements

    small = count("/lon/")
    for i in range(20):
        make("page", folder, title=f"Thêm {i}", state="published")
    app.get("/")
    assert count("/lon/") == small


def test_contents_view_pages_too(app, make):
    folder = make("folder", title="Kho", state="published")
    for i in range(55):
        make("page", folder, title=f"Mục {i:02d}")
    login(app, "editor")
    first = app.get("/kho/@@contents")
    assert "Mục 49" in first.text and "Mục 50" not in first.text
    assert "Mục 54" in app.get("/kho/@@contents?trang=2").text


def test_absurdly_deep_urls_are_404(app):
    app.get("/" + "a/" * 200, status=404)
