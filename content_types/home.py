"""The home page: the site root's view, composed of blocks from the content types.

It lives here, above the core, because it knows about several types. Each
block is one query (the section blocks share one), and anonymous visitors get
them from the block cache.
"""

from __future__ import annotations

from urllib.parse import quote

from pyramid.view import view_config
from sqlalchemy import select

from portal.blocks import cached_block
from portal.listing import may_see_clause
from portal.models import SiteRoot
from portal.permissions import Permissions

from .folder import Folder
from .legal_document import LegalDocument
from .news_views import featured_news, latest_news, most_viewed, section_news, website_links
from .service_link import service_links


def news_sections(request) -> list[tuple[str, str, list[dict]]]:
    """Sections marked "news block" on the home page, with their latest articles."""

    def load():
        q = (
            select(Folder.id, Folder.title, Folder.path)
            .where(
                Folder.site_id == request.root_node.site_id,
                Folder.home_block == "news",
                may_see_clause(request, entity=Folder),
            )
            .order_by(Folder.path)
            .limit(6)
        )
        return [tuple(r) for r in request.dbsession.execute(q).all()]

    folders = cached_block(request, "home-sections", load)
    news = section_news(request, [f[0] for f in folders])
    base = request.application_url
    return [(title, base + quote(path, safe="/-._~"), news[fid]) for fid, title, path in folders]


def latest_documents(request, limit: int = 6) -> list[dict]:
    def load():
        q = (
            select(LegalDocument.title, LegalDocument.path, LegalDocument.number, LegalDocument.issued_on)
            .where(
                LegalDocument.site_id == request.root_node.site_id,
                may_see_clause(request, entity=LegalDocument),
            )
            .order_by(LegalDocument.issued_on.desc().nulls_last(), LegalDocument.id.desc())
            .limit(limit)
        )
        return [tuple(r) for r in request.dbsession.execute(q).all()]

    base = request.application_url
    return [
        {"title": t, "url": base + quote(p, safe="/-._~"), "number": n, "issued_on": d}
        for t, p, n, d in cached_block(request, "latest-documents", load)
    ]


@view_config(context=SiteRoot, renderer="site.html", permission=Permissions.View, anonymous_cache="home")
def home_view(context, request):
    featured = featured_news(request, 5)
    shown = {item["id"] for item in featured}
    latest = [item for item in latest_news(request, 10 + len(shown)) if item["id"] not in shown][:10]
    return {
        "context": context,
        "featured": featured,
        "latest": latest,
        "sections": news_sections(request),
        "service_links": service_links(request),
        "documents": latest_documents(request),
        "most_viewed": most_viewed(request),
        "links": website_links(request),
    }


def includeme(config):
    config.scan(__name__)
