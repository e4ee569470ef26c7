"""News article pages: the article with its blocks, the print and save views, the
lead image's renditions and the uploaded video; and the news queries the home
page shares. Every block is one query and, for anonymous visitors, cached."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from pyramid.renderers import render
from pyramid.view import view_config
from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import aliased

from portal.blocks import cached_block
from portal.downloads import blob_response
from portal.feeds import Enclosure, FeedFields
from portal.images import WIDTHS, rendition_response, srcset_for
from portal.listing import may_see_clause
from portal.models import ViewCount
from portal.models.terms import CATEGORY, TAG, Term
from portal.permissions import Permissions
from portal.text import fold
from portal.theme import CSP

from .folder import Folder
from .link import Link
from .news import NewsArticle, embed_hosts, embed_src, frame_origin

# What a news list shows: one row per article, no object loading.
NEWS_COLUMNS = (
    NewsArticle.id,
    NewsArticle.title,
    NewsArticle.path,
    NewsArticle.description,
    NewsArticle.effective,
    NewsArticle.image_sha256,
    NewsArticle.image_alt,
    NewsArticle.image_width,
    NewsArticle.image_height,
)


def news_query(request, *, columns=NEWS_COLUMNS):
    """Visible news of the current site, newest first."""
    return (
        select(*columns)
        .where(NewsArticle.site_id == request.root_node.site_id, may_see_clause(request, entity=NewsArticle))
        .order_by(NewsArticle.effective.desc().nulls_last(), NewsArticle.id.desc())
    )


def _rows(request, q) -> list:
    return [tuple(r) for r in request.dbsession.execute(q).all()]


def as_items(request, rows) -> list[dict]:
    base = request.application_url
    items = []
    for id_, title, path, description, effective, sha, alt, width, height in rows:
        url = base + quote(path, safe="/-._~")
        thumb = f"{url}@@anh-dai-dien/{WIDTHS[0]}" if sha else ""
        items.append(
            {
                "id": id_,
                "title": title,
                "url": url,
                "description": description,
                "effective": effective,
                "thumb": thumb,
                "alt": alt,
                "width": width,
                "height": height,
            }
        )
    return items


def latest_news(request, limit: int = 5, *, exclude: int | None = None) -> list[dict]:
    def load():
        return _rows(request, news_query(request).limit(limit + 1))

    rows = cached_block(request, "latest-news", load, key_extra=(limit,))
    return as_items(request, [r for r in rows if r[0] != exclude][:limit])


def featured_news(request, limit: int = 5) -> list[dict]:
    def load():
        return _rows(request, news_query(request).where(NewsArticle.featured.is_(True)).limit(limit))

    return as_items(request, cached_block(request, "featured-news", load, key_extra=(limit,)))


def most_viewed(request, limit: int = 5) -> list[dict]:
    def load():
        q = (
            news_query(request)
            .join(ViewCount, ViewCount.node_id == NewsArticle.id)
            .order_by(None)
            .order_by(ViewCount.count.desc(), NewsArticle.id.desc())
            .limit(limit)
        )
        return _rows(request, q)

    # View counts move without content changes: a few minutes old is fine.
    return as_items(request, cached_block(request, "most-viewed", load, ttl=300, key_extra=(limit,)))


def section_news(request, folder_ids: list[int], per_folder: int = 5) -> dict[int, list[dict]]:
    """The latest articles of several sections in one query (a window per section)."""
    if not folder_ids:
        return {}
    rank = (
        func.row_number()
        .over(
            partition_by=NewsArticle.parent_id,
            order_by=(NewsArticle.effective.desc().nulls_last(), NewsArticle.id.desc()),
        )
        .label("rank")
    )
    inner = (
        news_query(request, columns=(*NEWS_COLUMNS, NewsArticle.parent_id, rank))
        .where(NewsArticle.parent_id.in_(folder_ids))
        .order_by(None)
        .subquery()
    )
    q = select(inner).where(inner.c.rank <= per_folder).order_by(inner.c.parent_id, inner.c.rank)
    found: dict[int, list[dict]] = {fid: [] for fid in folder_ids}
    for row in request.dbsession.execute(q).all():
        found[row.parent_id] += as_items(request, [tuple(row)[: len(NEWS_COLUMNS)]])
    return found


def website_links(request, limit: int = 12) -> list[tuple[str, str]]:
    """The "Liên kết website" block: visible links kept in folders marked for it."""

    def load():
        folder = aliased(Folder, flat=True)
        q = (
            select(Link.title, Link.url)
            .join(folder, folder.id == Link.parent_id)
            .where(
                Link.site_id == request.root_node.site_id,
                folder.home_block == "links",
                may_see_clause(request, entity=Link),
            )
            .order_by(Link.position, Link.id)
            .limit(limit)
        )
        return _rows(request, q)

    return cached_block(request, "website-links", load)


def related_news(request, article: NewsArticle, limit: int = 5) -> list[dict]:
    """ "Có thể bạn quan tâm": articles sharing the most categories and tags."""

    def load():
        mine = select(Term.kind, Term.slug).where(Term.node_id == article.id, Term.kind.in_((CATEGORY, TAG)))
        shared = (
            select(Term.node_id, func.count().label("shared"))
            .where(tuple_(Term.kind, Term.slug).in_(mine), Term.node_id != article.id)
            .group_by(Term.node_id)
            .subquery()
        )
        q = (
            news_query(request)
            .join(shared, shared.c.node_id == NewsArticle.id)
            .order_by(None)
            .order_by(
                shared.c.shared.desc(), NewsArticle.effective.desc().nulls_last(), NewsArticle.id.desc()
            )
            .limit(limit)
        )
        return _rows(request, q)

    return as_items(request, cached_block(request, "related", load, key_extra=(article.id, limit)))


def other_news(request, article: NewsArticle, limit: int = 6) -> list[dict]:
    """ "Các tin khác": the newest other articles of the same section."""

    def load():
        q = news_query(request).where(
            NewsArticle.parent_id == article.parent_id, NewsArticle.id != article.id
        )
        return _rows(request, q.limit(limit))

    return as_items(request, cached_block(request, "other", load, key_extra=(article.id, limit)))


# --- the article ------------------------------------------------------------------


def _lead_image(request, article: NewsArticle) -> dict | None:
    if not article.image_sha256:
        return None
    base = request.resource_url(article, "@@anh-dai-dien", "")
    original = request.resource_url(article, "@@anh-dai-dien", "goc")
    return {
        "src": f"{base}{WIDTHS[1]}",
        "srcset": srcset_for(base, article.image_width, original),
        "og": f"{base}{WIDTHS[2]}",
        "width": article.image_width,
        "height": article.image_height,
        "alt": article.image_alt or article.title,
        "caption": article.image_caption,
        "credit": article.image_credit,
    }


def _video(request, article: NewsArticle) -> dict | None:
    if article.video_sha256:
        return {
            "kind": "file",
            "src": request.resource_url(article, "@@video"),
            "type": article.video_mime_type,
        }
    if article.video_embed_url:
        src = embed_src(article.video_embed_url, embed_hosts(request.registry.settings))
        if src:
            return {"kind": "embed", "src": src}
    return None


def share_links(request, article: NewsArticle) -> list[tuple[str, str]]:
    """Plain links to each network's share page: no third-party script on ours."""
    url = request.resource_url(article)
    return [
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("Zalo", "https://zalo.me/share?" + urlencode({"url": url})),
        ("X", "https://twitter.com/intent/tweet?" + urlencode({"url": url, "text": article.title})),
        ("E-mail", "mailto:?" + urlencode({"subject": article.title, "body": url}, quote_via=quote)),
    ]


