"""A feed over HTTP: validators first, the feed only when the client needs it.

The ETag and Last-Modified come from ``scope.validator`` (cached, or one small
query). A conditional GET that matches answers 304 before any item is loaded.
Built feeds are cached per process under their ETag, so a feed is built once
per change however many readers poll it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from pyramid.httpexceptions import HTTPNotModified
from pyramid.response import Response

from ..blocks import BlockCache
from ..models import utcnow
from .fast304 import remember
from .items import item_limit, load_items
from .render import CONTENT_TYPES, render
from .scope import FeedScope, validator

MAX_AGE = 300  # seconds a reader or proxy may keep a feed without asking


def hub_url(settings) -> str:
    return (settings.get("portal.websub.hub") or "").strip()


def _not_modified(request, etag: str, last_modified: dt.datetime | None) -> bool:
    # RFC 9110: If-None-Match wins (weak comparison; "*" matches any feed that exists);
    # If-Modified-Since counts only without it.
    header = request.environ.get("HTTP_IF_NONE_MATCH")
    if header:
        tags = {t.strip().removeprefix("W/") for t in header.split(",")}
        return "*" in tags or f'"{etag}"' in tags
    since = request.if_modified_since
    if since is not None and last_modified is not None:
        return last_modified.replace(microsecond=0) <= since
    return False


def _headers(request, scope: FeedScope, fmt: str, etag: str, v, now, hub: str) -> dict:
    headers = {"ETag": f'"{etag}"', "Vary": "Accept-Encoding"}
    if v.last_modified is not None:
        headers["Last-Modified"] = v.last_modified.strftime("%a, %d %b %Y %H:%M:%S GMT")
    max_age = MAX_AGE
    if v.next_change is not None:
        # A scheduled item appears on time in caches too.
        max_age = max(0, min(max_age, int((v.next_change - now).total_seconds())))
    if request.identity_obj is None:
        headers["Cache-Control"] = f"public, max-age={max_age}"
    else:
        headers["Cache-Control"] = "private, no-cache"
    if hub:
        headers["Link"] = f'<{hub}>; rel="hub", <{scope.url(fmt)}>; rel="self"'
    return headers


def feed_response(request, scope: FeedScope, fmt: str, options=None):
    """``options()`` gives what the body needs beyond the validator (a folder's
    full-content flag): read only when the feed is built, never for a 304."""
    now = utcnow()
    v = validator(request, scope, now)
    etag = v.etag(fmt)
    hub = hub_url(request.registry.settings)
    headers = _headers(request, scope, fmt, etag, v, now, hub)
    if request.identity_obj is None:
        remember(request, etag, headers, v.next_change, now)
    if _not_modified(request, etag, v.last_modified):
        return HTTPNotModified(headers=headers)

    cache: BlockCache = request.registry["portal.block_cache"]
    info = request.site_info
    key = (info.root.site_id, "feed", scope.key, fmt, etag)
    body = cache.get(key, info.generation, now)
    if body is None:
        if options is not None:
            scope = replace(scope, **options())
        items = load_items(request, scope, now, item_limit(request.registry.settings))
        updated = v.last_modified or request.root_node.modified
        body = render(request, scope, fmt, items, updated, hub)
        until = now + dt.timedelta(seconds=MAX_AGE)
        if v.next_change is not None and v.next_change < until:
            until = v.next_change
        cache.put(key, info.generation, until, body)
    response = Response(body=body)
    # Set whole: WebOb would drop the charset of a type it does not know as text.
    response.headers["Content-Type"] = f"{CONTENT_TYPES[fmt]}; charset=utf-8"
    response.headers.update(headers)
    return response
