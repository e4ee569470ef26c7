"""The server `portal serve` runs (portal/server.py): waitress, kept alive after 304s."""

from __future__ import annotations

import http.client
import threading

import pytest

from portal.server import make_server


def tiny_app(environ, start_response):
    if environ["PATH_INFO"] == "/not-modified":
        start_response("304 Not Modified", [("ETag", '"v1"')])
        return [b""]
    body = b"hello"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture
def server():
    srv = make_server(tiny_app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield srv.effective_port
    srv.close()
    thread.join(timeout=5)


def exchange(conn, path, headers=None):
    conn.request("GET", path, headers=headers or {})
    resp = conn.getresponse()
    resp.read()
    return resp


def test_a_304_keeps_the_connection_open(server):
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=5)
    first = exchange(conn, "/not-modified")
    assert first.status == 304
    assert first.getheader("Connection") is None
    sock = conn.sock
    assert sock is not None  # http.client closes it when the server says close
    # The next requests go over the same connection.
    assert exchange(conn, "/not-modified").status == 304
    assert exchange(conn, "/ok").status == 200
    assert conn.sock is sock
    conn.close()


def test_the_client_can_still_ask_to_close(server):
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=5)
    resp = exchange(conn, "/not-modified", {"Connection": "close"})
    assert resp.status == 304
    assert resp.getheader("Connection") == "close"
    assert conn.sock is None