def article_page(request, article: NewsArticle) -> dict:
    terms = {CATEGORY: [], TAG: []}
    for term in article.terms:
        terms.setdefault(term.kind, []).append(term)
    return {
        "context": article,
        "image": _lead_image(request, article),
        "video": _video(request, article),
        "categories": terms[CATEGORY],
        "tags": terms[TAG],
        "canonical": request.resource_url(article),
    }


@view_config(
    context=NewsArticle,
    renderer="news.html",
    permission=Permissions.View,
    anonymous_cache="article",
    count_view=True,
)
def news_view(context: NewsArticle, request):
    page = article_page(request, context)
    page.update(
        related=related_news(request, context),
        other=other_news(request, context),
        latest=latest_news(request, 5, exclude=context.id),
        most_viewed=most_viewed(request),
        links=website_links(request),
        share=share_links(request, context),
    )
    video = page["video"]
    if video and video["kind"] == "embed":
        # Only a page with an embedded player may frame it, and only that player's host.
        request.response.headers["Content-Security-Policy"] = f"{CSP}; frame-src {frame_origin(video['src'])}"
    return page


@view_config(context=NewsArticle, name="in", renderer="news_print.html", permission=Permissions.View)
def print_view(context: NewsArticle, request):
    return {**article_page(request, context), "printing": True}


