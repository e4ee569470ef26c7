"""waitress as ``portal serve`` runs it, with one change: keep-alive after 304s.

waitress 3 closes an HTTP/1.1 connection after any response without a
Content-Length header, and it drops that header from responses that may not have
a body (1xx, 204, 304). So every 304 Not Modified — the answer a feed reader or a
commune site polling our feeds gets most often — cost a new TCP connection.
A response without a body ends with its headers (RFC 9110 §6.4.1), so there is
nothing to delimit: this task keeps the connection open for them unless the
client asked to close it. Everything else is waitress's own behaviour.
"""

from __future__ import annotations

import logging

from waitress.channel import HTTPChannel
from waitress.server import MultiSocketServer, create_server
from waitress.task import WSGITask


class KeepAliveTask(WSGITask):
    _bodyless_keep_alive = False

    def build_response_header(self):
        self._bodyless_keep_alive = (
            not self.has_body
            and self.version == "1.1"
            and self.request.headers.get("CONNECTION", "").lower() != "close"
        )
        try:
            return super().build_response_header()
        finally:
            self._bodyless_keep_alive = False

    def set_close_on_finish(self) -> None:
        if self._bodyless_keep_alive:
            return  # the only reason waitress has here is the missing length
        super().set_close_on_finish()


class KeepAliveChannel(HTTPChannel):
    task_class = KeepAliveTask


def make_server(app, **kw):
    """``waitress.create_server`` with the channel above on every listening socket."""
    server = create_server(app, **kw)
    listeners = server.map.values() if isinstance(server, MultiSocketServer) else [server]
    for listener in listeners:
        if hasattr(listener, "channel_class"):
            listener.channel_class = KeepAliveChannel
    return server


def serve(app, **kw) -> None:
    logging.basicConfig()  # idempotent, as in waitress.serve
    server = make_server(app, **kw)
    server.print_listen("Serving on http://{}:{}")
    server.run()
