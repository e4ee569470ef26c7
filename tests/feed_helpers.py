"""Feeds for the feed-import tests: built with feedgen, served by a real HTTP server on
127.0.0.1 (in a thread) or by a small WSGI application for the injected transport."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from feedgen.feed import FeedGenerator


@dataclass
class Item:
    guid: str
    title: str
    summary: str = ""
    content: str = ""
    link: str = ""
    published: dt.datetime = field(default_factory=lambda: dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC))
    author: str = ""


def build_feed(items: list[Item], kind: str = "rss", title: str = "Tin tức tỉnh Đồng Nai") -> bytes:
    fg = FeedGenerator()
    fg.id("https://tinh.example.vn/tin-tuc/")
    fg.title(title)
    fg.link(href="https://tinh.example.vn/tin-tuc/", rel="alternate")
    fg.description("Tin hoạt động của tỉnh")
    fg.language("vi")
    # feedgen writes entries in the reverse order of their creation.
    for item in reversed(items):
        fe = fg.add_entry()
        fe.id(item.guid)
        fe.title(item.title)
        if item.link:
            fe.link(href=item.link)
        if item.summary:
            fe.description(item.summary) if kind == "rss" else fe.summary(item.summary, type="html")
        if item.content:
            fe.content(item.content, type="CDATA" if kind == "rss" else "html")
        if item.author:
            fe.author({"name": item.author, "email": "tin@tinh.example.vn"})
        fe.published(item.published)
        fe.updated(item.published)
    return fg.rss_str(pretty=True) if kind == "rss" else fg.atom_str(pretty=True)


def sample_items() -> list[Item]:
    return [
        Item(
            guid="https://tinh.example.vn/tin-tuc/hoi-nghi-tong-ket/",
            title="Hội nghị tổng kết công tác năm",
            summary="<p>Ủy ban nhân dân tỉnh tổ chức hội nghị <b>tổng kết</b>.</p>",
            content=(
                "<p>Nội dung đầy đủ của hội nghị tổng kết.</p><h2>Kết quả</h2><p>Đạt và vượt kế hoạch.</p>"
            ),
            link="https://tinh.example.vn/tin-tuc/hoi-nghi-tong-ket/",
            author="Văn phòng UBND tỉnh",
        ),
        Item(
            guid="urn:tinh:tin:2",
            title="Triển khai chuyển đổi số cấp xã",
            summary="Các xã, phường hoàn thành số hóa hồ sơ một cửa.",
            link="https://tinh.example.vn/tin-tuc/chuyen-doi-so/",
            published=dt.datetime(2026, 11, 18, 2, 0, tzinfo=dt.UTC),
        ),
    ]


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: bool = True  # send an ETag and honour If-None-Match with 304


class FeedServer:
    """A real HTTP server on 127.0.0.1 (port 0) answering from ``self.routes``."""

    def __init__(self):
        self.routes: dict[str, Answer] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                answer = server.routes.get(self.path)
                if answer is None:
                    self.send_error(404)
                    return
                etag = '"' + hashlib.sha256(answer.body).hexdigest()[:16] + '"'
                if answer.etag and answer.status == 200 and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                if answer.etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def feed_app(routes: dict[str, Answer]):
    """A WSGI application serving ``routes`` (for the injected transport)."""

    def app(environ, start_response):
        answer = routes.get(environ.get("PATH_INFO", ""))
        if answer is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        reason = {200: "OK", 500: "Internal Server Error"}.get(answer.status, "Status")
        start_response(f"{answer.status} {reason}", [("Content-Type", answer.content_type)])
        return [answer.body]

    return app


def refused_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/rss.xml"
