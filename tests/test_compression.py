"""gzip for text responses (portal/compression.py): pages and static files are sent
compressed to clients that ask for it, unchanged to the others, and never when that
would break byte ranges or downloads.

WebTest un-gzips every response it receives, so these requests go to the WSGI app
through plain WebOb to see the bytes a browser gets.
"""

from __future__ import annotations

import gzip

import pytest
from webob import Request

STATIC_JS = "/deform-static/scripts/jquery-2.0.3.min.js"


@pytest.fixture
def fetch(wsgi_app, connection):
    def _fetch(path, **headers):
        return Request.blank(path, headers={"Host": "localhost", **headers}).get_response(wsgi_app)

    return _fetch


def test_page_is_gzipped_for_clients_that_accept_it(fetch, make):
    body = "<p>" + "Thứ Năm hằng tuần. " * 200 + "</p>"
    make("page", title="Lịch tiếp công dân", state="published", body=body)
    plain = fetch("/lich-tiep-cong-dan/")
    assert plain.status_code == 200
    assert plain.headers.get("Content-Encoding") is None
    assert "Accept-Encoding" in plain.headers["Vary"]
    packed = fetch("/lich-tiep-cong-dan/", **{"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.body) < len(plain.body) / 3
    assert gzip.decompress(packed.body) == plain.body


def test_static_file_is_compressed_once_and_served_again_the_same(fetch):
    plain = fetch(STATIC_JS)
    first = fetch(STATIC_JS, **{"Accept-Encoding": "gzip"})
    second = fetch(STATIC_JS, **{"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == second.headers["Content-Encoding"] == "gzip"
    assert first.body == second.body
    assert gzip.decompress(first.body) == plain.body
    assert len(first.body) < len(plain.body) / 2


def test_ranges_small_bodies_and_binary_types_are_left_alone(fetch):
    ranged = fetch(STATIC_JS, **{"Accept-Encoding": "gzip", "Range": "bytes=0-99"})
    assert ranged.status_code == 206
    assert ranged.headers.get("Content-Encoding") is None
    assert len(ranged.body) == 100
    icon = fetch("/static/favicon.svg", **{"Accept-Encoding": "gzip"})
    assert icon.headers.get("Content-Encoding") is None  # under the 1 KB floor
    css = fetch("/static/portal.css", **{"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"


def test_a_strong_etag_becomes_weak_on_the_gzipped_copy(fetch):
    plain = fetch("/static/portal.css")
    packed = fetch("/static/portal.css", **{"Accept-Encoding": "gzip"})
    if plain.headers.get("ETag"):
        assert packed.headers["ETag"] == "W/" + plain.headers["ETag"].removeprefix("W/")
    since = packed.headers["Last-Modified"]
    again = fetch("/static/portal.css", **{"Accept-Encoding": "gzip", "If-Modified-Since": since})
    assert again.status_code == 304
    assert again.body == b""


def test_not_found_page_is_compressed_too(fetch):
    res = fetch("/khong-co/", **{"Accept-Encoding": "gzip"})
    assert res.status_code == 404
    assert res.headers["Content-Encoding"] == "gzip"
    assert "Không tìm thấy trang" in gzip.decompress(res.body).decode()
