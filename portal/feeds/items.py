"""Feed items in a fixed number of queries, whatever their count.

One query selects the scope's visible rows (``workflow.visible_clause``: the one
rule), one reads their categories and tags, and one per content type present asks
the type's feed adapter for its own fields. A type declares the adapter when it
registers::

    config.add_content_type(NewsArticle, ..., feed=feed_fields)

    def feed_fields(request, ids) -> dict[int, FeedFields]: ...  # one query

so this package never imports a content type.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from sqlalchemy import case, select

from ..models import Node
from ..models.terms import CATEGORY, TAG
from ..terms import terms_for
from ..workflow import visible_clause
from .scope import FeedScope, feed_type_names, item_clauses

DEFAULT_ITEMS = 20
MAX_ITEMS = 100


@dataclass
class Enclosure:
    url: str
    length: int  # bytes
    type: str  # MIME type


@dataclass
class FeedFields:
    """What a content type adds to its items; every field may stay empty."""

    summary: str = ""  # plain text; the node's description when empty
    content: str = ""  # full content as sanitised HTML (sent where the folder asks for it)
    author: str = ""  # a byline; the site's name when empty
    enclosure: Enclosure | None = None
    categories: tuple[str, ...] = ()  # labels beside the item's categories and tags


@dataclass
class FeedItem:
    id: int
    guid: str
    title: str
    url: str
    summary: str
    content: str
    author: str
    published: dt.datetime
    updated: dt.datetime
    # (kind, slug, label): kind is "category", "tag" or "" for a type's own labels.
    categories: list[tuple[str, str, str]] = field(default_factory=list)
    enclosure: Enclosure | None = None


def node_url(request, path: str) -> str:
    return request.application_url + quote(path, safe="/-._~")


_GUID_NS = uuid.UUID("2f1b8a44-6c1e-5b7e-9a52-7f0d3c61e0a1")


def guid_for(request, node_id: int) -> str:
    """An item's id in every feed: from its node id, so it survives renames and moves.

    ``portal.feeds.tag_authority`` ("ubnd.example.gov.vn,2025": a domain the site owns
    and a date it owned it) gives a tag: URI (RFC 4151); without it, a name-based
    urn:uuid of the site and the node.
    """
    site = request.site_info.name
    authority = request.registry.settings.get("portal.feeds.tag_authority", "").strip()
    if authority:
        return f"tag:{authority}:{site}/node/{node_id}"
    return f"urn:uuid:{uuid.uuid5(_GUID_NS, f'{site}/{node_id}')}"


def item_limit(settings) -> int:
    try:
        value = int(settings.get("portal.feeds.items", DEFAULT_ITEMS))
    except (TypeError, ValueError):
        value = DEFAULT_ITEMS
    return min(max(value, 1), MAX_ITEMS)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def load_items(request, scope: FeedScope, now: dt.datetime, limit: int) -> list[FeedItem]:
    db = request.dbsession
    types = feed_type_names(request)
    published = Node.effective
    updated = case((Node.effective > Node.modified, Node.effective), else_=Node.modified)
    order = (updated.desc(),) if scope.order == "updated" else (published.desc().nulls_last(),)
    q = (
        select(Node.id, Node.type, Node.path, Node.title, Node.description, Node.effective,
               Node.created, Node.modified)
        .where(*item_clauses(scope, request.root_node.site_id, types), visible_clause(now))
        .order_by(*order, Node.id.desc())
        .limit(limit)
    )  # fmt: skip
    rows = db.execute(q).all()
    if not rows:
        return []
    ids = [r.id for r in rows]
    terms = terms_for(db, ids, (CATEGORY, TAG))
    by_type: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        by_type[r.type].append(r.id)
    extra: dict[int, FeedFields] = {}
    for type_name, type_ids in by_type.items():
        adapter = request.content_types[type_name].extra["feed"]
        extra.update(adapter(request, type_ids))

    site_name = request.layout.site_name
    items = []
    for r in rows:
        fields = extra.get(r.id) or FeedFields()
        published_at = _utc(r.effective or r.created)
        modified = _utc(r.modified)
        cats = [(t.kind, t.slug, t.label) for t in terms.get(r.id, ())]
        cats += [("", "", label) for label in fields.categories if label]
        items.append(
            FeedItem(
                id=r.id,
                guid=guid_for(request, r.id),
                title=r.title,
                url=node_url(request, r.path),
                summary=fields.summary or r.description or "",
                content=fields.content if scope.full_content else "",
                author=fields.author or site_name,
                published=published_at,
                updated=max(published_at, modified),
                categories=cats,
                enclosure=fields.enclosure,
            )
        )
    return items
