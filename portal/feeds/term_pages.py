"""Category and tag pages: /chuyen-muc/<slug> and /the/<slug> list the visible items
carrying the term, newest first, a page at a time (?trang=N); their feeds live
beside them (/chuyen-muc/<slug>/rss.xml ...)."""

from __future__ import annotations

from sqlalchemy import exists, select

from ..listing import LISTING_COLUMNS, paged
from ..models import Node, Term
from ..models.terms import CATEGORY, TAG
from ..permissions import Permissions
from ..workflow import visible_clause
from .views import TERM_KINDS, feed_links, term_label, term_scope

PER_PAGE = 20


def term_page(kind: str):
    def view(request):
        slug = request.matchdict["slug"]
        label = term_label(request, kind, slug)
        carries = exists().where(Term.node_id == Node.id, Term.kind == kind, Term.slug == slug)
        # Anonymous visibility for everyone: the page is the feed's page, the same for all.
        q = (
            select(*LISTING_COLUMNS)
            .where(Node.site_id == request.root_node.site_id, carries, visible_clause())
            .order_by(Node.effective.desc().nulls_last(), Node.id.desc())
        )
        batch = paged(request, q, PER_PAGE)
        scope = term_scope(request, kind, slug, label)
        return {
            "title": scope.title.rsplit(" · ", 1)[0],
            "label": label,
            "kind_title": TERM_KINDS[kind][1],
            "items": batch.items,
            "batch": batch,
            "feed_links": feed_links(request, scope.title, scope.feed_base),
            "feed_base": scope.feed_base,
        }

    return view


def includeme(config):
    for kind in (CATEGORY, TAG):
        prefix = TERM_KINDS[kind][0]
        # No anonymous_cache: its key is the context's path, and every term page shares
        # one route context.
        config.add_fixed_page(f"term_{kind}", f"/{prefix}/{{slug}}", term_page(kind), renderer="term.html",
                              permission=Permissions.View)  # fmt: skip
