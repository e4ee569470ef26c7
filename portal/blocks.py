"""A cache for the blocks anonymous visitors see (latest news, most viewed, links).

Every anonymous visitor of a site sees the same blocks, so they are computed
once and kept until the first of: the next content change (the site's
generation moves), the next scheduled publication or expiry anywhere in the
site, or a short time-to-live (view counts move without a content change).
Logged-in users always get fresh blocks: what they may see differs.

Every entry is keyed by the request's locale too: a page (or a block holding
translated labels) rendered for an English visitor is never served to a
Vietnamese one, nor the reverse.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict

from sqlalchemy import func, select

from .models import Node, utcnow

MAX_ENTRIES = 4096
KEY = "portal.block_cache"


class BlockCache:
    def __init__(self, max_entries: int = MAX_ENTRIES):
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def get(self, key, generation: int, now: dt.datetime):
        with self._lock:
            hit = self._entries.get(key)
            if hit is None or hit[0] != generation or hit[1] <= now:
                return None
            self._entries.move_to_end(key)
            return hit[2]

    def put(self, key, generation: int, until: dt.datetime, value) -> None:
        with self._lock:
            self._entries[key] = (generation, until, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def next_site_change(request, now: dt.datetime) -> dt.datetime | None:
    """The nearest future moment when a published item of the site becomes
    visible or expires by itself (one query, on the site's public columns)."""
    site_id = request.root_node.site_id
    public = (Node.site_id == site_id, Node.public.is_(True))
    q = select(
        select(func.min(Node.public_from)).where(*public, Node.public_from > now).scalar_subquery(),
        select(func.min(Node.public_until)).where(*public, Node.public_until > now).scalar_subquery(),
    )
    times = [t for t in request.dbsession.execute(q).one() if t]
    # SQLite hands back naive values from aggregates: they are UTC.
    times = [t if t.tzinfo else t.replace(tzinfo=dt.UTC) for t in times]
    return min(times) if times else None


def cached_block(request, name, load, *, ttl: int = 60, key_extra=()):
    """``load()`` for logged-in users; for anonymous visitors, its cached result."""
    if request.identity_obj is not None:
        return load()
    cache: BlockCache = request.registry[KEY]
    info = request.site_info
    # The locale: the cookie, or the item's language, read without a query.
    key = (info.root.site_id, request.locale_name, name, *key_extra)
    now = utcnow()
    value = cache.get(key, info.generation, now)
    if value is not None:
        return value
    value = load()
    if value is None:
        return None  # nothing worth keeping (an error page, say)
    until = now + dt.timedelta(seconds=ttl)
    change = _next_change_memo(request, now)
    if change is not None and change < until:
        until = change
    cache.put(key, info.generation, until, value)
    return value


def cached_page(request, name, build, *, ttl: int = 60, key_extra=()):
    """A whole rendered page for anonymous visitors without a session, cached like a
    block; ``build()`` returns what the view needs to answer (HTML and headers).
    Pages for logged-in users, or carrying a session (flash messages, forms), are
    always built afresh. The key holds the application URL: pages hold absolute
    links, and one site may answer several host names."""
    if "portal_session" in request.cookies:
        return build()
    return cached_block(request, name, build, ttl=ttl, key_extra=(request.application_url, *key_extra))


# Response headers a cached page keeps (a page framing a video player widens its CSP).
KEPT_HEADERS = ("Content-Security-Policy",)


def anonymous_cache(view, info):
    """View deriver for two view options.

    ``count_view=True`` counts the visit (``request.count_view``) on every request,
    cached or not. ``anonymous_cache="name"`` caches the view's 200 responses for
    anonymous visitors without a session, as ``cached_page`` does, keyed also by the
    context's path and the query parameters named in ``cache_params`` (default: the
    page number); other parameters are ignored by these views, so they must not
    multiply the entries either. The deriver runs inside the permission check, so a
    page is only ever served to whom it was allowed.
    """
    name = info.options.get("anonymous_cache")
    counted = info.options.get("count_view", False)
    params = tuple(info.options.get("cache_params") or ("trang",))
    if not name and not counted:
        return view

    def wrapper(context, request):
        if counted:
            request.count_view(context)
        if not name or request.method not in ("GET", "HEAD") or request.identity_obj is not None:
            return view(context, request)
        built = {}

        def build():
            response = view(context, request)
            built["response"] = response
            if response.status_int != 200 or "Set-Cookie" in response.headers:
                return None  # not kept
            headers = {k: response.headers[k] for k in KEPT_HEADERS if k in response.headers}
            return (response.body, response.content_type, response.charset, headers)

        query = tuple((k, tuple(request.GET.getall(k))) for k in params if k in request.GET)
        hit = cached_page(request, name, build, key_extra=(getattr(context, "path", ""), query))
        if "response" in built:
            return built["response"]
        response = request.response
        response.body, response.content_type, response.charset, headers = hit
        response.headers.update(headers)
        return response

    return wrapper


anonymous_cache.options = ("anonymous_cache", "count_view", "cache_params")


def _next_change_memo(request, now):
    # Several blocks on one page fill at once: one query for all of them.
    memo = request.__dict__.setdefault("_portal_next_change", {})
    if "value" not in memo:
        memo["value"] = next_site_change(request, now)
    return memo["value"]


def includeme(config):
    config.registry[KEY] = BlockCache()
    config.add_view_deriver(anonymous_cache)
