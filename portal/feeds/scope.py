"""What a feed covers, and its validator: one small query, no feed built.

A ``FeedScope`` names the rows of one feed (the site, a folder's subtree, a
catalogue's types, a category or a tag). ``validator()`` answers "has this feed
changed?" from one aggregate over the scope's public rows: how many items are
visible now, when the newest of them was modified, and the latest scheduled
publication or expiry already passed. With the site's generation (bumped by every
write, read with the root at no cost) that changes whenever the feed would, also
when an item's time comes without any write. The result is cached per process
until the next write or the next scheduled change in the scope.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from sqlalchemy import and_, case, exists, func, select

from ..blocks import BlockCache
from ..models import Node, Term, utcnow
from ..workflow import visible_clause

FORMATS = ("rss", "atom", "json")
# A validator is exact until the next write or scheduled change; the TTL only bounds
# what a change the generation does not see (a term edited alone) could leave stale.
VALIDATOR_TTL = 300


@dataclass(frozen=True)
class FeedScope:
    key: str  # unique per feed of a site: caches and the ETag
    title: str
    html_url: str  # the page the feed stands for
    feed_base: str  # the feed URLs are feed_base + "rss.xml" | "atom.xml" | "feed.json"
    description: str = ""
    subtree: str | None = None  # items strictly below this path
    types: tuple[str, ...] = ()  # empty: every type with a feed adapter
    term: tuple[str, str] | None = None  # (kind, slug)
    order: str = "published"  # or "updated": feeds of new and changed items
    full_content: bool = False

    def url(self, fmt: str) -> str:
        return self.feed_base + FILE_NAMES[fmt]


FILE_NAMES = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}


def item_clauses(scope: FeedScope, site_id: int, feed_types) -> list:
    """The scope's rows, visibility aside (callers add ``visible_clause``)."""
    types = [t for t in (scope.types or feed_types) if t in feed_types]
    where = [Node.site_id == site_id, Node.type.in_(types)]
    if scope.subtree:
        where += [Node.path.startswith(scope.subtree, autoescape=True), Node.path != scope.subtree]
    if scope.term:
        kind, slug = scope.term
        where.append(exists().where(Term.node_id == Node.id, Term.kind == kind, Term.slug == slug))
    return where


@dataclass(frozen=True)
class Validator:
    token: str
    last_modified: dt.datetime | None
    next_change: dt.datetime | None = field(default=None, compare=False)

    def etag(self, fmt: str) -> str:
        return hashlib.sha256(f"{fmt}|{self.token}".encode()).hexdigest()[:32]


def _utc(value):
    # SQLite hands back aggregates as naive values (or text from CASE): they are UTC.
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def compute_validator(request, scope: FeedScope, now: dt.datetime) -> Validator:
    site_id = request.root_node.site_id
    items = and_(*item_clauses(scope, site_id, feed_type_names(request)), visible_clause(now))
    # Scheduled changes are read over the whole subtree (or site), not just the feed's
    # types: a folder's own window bounds its items', and a spare refresh costs little.
    base = [Node.site_id == site_id, Node.public.is_(True)]
    if scope.subtree:
        base.append(Node.path.startswith(scope.subtree, autoescape=True))
    q = select(
        func.count(case((items, 1))),
        func.max(case((items, Node.modified))),
        func.max(case((Node.public_from <= now, Node.public_from))),
        func.max(case((Node.public_until <= now, Node.public_until))),
        func.min(case((Node.public_from > now, Node.public_from))),
        func.min(case((Node.public_until > now, Node.public_until))),
    ).where(*base)
    count, *times = request.dbsession.execute(q).one()
    modified, last_from, last_until, next_from, next_until = (_utc(t) for t in times)
    passed = [t for t in (modified, last_from, last_until) if t]
    upcoming = [t for t in (next_from, next_until) if t]
    info = request.site_info
    token = "|".join(
        str(part)
        for part in (scope.key, info.root.site_id, info.generation, count, modified, last_from, last_until,
                     request.application_url)
    )  # fmt: skip
    return Validator(token=token, last_modified=max(passed) if passed else None,
                     next_change=min(upcoming) if upcoming else None)  # fmt: skip


def validator(request, scope: FeedScope, now: dt.datetime | None = None) -> Validator:
    """The scope's validator, from the per-process cache when nothing can have changed."""
    now = now or utcnow()
    cache: BlockCache = request.registry["portal.block_cache"]
    info = request.site_info
    key = (info.root.site_id, "feed-validator", scope.key, request.application_url)
    hit = cache.get(key, info.generation, now)
    if hit is not None:
        return hit
    value = compute_validator(request, scope, now)
    until = now + dt.timedelta(seconds=VALIDATOR_TTL)
    if value.next_change is not None and value.next_change < until:
        until = value.next_change
    cache.put(key, info.generation, until, value)
    return value


def feed_type_names(request) -> tuple[str, ...]:
    """Types that declared a feed adapter (``add_content_type(..., feed=fn)``)."""
    return tuple(info.name for info in request.content_types if info.extra.get("feed"))
