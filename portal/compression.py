"""gzip for text responses, so a citizen on a phone connection gets the pages, styles
and form scripts in a fraction of the bytes even with no proxy in front of waitress.

Static files are compressed once per process and kept (keyed by path, size and
modification time), so the editor's large form libraries cost no CPU per request;
generated pages (error pages too) are small and compressed on the fly. Ranged
requests, partial and empty responses, and bodies that are streamed from disk by views (downloads, video) are
left alone: compressing them would break byte ranges or read whole files into memory.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict

from pyramid.response import FileResponse

COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/plain",
        "text/xml",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "image/svg+xml",
    }
)
MIN_SIZE = 1024  # below this, the gzip header and a round of CPU gain nothing
MAX_DYNAMIC = 2 * 1024 * 1024  # a generated body bigger than this is a download, not a page
STATIC_CACHE_BYTES = 32 * 1024 * 1024
LEVEL = 6


class _StaticCache:
    """Compressed static files, least recently used dropped first, bounded in bytes."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.items: OrderedDict[tuple, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            body = self.items.get(key)
            if body is not None:
                self.items.move_to_end(key)
            return body

    def put(self, key, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self.lock:
            if key in self.items:
                return
            self.items[key] = body
            self.size += len(body)
            while self.size > self.max_bytes:
                _, dropped = self.items.popitem(last=False)
                self.size -= len(dropped)


def _accepts_gzip(request) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def _add_vary(response) -> None:
    vary = list(response.vary or ())
    if "Accept-Encoding" not in vary:
        response.vary = (*vary, "Accept-Encoding")


def compression_tween_factory(handler, registry):
    cache = _StaticCache(STATIC_CACHE_BYTES)

    def tween(request):
        response = handler(request)
        if response.content_type not in COMPRESSIBLE or response.content_encoding:
            return response
        _add_vary(response)  # a shared cache must not hand gzip to a client that cannot read it
        length = response.content_length
        if (
            request.method != "GET"
            or response.status_code in (204, 206, 304)
            or request.range is not None
            or not _accepts_gzip(request)
            or (length is not None and length < MIN_SIZE)
        ):
            return response
        if isinstance(response, FileResponse):
            key = (request.path_info, length, response.last_modified)
            body = cache.get(key)
            if body is None:
                body = gzip.compress(b"".join(response.app_iter), LEVEL, mtime=0)
                cache.put(key, body)
            else:
                close = getattr(response.app_iter, "close", None)
                if close:
                    close()
        elif isinstance(response.app_iter, (list, tuple)) and (length or 0) <= MAX_DYNAMIC:
            raw = response.body
            if len(raw) < MIN_SIZE:
                return response
            body = gzip.compress(raw, LEVEL, mtime=0)
        else:
            return response
        response.app_iter = [body]
        response.content_length = len(body)
        response.content_encoding = "gzip"
        # The gzipped bytes are another representation: a strong validator would claim
        # they are byte-identical to the plain ones. Conditional GETs compare weakly.
        etag = response.headers.get("ETag")
        if etag and not etag.startswith("W/"):
            response.headers["ETag"] = "W/" + etag
        return response

    return tween


def includeme(config):
    # Just inside the URL guard, so every response (error pages too) is compressed.
    config.add_tween(
        "portal.compression.compression_tween_factory",
        under="portal.tweens.invalid_encoding_tween_factory",
    )