@view_config(context=NewsArticle, name="luu", permission=Permissions.View)
def save_view(context: NewsArticle, request):
    """The article as one HTML file to keep (images stay links to the portal)."""
    html = render("news_print.html", {**article_page(request, context), "printing": False}, request)
    response = request.response
    response.content_type = "text/html"
    response.charset = "utf-8"
    response.text = html
    ascii_name = fold(context.name).encode("ascii", "ignore").decode() or "bai-viet"
    response.headers["Content-Disposition"] = f'attachment; filename="{ascii_name}.html"'
    return response


@view_config(context=NewsArticle, name="anh-dai-dien", permission=Permissions.View)
def lead_image_view(context: NewsArticle, request):
    if request.subpath[:1] == ("goc",):
        return blob_response(request, context.image_sha256, context.image_mime_type, max_age=86400)
    return rendition_response(request, context.image_sha256, context.image_mime_type, request.subpath)


@view_config(context=NewsArticle, name="video", permission=Permissions.View)
def video_view(context: NewsArticle, request):
    # FileResponse answers Range requests, which players use to seek.
    return blob_response(request, context.video_sha256, context.video_mime_type, max_age=86400)


def listing_details(request, ids: list[int]) -> dict[int, dict]:
    """Thumbnails for the articles of a folder listing, in one query."""
    q = select(NewsArticle.id, NewsArticle.path, NewsArticle.image_width, NewsArticle.image_height).where(
        NewsArticle.id.in_(ids), NewsArticle.image_sha256 != ""
    )
    base = request.application_url
    return {
        id_: {
            "thumb": f"{base}{quote(path, safe='/-._~')}@@anh-dai-dien/{WIDTHS[0]}",
            "width": WIDTHS[0],
            "height": round(WIDTHS[0] * height / width) if width else 180,
        }
        for id_, path, width, height in request.dbsession.execute(q).all()
    }


def feed_fields(request, ids: list[int]) -> dict[int, FeedFields]:
    """What feeds show of these articles, in one query: the lead as summary, the body as
    full content, the byline, and the original lead image as enclosure (its exact size
    and type are on the row)."""
    q = select(
        NewsArticle.id, NewsArticle.path, NewsArticle.lead, NewsArticle.body, NewsArticle.byline,
        NewsArticle.image_sha256, NewsArticle.image_mime_type, NewsArticle.image_size,
    ).where(NewsArticle.id.in_(ids))  # fmt: skip
    base = request.application_url
    out = {}
    for id_, path, lead, body, byline, sha, mime, size in request.dbsession.execute(q).all():
        enclosure = None
        if sha and size:
            url = f"{base}{quote(path, safe='/-._~')}@@anh-dai-dien/goc"
            enclosure = Enclosure(url=url, length=size, type=mime)
        out[id_] = FeedFields(summary=" ".join((lead or "").split()), content=body or "", author=byline or "",
                              enclosure=enclosure)  # fmt: skip
    return out
